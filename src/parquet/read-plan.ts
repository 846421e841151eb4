/** Row groups of one input read by one request. */
export interface ReadRef {
  readonly file: number;
  readonly rowGroups: readonly number[];
}

/** Decoded bytes one read request aims at: several small row groups (a projection to one column) share one. */
export const READ_BYTES_TARGET = 8 * 1024 * 1024;

/**
 * Cuts every input's row groups into read requests of consecutive groups, each holding up to
 * {@link READ_BYTES_TARGET} uncompressed bytes of the columns read (a larger group is read alone). Reading
 * only a label column, 41 row groups of 120,000 rows then take 3 requests instead of 41, each of which costs
 * a round trip to the worker and a stream set-up in parquet-wasm.
 * @param files per input, the rows and the uncompressed bytes (of the columns read) of each row group
 * @returns the requests, in input and row-group order; empty row groups are left out
 */
export function planReads(files: readonly { readonly rowGroupRows: readonly number[]; readonly rowGroupBytes: readonly number[] }[]): ReadRef[] {
  const plan: ReadRef[] = [];
  files.forEach(({ rowGroupRows, rowGroupBytes }, file) => {
    let group: number[] = [];
    let bytes = 0;
    rowGroupRows.forEach((rows, rowGroup) => {
      if (rows === 0) return;
      const size = rowGroupBytes[rowGroup] ?? 0;
      if (group.length > 0 && bytes + size > READ_BYTES_TARGET) {
        plan.push({ file, rowGroups: group });
        group = [];
        bytes = 0;
      }
      group.push(rowGroup);
      bytes += size;
    });
    if (group.length > 0) plan.push({ file, rowGroups: group });
  });
  return plan;
}
