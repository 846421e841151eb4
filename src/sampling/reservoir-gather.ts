import type { RecordBatch } from 'apache-arrow';
import { takeFromBatches } from '../arrow/take-many.js';
import { takeRows } from '../arrow/take.js';
import type { HeldBatches } from './reservoir-held-batches.js';

/**
 * Gathers referenced rows from several held batches into one batch, in reference order.
 *
 * References `start..end-1` name `(slot[j], row[j])`; repeats are allowed. Rows are grouped by slot with a
 * stable counting sort and gathered in slot order, column by column, with `takeFromBatches` (fixed-width
 * columns straight into the output), and, only when the references were not already in slot order, one
 * more `takeRows` puts the rows in reference order. No row objects are built.
 * Memory: O(end - start) indices plus the gathered rows (at most twice while reordering).
 *
 * @param held the batches the references point into
 * @param slot slot of each reference
 * @param row row (within its slot's batch) of each reference
 * @param start first reference to gather
 * @param end one past the last reference to gather (`end > start`)
 * @returns a batch whose row `i` is row `row[start + i]` of batch `slot[start + i]`
 */
export function gatherRefs(held: HeldBatches, slot: Int32Array, row: Int32Array, start: number, end: number): RecordBatch {
  const n = end - start;
  if (n <= 0) throw new RangeError(`arrow-balance: gatherRefs needs at least one row, got ${start}..${end}`);
  const slots = held.slotCount;
  const offset = new Int32Array(slots + 1);
  let ordered = true;
  let previous = -1;
  for (let j = start; j < end; j++) {
    const s = slot[j] as number;
    offset[s + 1] = (offset[s + 1] as number) + 1;
    if (s < previous) ordered = false;
    previous = s;
  }
  for (let s = 0; s < slots; s++) offset[s + 1] = (offset[s + 1] as number) + (offset[s] as number);
  const cursor = offset.slice(0, slots);
  const bySlot = new Int32Array(n);
  const order = ordered ? null : new Int32Array(n);
  for (let j = start; j < end; j++) {
    const s = slot[j] as number;
    const p = cursor[s] as number;
    cursor[s] = p + 1;
    bySlot[p] = row[j] as number;
    if (order !== null) order[j - start] = p;
  }
  const batches: RecordBatch[] = [];
  const bounds: number[] = [0];
  for (let s = 0; s < slots; s++) {
    const to = offset[s + 1] as number;
    if (to > (offset[s] as number)) {
      batches.push(held.batch(s));
      bounds.push(to);
    }
  }
  const merged = takeFromBatches(batches, Int32Array.from(bounds), bySlot);
  return order === null ? merged : takeRows(merged, order);
}
