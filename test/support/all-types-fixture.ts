/** Writes, with DuckDB, a Parquet file holding every common column type, nulls in each and edge values. */
import { ALL_TYPES_COLUMNS } from './all-types-columns.js';
import type { AllTypesColumn, AllTypesColumnName } from './all-types-columns.js';
import { copyOptionsSql, requireInteger } from './copy-options.js';
import type { CopyOptions } from './copy-options.js';
import { sqlIdentifier, sqlString, withDuckDb } from './duckdb-session.js';
import type { DuckDbSession } from './duckdb-session.js';
import { parquetMetadata } from './parquet-inspect.js';

/** Options for {@link writeAllTypesParquet}. */
export interface AllTypesOptions extends CopyOptions {
  /** Rows to write (default 10,000). At least 350 rows guarantee every edge value appears non-null. */
  rows?: number;
  /** Values are a pure function of (seed, row, column) for a given DuckDB version (default 1). */
  seed?: number;
  /** Columns to write, in this order (default all of {@link ALL_TYPES_COLUMNS}). */
  columns?: readonly AllTypesColumnName[];
  /** A session to reuse; a fresh one is opened and closed otherwise. */
  db?: DuckDbSession;
}

/** What was written. */
export interface FixtureSummary {
  /** The file. */
  path: string;
  /** Rows written. */
  rows: number;
  /** Row groups in the file. */
  rowGroups: number;
}

/**
 * Makes DuckDB write a Parquet file with the columns of {@link ALL_TYPES_COLUMNS}: int8..int64, uint8..uint64,
 * float, double (with NaN and infinities, which DuckDB reads back intact), decimal(10,2), decimal(38,9),
 * boolean, varchar, dictionary-encoded varchar, enum, date, time, timestamp, timestamptz, list<varchar> and
 * struct. Every column except `id` is null in one row of seven (which rows depends on the column and seed).
 * Rows are written in `id` order.
 *
 * ## Example
 * ```ts
 * await writeAllTypesParquet('/tmp/all.parquet', { compression: 'zstd', rows: 5000, rowGroupSize: 2048, seed: 7 });
 * ```
 * @param path the output file (replaced if present)
 * @param options rows, seed, columns, compression, row-group size, Parquet version, key-value metadata
 * @returns the path, rows and row groups written
 */
export async function writeAllTypesParquet(path: string, options: AllTypesOptions = {}): Promise<FixtureSummary> {
  const rows = options.rows ?? 10_000;
  const seed = options.seed ?? 1;
  requireInteger('rows', rows, 0);
  requireInteger('seed', seed, 0);
  const columns = pickColumns(options.columns);
  const copyOptions = copyOptionsSql(options, 2048);
  return withDuckDb(async (db) => {
    await db.run(`COPY (${allTypesQuery(rows, seed, columns)}) TO ${sqlString(path)} ${copyOptions}`);
    const metadata = await parquetMetadata(path, db);
    return { path, rows: metadata.rows, rowGroups: metadata.rowGroups.length };
  }, options.db);
}

function pickColumns(names: readonly AllTypesColumnName[] | undefined): AllTypesColumn[] {
  if (names === undefined) return [...ALL_TYPES_COLUMNS];
  if (names.length === 0) throw new RangeError('columns must name at least one column');
  return names.map((name) => {
    const column = ALL_TYPES_COLUMNS.find((c) => c.name === name);
    if (column === undefined) {
      throw new RangeError(`columns: unknown column ${String(name)}; known: ${ALL_TYPES_COLUMNS.map((c) => c.name).join(', ')}`);
    }
    return column;
  });
}

/**
 * The SELECT that produces the fixture rows: each column draws from its own hash of (row, seed, column index).
 *
 * @param rows row count
 * @param seed seed
 * @param columns the columns to produce
 * @returns SQL text
 */
export function allTypesQuery(rows: number, seed: number, columns: readonly AllTypesColumn[]): string {
  const selected = columns.map((column) => {
    const salt = ALL_TYPES_COLUMNS.indexOf(column);
    const value = column.sql(`h${salt}`);
    const expr = column.name === 'id' ? value : `CASE WHEN (i + ${salt} + ${seed}) % 7 = 0 THEN NULL ELSE ${value} END`;
    return `${expr} AS ${sqlIdentifier(column.name)}`;
  });
  const hashes = columns.map((column) => {
    const salt = ALL_TYPES_COLUMNS.indexOf(column);
    return `hash(i, ${seed}, ${salt}) AS h${salt}`;
  });
  return (
    `SELECT ${selected.join(',\n  ')}\n` +
    `FROM (SELECT i, i % 50 AS k, ${hashes.join(', ')} FROM range(${rows}) AS t(i))\nORDER BY i`
  );
}
