/**
 * Parquet fixtures written by another implementation (DuckDB): a file with every common column type, and a
 * benchmark-like labelled file with exact class shares.
 */
export { writeAllTypesParquet, allTypesQuery } from './all-types-fixture.js';
export type { AllTypesOptions, FixtureSummary } from './all-types-fixture.js';
export { ALL_TYPES_COLUMNS } from './all-types-columns.js';
export type { AllTypesColumn, AllTypesColumnName } from './all-types-columns.js';
export { writeLabelledParquet } from './labelled-fixture.js';
export type { LabelledOptions, LabelledSummary } from './labelled-fixture.js';
export { classCounts } from './class-counts.js';
export { actualRowGroupSize, DUCKDB_VECTOR_SIZE } from './copy-options.js';
export type { CopyOptions, FixtureCompression } from './copy-options.js';
