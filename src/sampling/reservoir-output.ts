import type { SampledBatch } from './engine.js';
import { gatherRefs } from './reservoir-gather.js';
import type { ClassReservoir } from './reservoir-class.js';
import type { HeldBatches } from './reservoir-held-batches.js';
import { mergeInInputOrder } from './reservoir-merge.js';

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
 * {@link mergeInInputOrder} merges the classes' entries (each reservoir holds its entries in input order)
 * into one `(slot, row)` list; it is cut into output batches of `batchRows` rows (boundaries depend only on
 * the output rows, not on input batch sizes) and gathered column-wise with {@link gatherRefs}.
 * Memory: O(output rows) indices and weights, then the output batches themselves.
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
  const { slot, row, from } = mergeInInputOrder(picks);
  const total = slot.length;
  if (total === 0) return [];
  const weights = withWeights ? Float64Array.from(from, (p) => (picks[p] as ClassPick).weight) : null;
  const out: SampledBatch[] = [];
  for (let start = 0; start < total; start += batchRows) {
    const end = Math.min(total, start + batchRows);
    const batch = gatherRefs(held, slot, row, start, end);
    out.push(weights === null ? { batch } : { batch, weights: weights.slice(start, end) });
  }
  return out;
}
