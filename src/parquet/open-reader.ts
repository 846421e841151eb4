import { ArrowBalanceError } from '../errors.js';
import type { BatchReader, ReadOptions } from './batch-reader.js';
import { loadParquetjsLite } from './lite/lite-library.js';
import { resolveEngine, type ParquetEngine } from './engine.js';
import { resolveSources, type ParquetInput, type ParquetSource } from './sources.js';
import { WasmBatchReader } from './wasm/wasm-reader.js';
import { liteRefusesUrl } from '../remote/remote-url.js';

/** Most decoder threads one reader may ask for. */
const MAX_DECODERS = 16;

/** Options of `fromParquet` and `openParquet`. */
export interface ParquetReadOptions extends ReadOptions {
  /** `'parquet-wasm'` (default) or `'parquetjs-lite'` (pure JavaScript; fewer features). */
  readonly engine?: ParquetEngine | undefined;
}

/**
 * Checks read options before anything is read.
 * @throws ArrowBalanceError naming the bad option
 */
export function validateReadOptions(options: ParquetReadOptions): void {
  resolveEngine(options.engine);
  const { batchSize, columns, decoders, transient } = options;
  if (transient !== undefined && typeof transient !== 'boolean') throw new ArrowBalanceError(`transient must be true or false, got ${String(transient)}`);
  if (decoders !== undefined && (!Number.isSafeInteger(decoders) || decoders < 1 || decoders > MAX_DECODERS)) {
    throw new ArrowBalanceError(`decoders must be an integer from 1 to ${MAX_DECODERS}, got ${String(decoders)}`);
  }
  if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1)) {
    throw new ArrowBalanceError(`batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  if (columns !== undefined) {
    if (!Array.isArray(columns) || columns.some((column) => typeof column !== 'string')) {
      throw new ArrowBalanceError('columns must be an array of column names');
    }
    if (columns.length === 0) throw new ArrowBalanceError('columns is empty; list at least one column, or leave it out to read all');
  }
}

/**
 * Opens Parquet input(s) as a pull-based reader of Arrow record batches, a row group (or a few small ones)
 * per `next()`.
 *
 * This is the engine behind `fromParquet` and the trainer bridge; most callers want `fromParquet`.
 * @param source a file path, a list of paths, a directory (its `*.parquet` files sorted by name), or bytes
 * @param options projection, batch size and engine
 * @returns a reader; call `close()` when done with it
 */
export async function openParquet(source: ParquetSource, options: ParquetReadOptions = {}): Promise<BatchReader> {
  validateReadOptions(options);
  const inputs = await resolveSources(source);
  const engine = resolveEngine(options.engine);
  if (engine === 'parquet-wasm') return WasmBatchReader.open(inputs, options);
  return openParquetjsLite(inputs, options);
}

/** parquetjs-lite is loaded only when chosen: it costs start-up time and breaks ES module bundles (it assigns globals). */
async function openParquetjsLite(inputs: readonly ParquetInput[], options: ReadOptions): Promise<BatchReader> {
  const remote = inputs.find((input) => 'remote' in input);
  if (remote !== undefined) throw liteRefusesUrl(remote.name);
  await loadParquetjsLite();
  const { LiteBatchReader } = await import('./lite/lite-reader.js');
  return LiteBatchReader.open(inputs, options);
}
