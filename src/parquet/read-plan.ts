/** Row groups of one input read by one request, or a window of rows of one large row group. */
export interface ReadRef {
  readonly file: number;
  readonly rowGroups: readonly number[];
  /** Rows [first, end) of the one row group in `rowGroups`, read through its pages (see `row-group-windows.ts`). */
  readonly rows?: readonly [number, number];
  /** The plan position whose worker reads every window of the row group (it keeps the pages decoded ahead). */
  readonly affinity?: number;
}

/** Decoded bytes one read request aims at: several small row groups (a projection to one column) share one. */
export const READ_BYTES_TARGET = 8 * 1024 * 1024;

/**
 * Decoded bytes above which a row group is read as windows of rows, a few pages at a time, instead of
 * whole: parquet-wasm holds about three times a row group's compressed size while it decodes it whole.
 */
export const LARGE_ROW_GROUP_BYTES = 64 * 1024 * 1024;

/** Decoded bytes one window of a large row group aims at. */
export const WINDOW_BYTES = 8 * 1024 * 1024;

/**
 * Rows of a large row group's column decoded at a time, at least (whole pages): fewer, larger one-column
 * files cost less (under-sampling a 5M-row group with 1 MB pages took 3.4 s with 65,536 rows, 2.8 s with this).
 */
export const PAGE_GROUP_ROWS = 262_144;

/**
 * The rows in each window of a row group, or nothing when it is not large.
 * @param rows the row group's rows
 * @param bytes its estimated decoded bytes (of the columns read)
 */
export function windowRowsOf(rows: number, bytes: number): number | undefined {
  if (bytes <= LARGE_ROW_GROUP_BYTES || rows < 2) return undefined;
  return Math.ceil(rows / Math.ceil(bytes / WINDOW_BYTES));
}

/**
 * Cuts every input's row groups into read requests of consecutive groups, each holding up to
 * {@link READ_BYTES_TARGET} uncompressed bytes of the columns read (a larger group is read alone). Reading
 * only a label column, 41 row groups of 120,000 rows then take 3 requests instead of 41, each of which costs
 * a round trip to the worker and a stream set-up in parquet-wasm. A large row group (see {@link windowRowsOf})
 * is read in windows of rows, all by one worker.
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
      const windowRows = windowRowsOf(rows, size);
      if (windowRows !== undefined) {
        if (group.length > 0) plan.push({ file, rowGroups: group });
        group = [];
        bytes = 0;
        const affinity = plan.length;
        for (let first = 0; first < rows; first += windowRows) plan.push({ file, rowGroups: [rowGroup], rows: [first, Math.min(rows, first + windowRows)], affinity });
        return;
      }
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
