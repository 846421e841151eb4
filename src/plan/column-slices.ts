/**
 * Column slices of a large row group. Its top-level columns are cut into contiguous runs of about equal
 * decoded size. Each run is sampled, gathered and encoded as a task of its own, on another worker when there
 * is one, and the slices' column chunks are joined into the same row groups again (see
 * `stitch/column-slices-join.ts`). The cut depends only on the file, never on the number of workers, so the
 * output is the same bytes however many workers run the slices.
 */
import { LARGE_ROW_GROUP_BYTES } from '../parquet/read-plan.js';

/** Decoded bytes of a large row group per slice: a row group of up to twice this is cut in two. */
export const SLICE_BYTES = 512 * 1024 * 1024;

/**
 * How many column slices a row group is cut into: 1 (not sliced) when it is not large or has one column,
 * otherwise at least 2 (a second core then has work), one more per {@link SLICE_BYTES}, and at most one per column.
 * Every slice reads the label column again to choose its rows, so more slices cost more label passes.
 * @param bytes the row group's estimated decoded bytes (all columns)
 * @param columns its top-level columns
 */
export function columnSliceCount(bytes: number, columns: number): number {
  if (bytes <= LARGE_ROW_GROUP_BYTES || columns < 2) return 1;
  return Math.min(columns, Math.max(2, Math.ceil(bytes / SLICE_BYTES)));
}

/**
 * The top-level columns of slice `index` of `count`: a contiguous run, cut where the running decoded size
 * comes nearest to `index / count` of the total, with at least one column in every slice.
 * @param columns the top-level columns in file order, with their decoded bytes
 * @param index the slice (0-based)
 * @param count how many slices (at most the number of columns)
 * @returns the slice's column names, in file order
 */
export function columnSlice(columns: ReadonlyArray<{ readonly name: string; readonly bytes: number }>, index: number, count: number): string[] {
  if (!(count >= 1 && count <= columns.length && index >= 0 && index < count)) {
    throw new RangeError(`arrow-balance: no slice ${index} of ${count} in ${columns.length} columns`);
  }
  const before = [0];
  for (const { bytes } of columns) before.push((before[before.length - 1] as number) + bytes);
  const total = before[columns.length] as number;
  // cuts[s]: the first column of slice s.
  const cuts = [0];
  for (let s = 1; s < count; s++) {
    const lowest = (cuts[s - 1] as number) + 1;
    const highest = columns.length - (count - s);
    const aim = (total * s) / count;
    let best = lowest;
    for (let at = lowest + 1; at <= highest; at++) {
      if (Math.abs((before[at] as number) - aim) < Math.abs((before[best] as number) - aim)) best = at;
    }
    cuts.push(best);
  }
  cuts.push(columns.length);
  return columns.slice(cuts[index], cuts[index + 1]).map((column) => column.name);
}
