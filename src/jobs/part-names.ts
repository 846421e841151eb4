/**
 * The file name of shard `index` of `count`: `part-<i>-of-<n>.parquet`, the index zero-padded to the width
 * of `count`, so that name order is shard order (`part-03-of-12.parquet`).
 */
export function partName(index: number, count: number): string {
  return `part-${String(index).padStart(String(count).length, '0')}-of-${count}.parquet`;
}

/**
 * The shard a part's file name names, or undefined for a name that is not a part's.
 * @param name a file name
 * @returns the shard's index and count
 */
export function parsePartName(name: string): { readonly index: number; readonly count: number } | undefined {
  const match = /^part-(\d+)-of-(\d+)\.parquet$/.exec(name);
  if (match === null) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return partName(index, count) === name && index < count ? { index, count } : undefined;
}
