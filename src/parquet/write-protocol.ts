/** Messages between the main thread and the parquet-wasm write worker. */
import type { ParquetCompression } from './write-options.js';

/** Index in the shared control array of the number of batches sent but not yet taken by the encoder. */
export const QUEUED = 0;
/** Index in the shared control array set to 1 when the worker has failed. */
export const FAILED = 1;

import type { MessagePort } from 'node:worker_threads';

/** How the worker should encode. */
export interface EncodeSettings {
  readonly compression: ParquetCompression;
  readonly rowGroupSize: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** Leaf column paths (dot-separated) to write without dictionary encoding. */
  readonly plainColumns: readonly string[];
}

/** Main -> worker. */
export type WriteRequest =
  | { readonly type: 'start'; readonly fd: number; readonly path: string; readonly settings: EncodeSettings; readonly control: SharedArrayBuffer; readonly replies: MessagePort }
  | { readonly type: 'batch'; readonly ipc: Uint8Array }
  | { readonly type: 'finish' };

/** Worker -> main: one message, when the file is complete or the worker failed. */
export type WriteReply =
  | { readonly type: 'finished'; readonly bytes: number; readonly rowGroups: number }
  | { readonly type: 'failed'; readonly message: string };
