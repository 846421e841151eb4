import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArrowBalanceError } from '../../errors.js';
import { siblingWorkerUrl } from './worker-url.js';

/** Environment variable that names the worker module's file, for bundled applications. */
export const WORKER_ENV = 'ARROW_BALANCE_WORKER';

let chosen: URL | undefined;

/**
 * Tells arrow-balance where its Parquet worker module is.
 *
 * Only bundled applications need it: unbundled, the worker is found beside arrow-balance's own modules. A
 * bundle that inlines arrow-balance moves it away from that file, so bundle the entry `arrow-balance/worker`
 * as a file of its own (see README, "Bundling") and name that file here, before the first read or write. The
 * environment variable `ARROW_BALANCE_WORKER` does the same without code; this call takes precedence.
 *
 * ## Example
 * ```ts
 * import { setWorkerPath } from 'arrow-balance';
 * setWorkerPath(new URL('./arrow-balance-worker.cjs', import.meta.url));
 * ```
 * @param path the bundled worker file: a path (relative to the working directory) or a `file:` URL
 * @throws ArrowBalanceError when no file is there
 */
export function setWorkerPath(path: string | URL): void {
  chosen = checkedWorkerUrl(path, 'setWorkerPath');
}

/**
 * The URL to start a Parquet worker thread from: the one set by {@link setWorkerPath}, else the
 * `ARROW_BALANCE_WORKER` file, else the module beside this one.
 * @throws ArrowBalanceError when none is found, saying how to point arrow-balance at it
 */
export function parquetWorkerUrl(): URL {
  if (chosen !== undefined) return chosen;
  const fromEnv = process.env[WORKER_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return checkedWorkerUrl(fromEnv, WORKER_ENV);
  // A CommonJS bundle has no import.meta.url; an ES module bundle has the bundle's own.
  const here: unknown = import.meta.url;
  const beside = typeof here === 'string' && here.startsWith('file:') ? siblingWorkerUrl(here, 'wasm-worker.js') : undefined;
  if (beside !== undefined && existsSync(beside)) return beside;
  throw new ArrowBalanceError(
    `cannot find the Parquet worker module${beside === undefined ? '' : ` (${fileURLToPath(beside)})`}; when arrow-balance is bundled, ` +
      `bundle "arrow-balance/worker" as a file of its own and call setWorkerPath(file) or set ${WORKER_ENV} (README, "Bundling")`,
  );
}

function checkedWorkerUrl(path: string | URL, by: string): URL {
  const url = path instanceof URL ? path : pathToFileURL(resolve(path));
  if (url.protocol !== 'file:') throw new ArrowBalanceError(`${by}: the worker module must be a local file, got ${url.href}`);
  const file = fileURLToPath(url);
  if (!existsSync(file) || !statSync(file).isFile()) throw new ArrowBalanceError(`${by}: no worker module at ${file}; give the path of the bundled "arrow-balance/worker" file`);
  return url;
}

/**
 * The parent's Node options for a worker thread, without `--input-type`: a worker inherits them, and that one
 * makes it fail at start (`node --input-type=module -e '...'` is how scripts run ES module code inline).
 */
export function workerExecArgv(): string[] {
  const kept: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--input-type') i += 1;
    else if (!arg.startsWith('--input-type=')) kept.push(arg);
  }
  return kept;
}
