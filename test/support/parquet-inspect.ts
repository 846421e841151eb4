/** What DuckDB sees in a Parquet file: column types, row count, row groups, compression and key-value metadata. */
import { parquetSource, sqlString, withDuckDb } from './duckdb-session.js';
import type { DuckDbSession } from './duckdb-session.js';

/** One column as DuckDB reads it from a Parquet file. */
export interface ParquetColumnType {
  /** Column name. */
  name: string;
  /** DuckDB type, as `DESCRIBE` prints it (e.g. `BIGINT`, `DECIMAL(10,2)`, `VARCHAR[]`, `STRUCT(x INTEGER)`). */
  type: string;
}

/** One column chunk of one row group, from `parquet_metadata()`. */
export interface ParquetColumnChunk {
  /** Dotted path of the leaf column in the Parquet schema (e.g. `id`, `struct.x`, `list_str.list.element`). */
  path: string;
  /** Physical Parquet type (e.g. `INT64`, `BYTE_ARRAY`). */
  physicalType: string;
  /** Compression codec as DuckDB names it (e.g. `SNAPPY`, `ZSTD`, `GZIP`, `UNCOMPRESSED`). */
  compression: string;
  /** Page encodings used (e.g. `PLAIN`, `RLE_DICTIONARY`). */
  encodings: string[];
  /** Null count from the statistics, when written. */
  nullCount: number | null;
}

/** One row group. */
export interface ParquetRowGroup {
  /** Rows in this row group. */
  rows: number;
  /** Column chunks in schema order. */
  columns: ParquetColumnChunk[];
}

/** File-level facts about a Parquet file. */
export interface ParquetMetadata {
  /** The writer's `created_by` string. */
  createdBy: string | null;
  /** Total rows. */
  rows: number;
  /** The footer's format version: 1, or 2 when written with data page v2 (DuckDB `PARQUET_VERSION v2`). */
  formatVersion: number;
  /** Row groups in file order. */
  rowGroups: ParquetRowGroup[];
  /** Every compression codec used by any column chunk, sorted. */
  compressions: string[];
  /** Key-value metadata of the file footer (includes writer entries such as `ARROW:schema` if present). */
  keyValue: Record<string, string>;
}

/**
 * Column names and DuckDB types of a Parquet file (`DESCRIBE SELECT * FROM read_parquet(...)`).
 *
 * @param path the file
 * @param db a session to reuse; a fresh one is opened and closed otherwise
 * @returns the columns in file order
 */
export async function describeParquet(path: string, db?: DuckDbSession): Promise<ParquetColumnType[]> {
  return withDuckDb(async (session) => {
    const rows = await session.rows(`DESCRIBE SELECT * FROM ${parquetSource(path)}`);
    return rows.map((row) => ({ name: String(row['column_name']), type: String(row['column_type']) }));
  }, db);
}

/**
 * Number of rows in a Parquet file, counted by DuckDB.
 *
 * @param path the file
 * @param db a session to reuse
 * @returns the row count
 */
export async function parquetRowCount(path: string, db?: DuckDbSession): Promise<number> {
  return withDuckDb((session) => session.count(`SELECT count(*) FROM ${parquetSource(path)}`), db);
}

/**
 * Row groups, per-column compression and encodings (`parquet_metadata()`), the writer and the key-value
 * metadata (`parquet_kv_metadata()`) of a Parquet file.
 *
 * @param path the file
 * @param db a session to reuse
 * @returns the metadata
 */
export async function parquetMetadata(path: string, db?: DuckDbSession): Promise<ParquetMetadata> {
  return withDuckDb(async (session) => {
    const file = sqlString(path);
    const [fileRow] = await session.rows(`SELECT created_by, num_rows, format_version FROM parquet_file_metadata(${file})`);
    const chunks = await session.rows(
      `SELECT row_group_id, row_group_num_rows, path_in_schema, type, compression, encodings, stats_null_count
       FROM parquet_metadata(${file}) ORDER BY row_group_id, column_id`,
    );
    const kv = await session.rows(
      `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${file})`,
    );
    return {
      createdBy: fileRow?.['created_by'] == null ? null : String(fileRow['created_by']),
      rows: Number(fileRow?.['num_rows'] ?? 0),
      formatVersion: Number(fileRow?.['format_version'] ?? 1),
      rowGroups: groupChunks(chunks),
      compressions: [...new Set(chunks.map((c) => String(c['compression'])))].sort(),
      keyValue: Object.fromEntries(kv.map((row) => [String(row['key']), String(row['value'])])),
    };
  }, db);
}

function groupChunks(chunks: Record<string, unknown>[]): ParquetRowGroup[] {
  const groups: ParquetRowGroup[] = [];
  for (const chunk of chunks) {
    const id = Number(chunk['row_group_id']);
    let group = groups[id];
    if (group === undefined) {
      group = { rows: Number(chunk['row_group_num_rows']), columns: [] };
      groups[id] = group;
    }
    group.columns.push({
      path: String(chunk['path_in_schema']).split(', ').join('.'),
      physicalType: String(chunk['type']),
      compression: String(chunk['compression']),
      encodings: String(chunk['encodings'])
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== ''),
      nullCount: chunk['stats_null_count'] == null ? null : Number(chunk['stats_null_count']),
    });
  }
  return groups;
}
