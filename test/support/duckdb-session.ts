/**
 * A small wrapper over one in-memory DuckDB database and connection, for tests and benchmarks that need
 * another implementation to write Parquet fixtures and to check what arrow-balance writes.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, JS, Json } from '@duckdb/node-api';

/** One row as plain JavaScript values (BIGINT as `bigint`, DATE/TIMESTAMP as `Date`, DECIMAL as `number`). */
export type DuckDbRow = Record<string, JS>;

/** One row as JSON-safe values (BIGINT, DECIMAL and temporal values as strings): exact and printable. */
export type DuckDbJsonRow = Record<string, Json>;

/** Options for {@link openDuckDb}. */
export interface OpenDuckDbOptions {
  /** Worker threads DuckDB may use; defaults to DuckDB's own choice (all cores). */
  threads?: number;
}

/** An open in-memory DuckDB database with one connection. Close it when done. */
export interface DuckDbSession {
  /** Runs one or more SQL statements and discards any result. */
  run(sql: string): Promise<void>;
  /** Runs a query and returns every row as plain JavaScript values. */
  rows(sql: string): Promise<DuckDbRow[]>;
  /** Runs a query and returns every row as JSON-safe values (exact for BIGINT, DECIMAL, times). */
  rowsJson(sql: string): Promise<DuckDbJsonRow[]>;
  /** Runs a query and returns the first column of its first row (`null` when there are no rows). */
  scalar(sql: string): Promise<JS>;
  /** Runs a query whose first column of the first row is an integer (e.g. `count(*)`) and returns it. */
  count(sql: string): Promise<number>;
  /** Disconnects and closes the database; safe to call twice. */
  close(): void;
}

/**
 * Opens an in-memory DuckDB database and a connection to it.
 *
 * ## Example
 * ```ts
 * const db = await openDuckDb({ threads: 2 });
 * try { console.log(await db.count(`SELECT count(*) FROM range(10)`)); } finally { db.close(); }
 * ```
 * @param options thread count
 * @returns the open session
 */
export async function openDuckDb(options: OpenDuckDbOptions = {}): Promise<DuckDbSession> {
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config['threads'] = String(options.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
  } catch (error) {
    instance.closeSync();
    throw error;
  }
  return sessionOver(instance, connection);
}

function sessionOver(instance: DuckDBInstance, connection: DuckDBConnection): DuckDbSession {
  let open = true;
  const read = async (sql: string) => {
    if (!open) throw new Error('DuckDB session is closed');
    return connection.runAndReadAll(sql);
  };
  const session: DuckDbSession = {
    async run(sql) {
      await read(sql);
    },
    async rows(sql) {
      return (await read(sql)).getRowObjectsJS();
    },
    async rowsJson(sql) {
      return (await read(sql)).getRowObjectsJson();
    },
    async scalar(sql) {
      const rows = (await read(sql)).getRowsJS();
      return rows[0]?.[0] ?? null;
    },
    async count(sql) {
      const value = await session.scalar(sql);
      if (typeof value !== 'bigint' && typeof value !== 'number') {
        throw new TypeError(`expected an integer from: ${sql}; got ${String(value)}`);
      }
      return Number(value);
    },
    close() {
      if (!open) return;
      open = false;
      connection.closeSync();
      instance.closeSync();
    },
  };
  return session;
}

/**
 * Runs `work` with the given session, or with a fresh one that is closed afterwards (also on error).
 *
 * @param work what to do with the session
 * @param db an existing session to reuse (left open)
 * @returns what `work` returns
 */
export async function withDuckDb<T>(work: (db: DuckDbSession) => Promise<T>, db?: DuckDbSession): Promise<T> {
  if (db !== undefined) return work(db);
  const own = await openDuckDb();
  try {
    return await work(own);
  } finally {
    own.close();
  }
}

/** Quotes a value as a SQL string literal (`it's` -> `'it''s'`). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Quotes a name as a SQL identifier (`my "col"` -> `"my ""col"""`). */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The SQL table expression that reads one Parquet file, e.g. `read_parquet('/tmp/a.parquet')`.
 *
 * @param path the file
 * @param options `fileRowNumber` adds a `file_row_number` column (0-based position in the file)
 * @returns a table expression to put after `FROM`
 */
export function parquetSource(path: string, options: { fileRowNumber?: boolean } = {}): string {
  return options.fileRowNumber === true
    ? `read_parquet(${sqlString(path)}, file_row_number = true)`
    : `read_parquet(${sqlString(path)})`;
}
