/** The RxJS operators and sources of arrow-balance, one a file. */
export { fromParquet } from './from-parquet.js';
export { toParquet } from './to-parquet.js';
