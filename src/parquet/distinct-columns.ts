import { DataType, type RecordBatch } from 'apache-arrow';

/** Runs of consecutive rows looked at per column, and rows per run: 2,048 values, spread over the rows. */
const RUNS = 16;
const RUN_ROWS = 128;

/** Above this share of distinct values among those looked at, a column is written without a dictionary. */
const DISTINCT_SHARE = 0.5;

/**
 * The top-level columns of some rows whose values nearly all differ (ids, timestamps, unique strings), to be
 * written without dictionary encoding, as DuckDB and Polars do. The writer would otherwise build a dictionary
 * as large as the data for each of them, and for a unique int64 id the dictionary and its indices together
 * are larger and slower to write than the plain values.
 *
 * Looks at the non-null values of 16 runs of 128 consecutive rows spread evenly over the rows (runs, so that
 * values repeated next to each other, as in sorted data, are seen to repeat). The choice depends only on the
 * rows, however they are cut into batches. Floating-point columns are left to `floatLeafPaths` (never a
 * dictionary), nested columns to the writer.
 * @param batches the rows about to be encoded, of one schema
 * @returns the names of the columns to write plain
 */
export function nearlyDistinctColumns(batches: readonly RecordBatch[]): string[] {
  const first = batches[0];
  if (first === undefined) return [];
  const rows = batches.reduce((sum, batch) => sum + batch.numRows, 0);
  const looked = lookedAt(batches, rows);
  const names: string[] = [];
  first.schema.fields.forEach((field, column) => {
    if (!mayRepeat(field.type)) return;
    const seen = new Set<unknown>();
    let values = 0;
    for (const [batch, row] of looked) {
      const value: unknown = batch.getChildAt(column)?.get(row) ?? null;
      if (value === null) continue;
      seen.add(value);
      values++;
    }
    if (values >= 64 && seen.size > DISTINCT_SHARE * values) names.push(field.name);
  });
  return names;
}

/** The rows of the runs looked at, as (batch, row in the batch). */
function lookedAt(batches: readonly RecordBatch[], rows: number): Array<readonly [RecordBatch, number]> {
  const looked: Array<readonly [RecordBatch, number]> = [];
  let batch = 0;
  let batchStart = 0;
  let next = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = Math.max(next, Math.floor((run * Math.max(0, rows - RUN_ROWS)) / (RUNS - 1)));
    for (let at = start; at < Math.min(rows, start + RUN_ROWS); at++) {
      while (at >= batchStart + (batches[batch] as RecordBatch).numRows) batchStart += (batches[batch++] as RecordBatch).numRows;
      looked.push([batches[batch] as RecordBatch, at - batchStart]);
    }
    next = Math.min(rows, start + RUN_ROWS);
  }
  return looked;
}

/**
 * Whether a type's values may repeat enough for a dictionary, and compare by value when read: integers, dates,
 * times and strings, dictionary-encoded or not.
 */
function mayRepeat(type: DataType): boolean {
  if (DataType.isDictionary(type)) return mayRepeat(type.dictionary);
  return DataType.isInt(type) || DataType.isTimestamp(type) || DataType.isDate(type) || DataType.isTime(type) || DataType.isUtf8(type) || DataType.isLargeUtf8(type);
}

/**
 * Rows the plain columns of a file written batch by batch are chosen from (see {@link nearlyDistinctColumns}):
 * its first rows, however they are batched, so the choice does not depend on batch sizes or encoders.
 */
export const JUDGED_ROWS = 16_384;

/**
 * The first `rows` rows of some batches (fewer when they hold fewer).
 * @param batches batches of one schema
 * @param rows how many rows
 */
export function firstRows(batches: readonly RecordBatch[], rows: number): RecordBatch[] {
  const out: RecordBatch[] = [];
  let left = rows;
  for (const batch of batches) {
    if (left <= 0) break;
    out.push(batch.numRows <= left ? batch : batch.slice(0, left));
    left -= batch.numRows;
  }
  return out;
}
