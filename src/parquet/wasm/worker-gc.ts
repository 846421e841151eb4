/**
 * Garbage collection on demand in the parquet-wasm worker.
 *
 * Batches arrive from the main thread as transferred buffers. V8 starts a collection when the thread
 * itself allocates, not when such buffers arrive, so the encoder's inputs (copied into wasm memory at
 * once, then garbage) piled up: about 40 MB of peak RSS on a 5M-row copy. Collecting after every
 * {@link COLLECT_EVERY_BYTES} received keeps them to that. Exposing `gc` sets V8's `--expose-gc` flag
 * for the process; only contexts created later (this worker's helper context, new `vm` contexts) see it.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Bytes received between two collections. */
const COLLECT_EVERY_BYTES = 16 * 1024 * 1024;

let collect: (() => void) | undefined;
let received = 0;

/**
 * Counts `bytes` received and collects garbage once {@link COLLECT_EVERY_BYTES} have come since the last time.
 * @param bytes size of the buffer just consumed
 */
export function collectAfter(bytes: number): void {
  received += bytes;
  if (received < COLLECT_EVERY_BYTES) return;
  received = 0;
  if (collect === undefined) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}
