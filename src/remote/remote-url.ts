import { ArrowBalanceError } from '../errors.js';

/**
 * How messages and reports name a URL: without credentials, query or fragment (a presigned URL's query is a
 * secret, and so is a password in it).
 * @throws ArrowBalanceError when it is not a valid URL
 */
export function urlName(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    throw new ArrowBalanceError(`${url}: not a valid URL; check the input`);
  }
}

/** Whether an input names an object over HTTP(S) rather than a local path. */
export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The error for a URL given to the parquetjs-lite engine, which reads local files and bytes only. */
export function liteRefusesUrl(name: string): ArrowBalanceError {
  return new ArrowBalanceError(`${name}: the parquetjs-lite engine reads local files only; read URLs with the default engine (parquet-wasm)`);
}
