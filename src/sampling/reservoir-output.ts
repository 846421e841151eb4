import type { SampledBatch } from './engine.js';
import { gatherRefs } from './reservoir-gather.js';
import type { ClassReservoir } from './reservoir-class.js';
import type { HeldBatches } from './reservoir-held-batches.js';

/** What one class contributes to the output: its reservoir, a repeat count per entry, and the row weight. */
export interface ClassPick {
  readonly res: ClassReservoir;
  /** Times each entry is emitted (see `entryRepeats`). */
  readonly repeats: Int32Array;
  /** Importance weight of each emitted row of this class (n_c / k_c). */
  readonly weight: number;
}

/**
 * Emits the picked entries of every class in input order, copies of a row side by side.
 *
 * Held batches are in input order and each holds its rows in input order (compaction keeps that order), so
 * the position `slot offset + row` orders the held rows as the input did. A repeat count per position is
 * filled from the picks and scanned once; the resulting `(slot, row)` list is cut into output batches of
 * `batchRows` rows (boundaries depend only on the output rows, not on input batch sizes) and gathered
 * column-wise with {@link gatherRefs}.
 * Memory: O(held rows) counts plus O(output rows) indices and weights, then the output batches themselves.
 *
 * @param held the batches the reservoirs point into
 * @param picks one pick per class
 * @param withWeights whether to attach importance weights
 * @param batchRows most rows per output batch
 * @returns the output batches (none when nothing is picked)
 */
export function emitInInputOrder(
  held: HeldBatches,
  picks: readonly ClassPick[],
  withWeights: boolean,
  batchRows: number,
): SampledBatch[] {
  const slots = held.slotCount;
  const base = new Int32Array(slots + 1);
  for (let s = 0; s < slots; s++) base[s + 1] = (base[s] as number) + held.rowsIn(s);
  const count = new Int32Array(base[slots] as number);
  const weightAt = withWeights ? new Float64Array(count.length) : null;
  let total = 0;
  for (const { res, repeats, weight } of picks) {
    for (let e = 0; e < res.length; e++) {
      const k = repeats[e] as number;
      if (k === 0) continue;
      const p = (base[res.slot[e] as number] as number) + (res.row[e] as number);
      count[p] = k;
      if (weightAt !== null) weightAt[p] = weight;
      total += k;
    }
  }
  if (total === 0) return [];
  const outSlot = new Int32Array(total);
  const outRow = new Int32Array(total);
  const weights = weightAt === null ? null : new Float64Array(total);
  let o = 0;
  for (let s = 0; s < slots; s++) {
    const from = base[s] as number;
    const rows = (base[s + 1] as number) - from;
    for (let r = 0; r < rows; r++) {
      const k = count[from + r] as number;
      for (let c = 0; c < k; c++, o++) {
        outSlot[o] = s;
        outRow[o] = r;
        if (weights !== null) weights[o] = weightAt?.[from + r] as number;
      }
    }
  }
  const out: SampledBatch[] = [];
  for (let start = 0; start < total; start += batchRows) {
    const end = Math.min(total, start + batchRows);
    const batch = gatherRefs(held, outSlot, outRow, start, end);
    out.push(weights === null ? { batch } : { batch, weights: weights.slice(start, end) });
  }
  return out;
}
