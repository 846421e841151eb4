/** The RxJS operators and sources of arrow-balance, one a file. */
export { countClasses } from './count-classes.js';
export { fromParquet } from './from-parquet.js';
export { toParquet } from './to-parquet.js';
