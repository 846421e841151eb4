/** Maps an Arrow schema and codec to a parquetjs-lite schema definition, refusing what it cannot write. */
import { DataType, DateUnit, Precision, TimeUnit, type Field, type Schema } from 'apache-arrow';
import type parquetjs from 'parquetjs-lite';
import { cannotWrite } from './lite-errors.js';
import type { ParquetCompression } from '../write-options.js';

/** How a column's Arrow values become the values parquetjs-lite takes. */
export type ValueKind =
  | 'number' | 'uint32' | 'int64' | 'uint64' | 'float' | 'bool' | 'string' | 'binary'
  | 'dateDay' | 'dateMillisecond' | 'timestampMillisecond' | 'timestampMicrosecond' | 'timeMillisecond';

/** One column to write. */
export interface WriteColumn {
  readonly name: string;
  readonly kind: ValueKind;
  readonly nullable: boolean;
}

/** The parquetjs-lite schema definition and how to convert each column. */
export interface LiteWriteSchema {
  readonly definition: Record<string, parquetjs.FieldDefinition>;
  readonly columns: readonly WriteColumn[];
}

const CODECS: Partial<Record<ParquetCompression, string>> = { snappy: 'SNAPPY', gzip: 'GZIP', none: 'UNCOMPRESSED' };

/**
 * The parquetjs-lite codec name of a compression option.
 * @param path the output path, for messages
 * @param compression the `compression` option
 * @throws ArrowBalanceError for a codec parquetjs-lite cannot write (zstd, brotli, lz4_raw)
 */
export function liteCodec(path: string, compression: ParquetCompression): string {
  const codec = CODECS[compression];
  if (codec === undefined) throw cannotWrite(path, `${compression.toUpperCase()} compression (it writes snappy, gzip or none)`);
  return codec;
}

/**
 * Maps every field to a parquetjs-lite type.
 *
 * Supported: Int8..Int64, Uint8..Uint64, Float32/64, Bool, Utf8/LargeUtf8, Binary/LargeBinary,
 * Dictionary<Utf8> (written as UTF8), DateDay/DateMillisecond, Timestamp ms/us without a time zone,
 * Time ms. Min/max statistics are left out for floats (NaN breaks parquetjs-lite's comparisons) and
 * for strings and bytes (it compares them as JavaScript strings, not bytes).
 * @param path the output path, for messages
 * @param schema the schema of the batches
 * @param codec the parquetjs-lite codec name (see {@link liteCodec})
 * @throws ArrowBalanceError naming the first field it cannot write and its type
 */
export function liteWriteSchema(path: string, schema: Schema, codec: string): LiteWriteSchema {
  if (schema.fields.length === 0) throw cannotWrite(path, 'a schema without columns');
  const definition: Record<string, parquetjs.FieldDefinition> = {};
  const columns: WriteColumn[] = [];
  for (const field of schema.fields) {
    if (Object.hasOwn(definition, field.name)) throw cannotWrite(path, 'two columns with one name', field.name);
    const [type, kind] = liteType(path, field);
    const statistics = kind === 'float' || kind === 'string' || kind === 'binary' ? false : undefined;
    definition[field.name] = { type, optional: field.nullable, compression: codec, ...(statistics === undefined ? {} : { statistics }) };
    columns.push({ name: field.name, kind, nullable: field.nullable });
  }
  // JavaScript objects list integer-like keys first, which would reorder the columns.
  if (Object.keys(definition).some((name, index) => name !== columns[index]?.name)) {
    throw cannotWrite(path, 'columns named like array indices (such as "0") in their order');
  }
  return { definition, columns };
}

function liteType(path: string, field: Field): [string, ValueKind] {
  const type = field.type as DataType;
  const refuse = (what: string): never => {
    throw cannotWrite(path, what, field.name);
  };
  if (DataType.isInt(type)) {
    if (type.isSigned) return type.bitWidth === 64 ? ['INT64', 'int64'] : [type.bitWidth === 32 ? 'INT32' : `INT_${type.bitWidth}`, 'number'];
    if (type.bitWidth === 64) return ['UINT_64', 'uint64'];
    return [`UINT_${type.bitWidth}`, type.bitWidth === 32 ? 'uint32' : 'number'];
  }
  if (DataType.isFloat(type)) {
    if (type.precision === Precision.HALF) return refuse('Float16 columns');
    return [type.precision === Precision.SINGLE ? 'FLOAT' : 'DOUBLE', 'float'];
  }
  if (DataType.isBool(type)) return ['BOOLEAN', 'bool'];
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return ['UTF8', 'string'];
  if (DataType.isBinary(type) || DataType.isLargeBinary(type)) return ['BYTE_ARRAY', 'binary'];
  if (DataType.isDictionary(type) && (DataType.isUtf8(type.dictionary) || DataType.isLargeUtf8(type.dictionary))) return ['UTF8', 'string'];
  if (DataType.isDate(type)) return ['DATE', type.unit === DateUnit.DAY ? 'dateDay' : 'dateMillisecond'];
  if (DataType.isTimestamp(type)) {
    if (type.timezone !== null && type.timezone !== undefined) return refuse(`timestamps with a time zone (${String(type)})`);
    if (type.unit === TimeUnit.MILLISECOND) return ['TIMESTAMP_MILLIS', 'timestampMillisecond'];
    if (type.unit === TimeUnit.MICROSECOND) return ['TIMESTAMP_MICROS', 'timestampMicrosecond'];
    return refuse(`${String(type)} columns (only milliseconds and microseconds)`);
  }
  if (DataType.isTime(type)) {
    if (type.unit === TimeUnit.MILLISECOND) return ['TIME_MILLIS', 'timeMillisecond'];
    // parquetjs-lite 0.8.7 checks TIME_MICROS values with isNaN(bigint), which throws for every value.
    if (type.unit === TimeUnit.MICROSECOND) return refuse(`${String(type)} columns (its TIME_MICROS writer fails on every value)`);
    return refuse(`${String(type)} columns (only milliseconds)`);
  }
  return refuse(`${String(type)} columns`);
}
