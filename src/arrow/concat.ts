/**
 * `concatBatches`: several record batches of one schema joined into one batch, column by column.
 */
import { RecordBatch, makeData } from 'apache-arrow';
import type { Data, Struct } from 'apache-arrow';
import { ArrowBalanceError, withPrefix } from '../errors.js';
import { concatData } from './concat-data.js';
import { assertOwnBatch } from './own-batch.js';

/**
 * One batch holding all rows of `batches` (same schema) in order; copies column by column.
 *
 * The result always owns fresh, compact buffers (even for a single input), so it never pins the larger
 * buffers that sliced inputs may point into; dictionaries are shared when all inputs share them.
 *
 * Memory: the output's buffers at exact length.
 *
 * ## Example
 * ```ts
 * const all = concatBatches([batchA, batchB]); // all.numRows === batchA.numRows + batchB.numRows
 * ```
 *
 * @param batches at least one batch; all with the first batch's column names and types
 * @returns a batch with the first batch's schema and metadata
 * @throws RangeError for an empty list; ArrowBalanceError when schemas differ (names the field)
 */
export function concatBatches(batches: readonly RecordBatch[]): RecordBatch {
  const first = batches[0];
  if (first === undefined) {
    throw new RangeError(withPrefix('concatBatches needs at least one batch to know the schema; pass one or more batches'));
  }
  for (const batch of batches) assertOwnBatch(batch, 'concatBatches');
  const fields = first.schema.fields;
  for (let b = 1; b < batches.length; b++) checkSameSchema(first, batches[b] as RecordBatch, b);
  let length = 0;
  for (const batch of batches) length += batch.numRows;
  const children: Data[] = fields.map((field, c) =>
    concatData(batches.map((batch) => exactly(batch.data.children[c] as Data, batch.numRows)), field.name));
  const data = makeData({ type: first.data.type as Struct, length, nullCount: 0, children });
  return new RecordBatch(first.schema, data, first.metadata);
}

/**
 * Throws unless `other` has the columns (names and type ids) of `first`.
 * @param first the batch whose schema is the reference
 * @param other another batch
 * @param position where `other` is in the caller's list (for the message)
 * @throws ArrowBalanceError naming the first field that differs
 */
export function checkSameSchema(first: RecordBatch, other: RecordBatch, position: number): void {
  const a = first.schema.fields;
  const b = other.schema.fields;
  const count = Math.max(a.length, b.length);
  for (let c = 0; c < count; c++) {
    const x = a[c];
    const y = b[c];
    if (x === undefined || y === undefined || x.name !== y.name || x.typeId !== y.typeId) {
      throw new ArrowBalanceError(
        `cannot concatenate batches with different schemas: field ${c} is ${describe(x)} in batch 0 but ${describe(y)} in batch ${position}; `
        + 'give every batch the same columns',
      );
    }
  }
}

function describe(field: { name: string; type: unknown } | undefined): string {
  return field === undefined ? 'missing' : `"${field.name}" (${String(field.type)})`;
}

function exactly(child: Data, length: number): Data {
  return child.length === length ? child : child.slice(0, length);
}
