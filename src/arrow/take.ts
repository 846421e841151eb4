/**
 * `takeRows`: the row gather behind every sampler. Selected rows of a record batch, column by column.
 */
import { RecordBatch, makeData } from 'apache-arrow';
import type { Data, Struct } from 'apache-arrow';
import { withPrefix } from '../errors.js';
import { takeData } from './take-data.js';
import { assertOwnBatch } from './own-batch.js';

/**
 * New batch holding rows `indices` (repeats allowed, any order) of `batch`; same schema (incl. metadata).
 *
 * Each column is gathered once from its typed arrays (see {@link takeData}); no row objects are built. Works
 * for sliced batches, nulls, dictionaries (the dictionary object is shared), nested and temporal types.
 *
 * Memory: the output's buffers, at exact length; the input is not retained (except shared dictionaries).
 *
 * ## Example
 * ```ts
 * const batch = tableFromArrays({ x: Float64Array.from([1, 2, 3]) }).batches[0]!;
 * takeRows(batch, Int32Array.of(2, 0, 2)).getChild('x')!.toArray(); // Float64Array [3, 1, 3]
 * ```
 *
 * @param batch the input batch
 * @param indices row numbers in `[0, batch.numRows)`
 * @returns a batch of `indices.length` rows with the input's schema and batch metadata
 * @throws RangeError when an index is outside the batch
 * @throws TypeError when a column has a type we cannot gather (unions)
 */
export function takeRows(batch: RecordBatch, indices: Int32Array): RecordBatch {
  assertOwnBatch(batch, 'takeRows');
  checkIndices(indices, batch.numRows);
  const fields = batch.schema.fields;
  const children: Data[] = batch.data.children.map((child, c) => takeData(child, indices, fields[c]?.name ?? String(c)));
  const data = makeData({ type: batch.data.type as Struct, length: indices.length, nullCount: 0, children });
  return new RecordBatch(batch.schema, data, batch.metadata);
}

/**
 * Throws unless every index is a row of a batch of `numRows` rows.
 * @param indices row numbers
 * @param numRows rows of the batch
 * @throws RangeError naming the first index outside `[0, numRows)`
 */
export function checkIndices(indices: Int32Array, numRows: number): void {
  let min = 0;
  let max = -1;
  for (let k = 0, n = indices.length; k < n; k++) {
    const i = indices[k] as number;
    if (i < min) min = i;
    if (i > max) max = i;
  }
  if (min < 0 || max >= numRows) {
    const bad = min < 0 ? min : max;
    throw new RangeError(withPrefix(
      `row index ${bad} (position ${indices.indexOf(bad)}) is outside the batch of ${numRows} rows; indices must be in [0, ${numRows})`,
    ));
  }
}
