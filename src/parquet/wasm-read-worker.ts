/**
 * Worker thread that decodes Parquet with parquet-wasm and hands row groups to the main thread as Arrow IPC.
 *
 * Decoding here keeps a wasm trap (corrupt pages can abort the decoder) from taking the main process down,
 * and lets decoding run on the second core while the main thread works.
 */
import { openAsBlob } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { ParquetFile } from 'parquet-wasm';
import { framingProblem } from './parquet-magic.js';
import type { OpenedFile, ReadReply, ReadRequest, WorkerInput } from './read-protocol.js';

if (parentPort === null) throw new Error('arrow-balance: wasm-read-worker must run in a worker thread');
const port = parentPort;

let inputs: readonly WorkerInput[] = [];
let current: { index: number; file: ParquetFile } | undefined;
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: ReadRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: ReadRequest): Promise<void> {
  try {
    if (request.type === 'open') {
      inputs = request.inputs;
      const files: OpenedFile[] = [];
      for (let index = 0; index < inputs.length; index += 1) files.push(await describe(index));
      reply({ type: 'opened', files });
    } else {
      const file = await fileAt(request.file);
      const table = await file.read({
        rowGroups: [request.rowGroup],
        ...(request.columns === undefined ? {} : { columns: [...request.columns] }),
        ...(request.batchSize === undefined ? {} : { batchSize: request.batchSize }),
      });
      const ipc = table.intoIPCStream();
      reply({ type: 'rows', ipc }, [ipc.buffer as ArrayBuffer]);
    }
  } catch (error) {
    const file = request.type === 'open' ? openingName : (inputs[request.file]?.name ?? '');
    reply({ type: 'failed', file, message: describeError(error) });
  }
}

/** Name of the input being opened, for error messages. */
let openingName = '';

async function describe(index: number): Promise<OpenedFile> {
  openingName = inputs[index]?.name ?? '';
  const file = await fileAt(index);
  const metadata = file.metadata();
  const rowGroupRows = metadata.rowGroups().map((group) => group.numRows());
  const schemaIpc = file.schema().intoIPCStream();
  return { schemaIpc, rowGroupRows };
}

async function fileAt(index: number): Promise<ParquetFile> {
  if (current?.index === index) return current.file;
  current?.file.free();
  current = undefined;
  const input = inputs[index];
  if (input === undefined) throw new Error(`no input number ${index}`);
  const blob = 'path' in input ? await openAsBlob(input.path) : new Blob([input.bytes]);
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  const tail = new Uint8Array(await blob.slice(Math.max(0, blob.size - 8)).arrayBuffer());
  const problem = framingProblem(blob.size, head, tail);
  if (problem !== undefined) throw new Error(problem);
  current = { index, file: await ParquetFile.fromFile(blob) };
  return current.file;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function reply(message: ReadReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}
