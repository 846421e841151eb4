/** Compares the rows of two Parquet files in DuckDB, both ways, and says how they differ. */
import { parquetSource, sqlIdentifier, withDuckDb } from './duckdb-session.js';
import type { DuckDbJsonRow, DuckDbSession } from './duckdb-session.js';
import { describeParquet } from './parquet-inspect.js';
import type { ParquetColumnType } from './parquet-inspect.js';

/** Options for {@link sameRows}. */
export interface SameRowsOptions {
  /** Also require the same row order (each row is compared together with its position in the file). */
  ordered?: boolean;
  /** How many differing rows of each side to quote in the summary (default 3). */
  examples?: number;
  /** A session to reuse; a fresh one is opened and closed otherwise. */
  db?: DuckDbSession;
}

/** The outcome of {@link sameRows}. */
export interface SameRowsResult {
  /** True when schemas (names and types) match and the rows are equal as multisets (or sequences if ordered). */
  same: boolean;
  /** Rows in file A. */
  rowsA: number;
  /** Rows in file B. */
  rowsB: number;
  /** Rows of A missing from B, counting duplicates (`A EXCEPT ALL B`); null when the rows could not be compared. */
  onlyInA: number | null;
  /** Rows of B missing from A, counting duplicates (`B EXCEPT ALL A`); null when the rows could not be compared. */
  onlyInB: number | null;
  /** One line per column whose name or type differs, or a column-count mismatch. */
  schemaDifferences: string[];
  /**
   * Ordered comparisons only: column name (as in A) -> rows whose value differs from B's row at the same
   * position (`IS DISTINCT FROM`), for columns with any difference. Empty otherwise.
   */
  differingColumns: Record<string, number>;
  /** Up to `examples` rows only in A, as JSON-safe values. */
  examplesOnlyInA: DuckDbJsonRow[];
  /** Up to `examples` rows only in B, as JSON-safe values. */
  examplesOnlyInB: DuckDbJsonRow[];
  /** One readable paragraph: identical, or every difference found with examples. */
  summary: string;
}

/**
 * Compares two Parquet files in DuckDB: schemas, row counts, and `A EXCEPT ALL B` and `B EXCEPT ALL A`.
 * DuckDB treats NaN as equal to NaN, so floating-point columns holding NaN still compare equal; it also treats
 * -0.0 as equal to 0.0, so a lost sign of zero goes unnoticed here.
 *
 * ## Example
 * ```ts
 * const result = await sameRows('in.parquet', 'out.parquet');
 * expect(result.same, result.summary).toBe(true);
 * ```
 * @param pathA first file
 * @param pathB second file
 * @param options order sensitivity, example count, session
 * @returns counts, differences and a summary
 */
export async function sameRows(pathA: string, pathB: string, options: SameRowsOptions = {}): Promise<SameRowsResult> {
  const limit = Math.max(0, Math.trunc(options.examples ?? 3));
  const ordered = options.ordered === true;
  return withDuckDb(async (db) => {
    const a = parquetSource(pathA, { fileRowNumber: ordered });
    const b = parquetSource(pathB, { fileRowNumber: ordered });
    const columnsA = await describeParquet(pathA, db);
    const columnsB = await describeParquet(pathB, db);
    const schemaDifferences = compareSchemas(columnsA, columnsB);
    const rowsA = await db.count(`SELECT count(*) FROM ${a}`);
    const rowsB = await db.count(`SELECT count(*) FROM ${b}`);
    const result: SameRowsResult = {
      same: false,
      rowsA,
      rowsB,
      onlyInA: null,
      onlyInB: null,
      schemaDifferences,
      differingColumns: {},
      examplesOnlyInA: [],
      examplesOnlyInB: [],
      summary: '',
    };
    let compareError: string | null = null;
    if (!schemaDifferences.some((d) => d.startsWith('column count'))) {
      try {
        result.onlyInA = await db.count(`SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`);
        result.onlyInB = await db.count(`SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})`);
        if (limit > 0 && result.onlyInA > 0) {
          result.examplesOnlyInA = await db.rowsJson(`SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b} LIMIT ${limit}`);
        }
        if (limit > 0 && result.onlyInB > 0) {
          result.examplesOnlyInB = await db.rowsJson(`SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a} LIMIT ${limit}`);
        }
        if (ordered && (result.onlyInA > 0 || result.onlyInB > 0)) {
          result.differingColumns = await differingColumns(db, a, b, columnsA, columnsB);
        }
      } catch (error) {
        compareError = error instanceof Error ? error.message : String(error);
      }
    }
    result.same =
      schemaDifferences.length === 0 && rowsA === rowsB && result.onlyInA === 0 && result.onlyInB === 0;
    result.summary = summarise(pathA, pathB, ordered, result, compareError);
    return result;
  }, options.db);
}

