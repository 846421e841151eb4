/**
 * Worker thread that encodes Arrow IPC batches to Parquet with parquet-wasm and writes them to a file descriptor.
 *
 * Encoding runs here so that it overlaps with decoding (another worker) and with the main thread's work.
 * A shared counter tells the main thread how many batches wait, so it can hold back when we fall behind.
 */
import { openAsBlob, writeSync } from 'node:fs';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { ParquetFile, Table, transformParquetStream, type RecordBatch } from 'parquet-wasm';
import { buildWriterProperties } from './writer-properties.js';
import { FAILED, QUEUED, type EncodeSettings, type WriteReply, type WriteRequest } from './write-protocol.js';

if (parentPort === null) throw new Error('arrow-balance: wasm-write-worker must run in a worker thread');
const port = parentPort;

const waiting: Uint8Array[] = [];
let finished = false;
let wake: (() => void) | undefined;
let control: Int32Array | undefined;
let replies: MessagePort | undefined;

process.on('uncaughtException', (error) => fail(error));
process.on('unhandledRejection', (error) => fail(error));

port.on('message', (request: WriteRequest) => {
  if (request.type === 'start') {
    control = new Int32Array(request.control);
    replies = request.replies;
    encode(request.fd, request.path, request.settings).then(
      (reply) => replies?.postMessage(reply),
      (error: unknown) => fail(error),
    );
    return;
  }
  if (request.type === 'batch') waiting.push(request.ipc);
  else finished = true;
  wake?.();
});

async function encode(fd: number, path: string, settings: EncodeSettings): Promise<WriteReply> {
  const input = new ReadableStream<RecordBatch>(
    {
      pull: async (controller) => {
        while (waiting.length === 0 && !finished) await new Promise<void>((resolve) => (wake = resolve));
        const ipc = waiting.shift();
        if (ipc === undefined) {
          controller.close();
          return;
        }
        // Free the table at once: its wasm memory is otherwise kept until a GC that a small JS heap rarely runs.
        const table = Table.fromIPCStream(ipc);
        const batches = table.recordBatches();
        table.free();
        for (const batch of batches) controller.enqueue(batch);
        taken();
      },
    },
    { highWaterMark: 0 },
  );
  const output: ReadableStream<Uint8Array> = await transformParquetStream(input, buildWriterProperties(settings));
  let bytes = 0;
  const reader = output.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += writeAll(fd, value);
  }
  return { type: 'finished', bytes, rowGroups: await countRowGroups(path) };
}

function writeAll(fd: number, chunk: Uint8Array): number {
  let written = 0;
  while (written < chunk.byteLength) written += writeSync(fd, chunk, written, chunk.byteLength - written);
  return written;
}

/** Reads the row-group count back from the footer we just wrote. */
async function countRowGroups(path: string): Promise<number> {
  const file = await ParquetFile.fromFile(await openAsBlob(path));
  try {
    return file.metadata().numRowGroups();
  } finally {
    file.free();
  }
}

function taken(): void {
  if (control === undefined) return;
  Atomics.sub(control, QUEUED, 1);
  Atomics.notify(control, QUEUED);
}

/** Reports a failure: the message first, then the flag, so the main thread finds the message when it sees the flag. */
function fail(error: unknown): void {
  replies?.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies WriteReply);
  if (control !== undefined) {
    Atomics.store(control, FAILED, 1);
    Atomics.notify(control, QUEUED);
  }
}
