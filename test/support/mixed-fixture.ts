/**
 * Writes, with DuckDB, the realistic mixed-type benchmark file issue 10 names: a unique int64 id, a timestamp,
 * eight doubles (one with 5 % nulls), a low-cardinality string with 5 % nulls, a unique string, an int label
 * and a string label (classes 90 / 9 / 1 %), snappy.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { readParquet, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { sqlString, withDuckDb } from './duckdb-session.js';

/** Options for {@link writeMixedParquet}. */
export interface MixedOptions {
  readonly rows: number;
  /** Rows per row group (default 122,880, DuckDB's). */
  readonly rowGroupSize?: number;
}

/**
 * Writes the file; the same rows for the same size (DuckDB's random() seeded by setseed).
 * @param path where to write
 * @param options rows and row group size
 */
export async function writeMixedParquet(path: string, options: MixedOptions): Promise<void> {
  const doubles = Array.from({ length: 8 }, (_, k) => (k === 0 ? `CASE WHEN random() < 0.05 THEN NULL ELSE random() END AS f1` : `random() AS f${k + 1}`)).join(', ');
  await withDuckDb(async (db) => {
    await db.run('SELECT setseed(0.42)');
    await db.run(
      `COPY (SELECT i::BIGINT AS id, TIMESTAMP '2024-01-01' + to_seconds(i) AS ts, ${doubles},
         CASE WHEN random() < 0.05 THEN NULL ELSE 'cat' || (hash(i) % 20)::VARCHAR END AS cat,
         md5(i::VARCHAR) AS uid,
         CASE WHEN r < 0.9 THEN 0 WHEN r < 0.99 THEN 1 ELSE 2 END AS label,
         CASE WHEN r < 0.9 THEN 'common' WHEN r < 0.99 THEN 'rare' ELSE 'very rare' END AS label_s
       FROM (SELECT i, random() AS r FROM range(${options.rows}) t(i)))
       TO ${sqlString(path)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${options.rowGroupSize ?? 122_880})`,
    );
  });
}

/**
 * Writes the rows of a Parquet file again with arrow-rs (parquet-wasm's writer: pages of about 1 MB, as
 * pyarrow and pandas write them), in row groups of at most `rowGroupSize` rows. Reads the whole file into
 * memory: for fixtures only.
 * @param input the file to read
 * @param output where to write
 * @param rowGroupSize most rows per row group
 */
export async function rewriteWithArrowRs(input: string, output: string, rowGroupSize: number): Promise<void> {
  const table = readParquet(await readFile(input));
  await writeFile(output, writeParquet(WasmTable.fromIPCStream(table.intoIPCStream()), new WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupSize).build()));
}
