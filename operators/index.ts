/** The RxJS operators and sources of arrow-balance, one a file. */
export { balance } from './balance.js';
export { countClasses } from './count-classes.js';
export { fromArrow } from './from-arrow.js';
export { fromParquet } from './from-parquet.js';
export { shuffle, type ShuffleOptions } from './shuffle.js';
export { toArrow } from './to-arrow.js';
export { toParquet } from './to-parquet.js';
export { weight } from './weight.js';
