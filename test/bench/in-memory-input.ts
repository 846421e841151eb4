/**
 * The input of the in-memory operator benchmark: the labelled 90/9/1 % file read once into Arrow record
 * batches and once into a DuckDB table, plus the per-class count check every timed job must pass.
 */
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { from, last, lastValueFrom, toArray } from 'rxjs';
import { countClasses, fromParquet } from '../../operators/index.js';
import type { ClassCounts } from '../../src/classes/class-counts.js';
import { classKey } from '../../src/classes/class-value.js';
import { openDuckDb, sqlString } from '../support/duckdb.js';
import type { DuckDbSession } from '../support/duckdb.js';
import { writeLabelledParquet } from '../support/fixtures.js';

/** Class shares of the benchmark input. */
export const BENCH_CLASSES = { 0: 0.9, 1: 0.09, 2: 0.01 };

/** The benchmark input, held in memory twice: as Arrow batches and as DuckDB table `t`. */
export interface InMemoryInput {
  /** The rows as fromParquet read them (one batch per row group). */
  readonly batches: readonly RecordBatch[];
  /** Rows per class of the input. */
  readonly counts: ClassCounts;
  /** An open DuckDB session (2 threads) holding the same rows in table `t`; close it when done. */
  readonly db: DuckDbSession;
}

/**
 * Reads `labelled-<rows>.parquet` of `dir` (the file `npm run bench` uses; written with DuckDB if absent)
 * fully into memory, as fromParquet's batches (one per 122,880-row row group) and as a DuckDB table.
 * @param dir the benchmark directory
 * @param rows rows of the input
 * @returns the batches, their class counts and the DuckDB session
 */
export async function loadInput(dir: string, rows: number): Promise<InMemoryInput> {
  const path = join(dir, `labelled-${rows}.parquet`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${path} with DuckDB...\n`);
    const partial = `${path}.${process.pid}.tmp`;
    await writeLabelledParquet(partial, { rows, classes: BENCH_CLASSES, featureColumns: 12, rowGroupSize: 122_880, compression: 'snappy' });
    await rename(partial, path);
  }
  const batches = await lastValueFrom(fromParquet(path).pipe(toArray()));
  const counts = await classCountsOf(batches);
  const db = await openDuckDb({ threads: 2 });
  try {
    await db.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${sqlString(path)})`);
    expectCounts('DuckDB table t', await duckCounts(db, 't'), new Map(counts.entries().map(([v, n]) => [classKey(v), n])), 0);
  } catch (error) {
    db.close();
    throw error;
  }
  return { batches, counts, db };
}

/**
 * Rows per class of some batches (label column `label`).
 * @param batches the batches
 * @returns their class counts
 */
export function classCountsOf(batches: readonly RecordBatch[]): Promise<ClassCounts> {
  return lastValueFrom(from(batches).pipe(countClasses({ label: 'label' }), last()));
}

/**
 * Rows per class of a DuckDB table with an integer `label` column.
 * @param db the session
 * @param table the table name
 * @returns rows by class key
 */
export async function duckCounts(db: DuckDbSession, table: string): Promise<Map<string, number>> {
  const rows = await db.rows(`SELECT label, count(*) AS n FROM ${table} GROUP BY label`);
  return new Map(rows.map((row) => [String(row['label']), Number(row['n'])]));
}

/**
 * Throws unless every class has its wanted count, within `tolerance` (relative; 0 = exactly), so that a
 * broken operator cannot report a speed.
 * @param job what produced the rows (for the message)
 * @param got rows by class key
 * @param want rows wanted by class key
 * @param tolerance allowed relative difference per class
 */
export function expectCounts(job: string, got: ReadonlyMap<string, number>, want: ReadonlyMap<string, number>, tolerance: number): void {
  const keys = new Set([...got.keys(), ...want.keys()]);
  for (const key of keys) {
    const g = got.get(key) ?? 0;
    const w = want.get(key) ?? 0;
    if (Math.abs(g - w) > tolerance * w) {
      const show = (m: ReadonlyMap<string, number>) => [...m].map(([k, n]) => `${k}: ${n}`).join(', ');
      throw new Error(`bench ${job}: class ${key} has ${g} rows, want ${w}${tolerance > 0 ? ` +/- ${tolerance * 100} %` : ''} (got ${show(got)}; want ${show(want)})`);
    }
  }
}
