import { ArrowBalanceError } from '../errors.js';

/** Whether an input names an object over HTTP(S) rather than a local path. */
export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The error for a URL given to the parquetjs-lite engine, which reads local files and bytes only. */
export function liteRefusesUrl(name: string): ArrowBalanceError {
  return new ArrowBalanceError(`${name}: the parquetjs-lite engine reads local files only; read URLs with the default engine (parquet-wasm)`);
}
