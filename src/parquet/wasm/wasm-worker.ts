/**
 * The parquet-wasm worker thread: decodes row groups for readers and encodes batches for writers, with one
 * wasm instance (see `worker-pool.ts`).
 *
 * Decoding here keeps a wasm trap (corrupt pages can abort the decoder) from taking the main process down,
 * and puts the second core to work. After an uncaught error the wasm instance may be broken, so the worker
 * fails its writers, tells the main thread why, and stops; the pool starts a fresh one when needed.
 */
import './wasm-heap-ipc.js';
import { parentPort } from 'node:worker_threads';
import { handleRead } from './wasm-decoder.js';
import { failAllSessions, handleWrite } from './wasm-encoder.js';
import { handleTask } from './wasm-task.js';
import { failAllPartSessions, handlePartRequest } from './part-encoder.js';
import type { PartRequest, PartReturn, ReadReply, ReadRequest, TaskReply, TaskRequest, WorkerCrash, WriteRequest } from './worker-protocol.js';
import { collectAfter } from './worker-gc.js';
import { partWritten, resetPartCredits } from '../part-credits.js';
import { messageOf } from '../../text/escape-text.js';

if (parentPort === null) throw new Error('arrow-balance: wasm-worker must run in a worker thread');
const port = parentPort;

const READS = new Set(['describe', 'read', 'forget']);
const PARTS = new Set(['parts-start', 'part', 'parts-end']);
let reads: Promise<void> = Promise.resolve();

port.on('message', (request: (ReadRequest & { readonly id: number }) | (TaskRequest & { readonly id: number }) | PartReturn | WriteRequest | PartRequest) => {
  if (request.type === 'part-written') {
    // The main thread is done with a part and sent its memory back: it is garbage here, collected with the rest.
    partWritten();
    collectAfter(request.bytes.byteLength);
  } else if (request.type === 'task') {
    // Tasks queue with reads: both use the reader's open file and the wasm heap one at a time.
    reads = reads.then(() => {
      resetPartCredits();
      return handleTask(request, (message: TaskReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer));
    });
  } else if (READS.has(request.type)) {
    // A reader forgotten has stopped reading: a task of its that waits for pieces to be written must not wait
    // for ever in front of the queue (see part-credits.ts).
    if (request.type === 'forget') resetPartCredits();
    const read = request as ReadRequest & { readonly id: number };
    reads = reads.then(() => handleRead(read, (message: ReadReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)));
  } else if (PARTS.has(request.type)) {
    // Encoded at once, between the steps of any read in progress: parts use the wasm heap only while encoding.
    handlePartRequest(request as PartRequest);
  } else {
    handleWrite(request as WriteRequest);
  }
});

function crash(error: unknown): void {
  failAllSessions(error);
  failAllPartSessions(error);
  port.postMessage({ crashed: messageOf(error) } satisfies WorkerCrash);
  process.exit(1);
}

process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
