/** Turns one column chunk decoded by parquetjs-lite into Arrow data, in one pass over its values. */
import { DataType, makeData, vectorFromArray, type Data } from 'apache-arrow';
import type parquetjs from 'parquetjs-lite';
import { ArrowBalanceError } from '../../errors.js';
import type { ReadColumn } from './lite-read-schema.js';

const MS_PER_DAY = 86_400_000n;
const MAX_INT32_OFFSET = 2 ** 31 - 1;

/** Sets one row's value; only called for rows that are not null. */
type Setter = (row: number, value: unknown) => void;

/**
 * Builds the Arrow data of a flat column from the levels and values parquetjs-lite decoded.
 *
 * parquetjs-lite gives INT64 as bigint (exact), INT32/FLOAT/DOUBLE as numbers, BYTE_ARRAY as Buffers, and
 * dictionary-encoded values as their text, which is parsed back here.
 * @param file the input's name, for messages
 * @param column the column and the Arrow field it becomes
 * @param decoded what parquetjs-lite decoded for the row group
 * @param rows the row group's row count
 * @throws ArrowBalanceError when the chunk does not hold one value slot per row
 */
export function columnData(file: string, column: ReadColumn, decoded: parquetjs.DecodedColumn, rows: number): Data {
  if (decoded.count !== rows || decoded.dlevels.length !== rows) {
    throw new ArrowBalanceError(`${file}: column "${column.name}" holds ${decoded.count} values for ${rows} rows; the file is corrupt`);
  }
  const type = column.field.type as DataType;
  const nullBitmap = column.nullable ? new Uint8Array((rows + 7) >> 3) : undefined;
  const each = (set: Setter): number => visit(decoded, nullBitmap, set);
  if (DataType.isUtf8(type) || DataType.isBinary(type) || DataType.isLargeUtf8(type) || DataType.isLargeBinary(type)) {
    return byteData(file, column, type, decoded, nullBitmap, rows);
  }
  if (DataType.isDictionary(type)) {
    const strings: Array<string | null> = new Array<string | null>(rows).fill(null);
    each((row, value) => (strings[row] = typeof value === 'string' ? value : (value as Buffer).toString('utf8')));
    return vectorFromArray(strings, type).data[0] as Data;
  }
  if (DataType.isBool(type)) {
    const bits = new Uint8Array((rows + 7) >> 3);
    const nullCount = each((row, value) => {
      if (value === true || value === 'true') setBit(bits, row);
    });
    return makeData({ type, length: rows, nullCount, nullBitmap, data: bits });
  }
  const values = fixedWidthValues(type, rows);
  const nullCount = each(setterFor(type, values));
  return makeData({ type, length: rows, nullCount, nullBitmap, data: values } as Parameters<typeof makeData>[0]);
}

/** Calls `set` for every non-null row, fills the validity bitmap, and returns the null count. */
function visit(decoded: parquetjs.DecodedColumn, nullBitmap: Uint8Array | undefined, set: Setter): number {
  const { dlevels, values } = decoded;
  let next = 0;
  let nulls = 0;
  for (let row = 0; row < dlevels.length; row += 1) {
    if (nullBitmap !== undefined && dlevels[row] !== 1) {
      nulls += 1;
      continue;
    }
    if (nullBitmap !== undefined) setBit(nullBitmap, row);
    set(row, values[next]);
    next += 1;
  }
  return nulls;
}

function setBit(bitmap: Uint8Array, index: number): void {
  const byte = index >> 3;
  bitmap[byte] = (bitmap[byte] ?? 0) | (1 << (index & 7));
}

type FixedArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

function fixedWidthValues(type: DataType, rows: number): FixedArray {
  const ArrayType = (type as DataType & { ArrayType: new (length: number) => FixedArray }).ArrayType;
  return new ArrayType(rows);
}

function setterFor(type: DataType, values: FixedArray): Setter {
  if (DataType.isDate(type) && values instanceof BigInt64Array) {
    // A Date64 column stored as Parquet DATE (days).
    return (row, value) => (values[row] = BigInt(value as number | string) * MS_PER_DAY);
  }
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    // BigUint64Array wraps the signed INT64 of a UINT_64 column to its unsigned value.
    return (row, value) => (values[row] = typeof value === 'bigint' ? value : BigInt(value as string));
  }
  // Typed arrays wrap the signed INT32 of UINT_8/16/32 columns to their unsigned values.
  return (row, value) => (values[row] = typeof value === 'number' ? value : Number(value));
}

function byteData(file: string, column: ReadColumn, type: DataType, decoded: parquetjs.DecodedColumn, nullBitmap: Uint8Array | undefined, rows: number): Data {
  const pieces: Uint8Array[] = new Array<Uint8Array>(rows);
  const empty = new Uint8Array(0);
  let total = 0;
  const nullCount = visit(decoded, nullBitmap, (row, value) => {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : (value as Uint8Array);
    pieces[row] = bytes;
    total += bytes.byteLength;
  });
  const large = DataType.isLargeUtf8(type) || DataType.isLargeBinary(type);
  if (!large && total > MAX_INT32_OFFSET) {
    throw new ArrowBalanceError(`${file}: column "${column.name}" holds more than 2 GiB in one row group; read it with the default engine parquet-wasm`);
  }
  const data = new Uint8Array(total);
  const offsets = large ? new BigInt64Array(rows + 1) : new Int32Array(rows + 1);
  let at = 0;
  for (let row = 0; row < rows; row += 1) {
    const bytes = pieces[row] ?? empty;
    data.set(bytes, at);
    at += bytes.byteLength;
    if (offsets instanceof BigInt64Array) offsets[row + 1] = BigInt(at);
    else offsets[row + 1] = at;
  }
  return makeData({ type, length: rows, nullCount, nullBitmap, valueOffsets: offsets, data } as Parameters<typeof makeData>[0]);
}