/** Pairs rows by position and counts, per column, the pairs whose values differ. */
async function differingColumns(
  db: DuckDbSession,
  a: string,
  b: string,
  columnsA: ParquetColumnType[],
  columnsB: ParquetColumnType[],
): Promise<Record<string, number>> {
  const tests = columnsA.map((column, i) => {
    const other = columnsB[i]?.name ?? column.name;
    return `count(*) FILTER (WHERE a.${sqlIdentifier(column.name)} IS DISTINCT FROM b.${sqlIdentifier(other)}) AS d${i}`;
  });
  const [row] = await db.rows(
    `SELECT ${tests.join(', ')} FROM ${a} AS a JOIN ${b} AS b ON a.file_row_number = b.file_row_number`,
  );
  const counts: Record<string, number> = {};
  columnsA.forEach((column, i) => {
    const n = Number(row?.[`d${i}`] ?? 0);
    if (n > 0) counts[column.name] = n;
  });
  return counts;
}

function compareSchemas(a: ParquetColumnType[], b: ParquetColumnType[]): string[] {
  const differences: string[] = [];
  if (a.length !== b.length) {
    differences.push(
      `column count: A has ${a.length} (${a.map((c) => c.name).join(', ')}), ` +
        `B has ${b.length} (${b.map((c) => c.name).join(', ')})`,
    );
    return differences;
  }
  a.forEach((colA, i) => {
    const colB = b[i];
    if (colB === undefined) return;
    if (colA.name !== colB.name) differences.push(`column ${i + 1}: named "${colA.name}" in A, "${colB.name}" in B`);
    if (colA.type !== colB.type) differences.push(`column ${i + 1} "${colA.name}": ${colA.type} in A, ${colB.type} in B`);
  });
  return differences;
}

function summarise(
  pathA: string,
  pathB: string,
  ordered: boolean,
  result: SameRowsResult,
  compareError: string | null,
): string {
  const files = `A = ${pathA}, B = ${pathB}`;
  if (result.same) {
    return `same rows${ordered ? ' in the same order' : ''}: both have ${result.rowsA} rows (${files})`;
  }
  const parts = [`rows differ${ordered ? ' (order-sensitive)' : ''} (${files})`];
  if (result.rowsA !== result.rowsB) parts.push(`A has ${result.rowsA} rows, B has ${result.rowsB}`);
  else parts.push(`both have ${result.rowsA} rows`);
  if (result.schemaDifferences.length > 0) parts.push(`schema: ${result.schemaDifferences.join('; ')}`);
  if (compareError !== null) parts.push(`rows could not be compared: ${compareError}`);
  if (result.onlyInA !== null && result.onlyInB !== null) {
    parts.push(`${result.onlyInA} row(s) only in A, ${result.onlyInB} row(s) only in B`);
  }
  const columns = Object.entries(result.differingColumns);
  if (columns.length > 0) {
    parts.push(`values differ at the same position in: ${columns.map(([name, n]) => `${name} (${n} rows)`).join(', ')}`);
  }
  if (result.examplesOnlyInA.length > 0) parts.push(`only in A, e.g. ${quoteRows(result.examplesOnlyInA)}`);
  if (result.examplesOnlyInB.length > 0) parts.push(`only in B, e.g. ${quoteRows(result.examplesOnlyInB)}`);
  return parts.join('; ');
}

function quoteRows(rows: DuckDbJsonRow[]): string {
  return rows
    .map((row) => {
      const text = JSON.stringify(row);
      return text.length > 400 ? `${text.slice(0, 400)}...` : text;
    })
    .join(' ');
}
