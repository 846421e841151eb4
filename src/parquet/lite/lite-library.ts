import type parquetjs from 'parquetjs-lite';
import { ArrowBalanceError } from '../../errors.js';

let loading: Promise<typeof parquetjs> | undefined;

/**
 * Loads parquetjs-lite on first use, once per process.
 *
 * The writer imports it lazily, like the reader, so an application that never picks the parquetjs-lite
 * engine never loads it: it costs start-up time, and it cannot run inside an ES module bundle (its
 * generated Thrift code assigns undeclared globals, which strict mode refuses).
 * @returns parquetjs-lite's module
 * @throws ArrowBalanceError when it cannot be loaded (as inside an ES module bundle), suggesting the default engine
 */
export function loadParquetjsLite(): Promise<typeof parquetjs> {
  loading ??= import('parquetjs-lite').then(
    (module) => module.default,
    (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ArrowBalanceError(`the parquetjs-lite engine cannot be loaded here (${reason}); use the default engine parquet-wasm`, { cause: error });
    },
  );
  return loading;
}
