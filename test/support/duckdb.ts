/**
 * DuckDB test support in one import: a session wrapper, Parquet inspection (types, rows, row groups,
 * compression, key-value metadata) and a two-way row comparison of Parquet files.
 */
export { openDuckDb, withDuckDb, sqlString, sqlIdentifier, parquetSource } from './duckdb-session.js';
export type { DuckDbSession, DuckDbRow, DuckDbJsonRow, OpenDuckDbOptions } from './duckdb-session.js';
export { describeParquet, parquetRowCount, parquetMetadata } from './parquet-inspect.js';
export type { ParquetColumnType, ParquetColumnChunk, ParquetRowGroup, ParquetMetadata } from './parquet-inspect.js';
export { sameRows } from './same-rows.js';
export type { SameRowsOptions, SameRowsResult } from './same-rows.js';
