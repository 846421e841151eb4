/**
 * `takeFromBatches`: selected rows of several record batches of one schema gathered into one batch, column
 * by column, without building a batch per input first.
 */
import { RecordBatch, Type, makeData } from 'apache-arrow';
import type { Data, Struct } from 'apache-arrow';
import { checkSameSchema } from './concat.js';
import { concatData } from './concat-data.js';
import { gather64Columns, gatherFixedInto } from './gather-fixed.js';
import type { FixedWidthArray } from './gather-fixed.js';
import { newData } from './new-data.js';
import { takeData } from './take-data.js';
import { checkIndices } from './take.js';

type FixedWidthConstructor = new (length: number) => FixedWidthArray;

/** The values as 64-bit words when a row is one 8-byte element aligned to 8 bytes (Float64, Int64, timestamps...). */
function asWords64(values: FixedWidthArray, stride: number): BigInt64Array | undefined {
  if (stride * values.BYTES_PER_ELEMENT !== 8 || values.byteOffset % 8 !== 0) return undefined;
  return new BigInt64Array(values.buffer, values.byteOffset, values.byteLength >> 3);
}

/** Types whose values are `stride` elements a row of one typed array (dictionaries excluded: their dictionaries may differ). */
const FIXED = new Set<Type>([Type.Int, Type.Float, Type.Decimal, Type.Date, Type.Time, Type.Timestamp, Type.Interval, Type.Duration, Type.FixedSizeBinary]);

/**
 * One batch holding rows `rows[offsets[b] .. offsets[b + 1])` of `batches[b]`, batch after batch: what
 * `concatBatches(batches.map((batch, b) => takeRows(batch, rows of b)))` gives, with the first batch's
 * schema and metadata. Fixed-width columns without nulls (numbers, dates, timestamps, decimals) are
 * gathered straight into the output column, those of 8 bytes a row several columns per pass over a batch's
 * rows (more cache misses in flight: scattered rows are memory-latency bound); other columns are gathered
 * per batch and concatenated.
 *
 * Memory: the output's buffers (plus, for other columns, one gathered piece per batch while they are
 * concatenated).
 *
 * ## Example
 * ```ts
 * // rows 2 and 0 of a, then row 1 of b
 * const out = takeFromBatches([a, b], Int32Array.of(0, 2, 3), Int32Array.of(2, 0, 1));
 * ```
 * @param batches the inputs, all with the first batch's column names and types
 * @param offsets `batches.length + 1` ascending positions into `rows`, from 0 to `rows.length`
 * @param rows row numbers, each within its batch
 * @returns the gathered batch
 * @throws RangeError when a row is outside its batch or the offsets do not fit
 * @throws TypeError when a column has a type we cannot gather (unions)
 */
export function takeFromBatches(batches: readonly RecordBatch[], offsets: Int32Array, rows: Int32Array): RecordBatch {
  const first = batches[0];
  if (first === undefined || offsets.length !== batches.length + 1 || offsets[0] !== 0 || offsets[batches.length] !== rows.length) {
    throw new RangeError(`arrow-balance: takeFromBatches needs at least one batch and ${batches.length + 1} offsets from 0 to ${rows.length}`);
  }
  const part = (b: number): Int32Array => rows.subarray(offsets[b], offsets[b + 1]);
  batches.forEach((batch, b) => {
    if (b > 0) checkSameSchema(first, batch, b);
    checkIndices(part(b), batch.numRows);
  });
  const n = rows.length;
  const wide: { sources: BigInt64Array[]; target: BigInt64Array }[] = [];
  const children = first.schema.fields.map((field, c): Data => {
    const columns = batches.map((batch) => batch.data.children[c] as Data);
    const head = columns[0] as Data;
    const direct = FIXED.has(head.typeId) && columns.every((column) => column.nullCount === 0 && column.typeId === head.typeId && column.stride === head.stride
      && (column.values as FixedWidthArray).constructor === (head.values as FixedWidthArray).constructor);
    if (!direct) {
      const pieces = columns.map((column, b) => takeData(column, part(b), field.name));
      return pieces.length === 1 ? (pieces[0] as Data) : concatData(pieces, field.name);
    }
    const values = new ((head.values as FixedWidthArray).constructor as FixedWidthConstructor)(n * head.stride);
    const sources = columns.map((column) => asWords64(column.values as FixedWidthArray, head.stride));
    if (sources.every((source) => source !== undefined)) wide.push({ sources: sources as BigInt64Array[], target: new BigInt64Array(values.buffer) });
    else columns.forEach((column, b) => gatherFixedInto(column.values as FixedWidthArray, head.stride, part(b), values, offsets[b] as number));
    return newData(head.type, n, 0, { values });
  });
  batches.forEach((_, b) => {
    const at = offsets[b] as number;
    const indices = part(b);
    gather64Columns(wide.map((w) => w.sources[b] as BigInt64Array), wide.map((w) => w.target.subarray(at, at + indices.length)), indices);
  });
  const data = makeData({ type: first.data.type as Struct, length: n, nullCount: 0, children });
  return new RecordBatch(first.schema, data, first.metadata);
}
