import { ArrowBalanceError } from '../errors.js';

/** The Parquet engines arrow-balance can read and write with. */
export type ParquetEngine = 'parquet-wasm' | 'parquetjs-lite';

/** The default engine: fast, and reads every common Parquet feature. */
export const DEFAULT_ENGINE: ParquetEngine = 'parquet-wasm';

/** Every engine, by name. */
export const ENGINES: readonly ParquetEngine[] = ['parquet-wasm', 'parquetjs-lite'];

/**
 * Checks an `engine` option and returns the engine to use.
 * @param engine the option as given (undefined picks the default)
 * @returns a known engine name
 * @throws ArrowBalanceError naming the option and the known engines
 */
export function resolveEngine(engine: unknown): ParquetEngine {
  if (engine === undefined) return DEFAULT_ENGINE;
  if (typeof engine === 'string' && (ENGINES as readonly string[]).includes(engine)) return engine as ParquetEngine;
  throw new ArrowBalanceError(`unknown engine ${JSON.stringify(engine)}; use one of: ${ENGINES.join(', ')}`);
}
