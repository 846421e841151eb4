import type { ClassCountsJSON } from '../classes/class-counts.js';
import type { PlanFile } from '../plan/plan-file.js';
import type { ShardRange } from '../plan/shard-range.js';

/** The key of a part's key-value metadata that holds {@link PartMetadata} as JSON (as one-file outputs hold their report). */
export const PART_METADATA_KEY = 'arrow-balance';

/**
 * What a part file says about itself: only what determines its rows (the plan, by fingerprint, and its share
 * of it), never timings, worker counts or host names, so that a shard run again writes the same bytes.
 */
export interface PartMetadata {
  readonly part: { readonly index: number; readonly count: number };
  /** The plan's fingerprint (`planFingerprint`). */
  readonly plan: string;
  /** The plan's units this part holds, `[start, end)`. */
  readonly units: readonly [number, number];
  readonly inputs: readonly string[];
  readonly label: string;
  readonly strategy: string;
  readonly seed: number | string;
  /** Rows per class in this part. */
  readonly outputCounts: ClassCountsJSON;
}

/**
 * Rows per class that a shard's units emit, by the plan.
 * @param file the plan file
 * @param range the shard's units
 */
export function shardOutputCounts(file: PlanFile, range: ShardRange): ClassCountsJSON {
  const rows = file.plan.classes.map(() => 0);
  for (let u = range.start; u < range.end; u++) {
    const unit = file.plan.units[u];
    unit?.counts.forEach(([c], i) => (rows[c] = (rows[c] ?? 0) + (unit.quotas[i] ?? 0)));
  }
  // The plan's classes are in the order of its input counts.
  const classes = file.inputCounts.classes.map(({ value }, c) => ({ value, count: rows[c] ?? 0 })).filter(({ count }) => count > 0);
  return { total: range.outputRows, classes };
}

/** A part's metadata. */
export function partMetadata(file: PlanFile, fingerprint: string, index: number, count: number, range: ShardRange): PartMetadata {
  return {
    part: { index, count },
    plan: fingerprint,
    units: [range.start, range.end],
    inputs: file.inputs.map((input) => input.path),
    label: file.options.label,
    strategy: file.options.strategy,
    seed: file.seed,
    outputCounts: shardOutputCounts(file, range),
  };
}
