/** The options of DuckDB's `COPY ... TO 'file.parquet' (...)` that fixtures expose, validated and rendered to SQL. */
import { sqlString } from './duckdb-session.js';

/** Compression codecs DuckDB can write (`lz4_raw` is the LZ4 other readers accept). */
export type FixtureCompression = 'snappy' | 'zstd' | 'gzip' | 'uncompressed' | 'brotli' | 'lz4_raw';

const COMPRESSIONS: readonly FixtureCompression[] = ['snappy', 'zstd', 'gzip', 'uncompressed', 'brotli', 'lz4_raw'];

/** How DuckDB lays out a fixture file. */
export interface CopyOptions {
  /** Page compression (default `snappy`). */
  compression?: FixtureCompression;
  /**
   * Target rows per row group. DuckDB fills row groups in whole vectors of 2,048 rows, so the actual size is
   * this rounded up to a multiple of 2,048 (see {@link actualRowGroupSize}).
   */
  rowGroupSize?: number;
  /** `v1` (default) writes data page v1; `v2` writes data page v2 and the newer encodings. */
  parquetVersion?: 'v1' | 'v2';
  /** Extra key-value metadata for the file footer. */
  keyValueMetadata?: Record<string, string>;
}

/** DuckDB's vector size: row groups hold a whole number of these. */
export const DUCKDB_VECTOR_SIZE = 2048;

/**
 * The row-group size DuckDB actually writes for a requested one (rounded up to a multiple of 2,048 rows).
 *
 * @param requested the `rowGroupSize` option
 * @returns rows per full row group
 */
export function actualRowGroupSize(requested: number): number {
  return Math.ceil(requested / DUCKDB_VECTOR_SIZE) * DUCKDB_VECTOR_SIZE;
}

/**
 * Checks the options and renders the parenthesised option list of a Parquet `COPY`.
 *
 * @param options the layout options
 * @param defaultRowGroupSize row-group size when none is given
 * @returns e.g. `(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048, PARQUET_VERSION v1)`
 * @throws RangeError naming the bad option
 */
export function copyOptionsSql(options: CopyOptions, defaultRowGroupSize: number): string {
  const compression = options.compression ?? 'snappy';
  if (!COMPRESSIONS.includes(compression)) {
    throw new RangeError(`compression must be one of ${COMPRESSIONS.join(', ')}; got ${String(compression)}`);
  }
  const rowGroupSize = options.rowGroupSize ?? defaultRowGroupSize;
  requireInteger('rowGroupSize', rowGroupSize, 1);
  const version = options.parquetVersion ?? 'v1';
  if (version !== 'v1' && version !== 'v2') {
    throw new RangeError(`parquetVersion must be 'v1' or 'v2'; got ${String(version)}`);
  }
  const parts = [
    'FORMAT parquet',
    `COMPRESSION ${compression}`,
    `ROW_GROUP_SIZE ${rowGroupSize}`,
    `PARQUET_VERSION ${version}`,
  ];
  const kv = Object.entries(options.keyValueMetadata ?? {});
  if (kv.length > 0) {
    parts.push(`KV_METADATA {${kv.map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(', ')}}`);
  }
  return `(${parts.join(', ')})`;
}

/**
 * Throws a RangeError naming `name` unless `value` is a safe integer of at least `min`.
 *
 * @param name option name for the message
 * @param value the value
 * @param min smallest allowed value
 */
export function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}; got ${String(value)}`);
  }
}
