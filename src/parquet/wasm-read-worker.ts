/**
 * Worker thread that decodes Parquet with parquet-wasm and hands row groups to the main thread as Arrow IPC.
 *
 * Decoding here keeps a wasm trap (corrupt pages can abort the decoder) from taking the main process down,
 * and lets decoding run on the second core while the main thread works.
 */
import { parentPort } from 'node:worker_threads';
import { ParquetFile } from 'parquet-wasm';
import { FileRanges, MemoryRanges } from './file-ranges.js';
import { framingProblem } from './parquet-magic.js';
import type { OpenedFile, ReadReply, ReadRequest, WorkerInput } from './read-protocol.js';

if (parentPort === null) throw new Error('arrow-balance: wasm-read-worker must run in a worker thread');
const port = parentPort;

/** In-memory inputs, kept from the first request that sent their bytes. */
const inMemory = new Map<number, Uint8Array>();
let current: { index: number; file: ParquetFile; ranges: FileRanges | MemoryRanges } | undefined;
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: ReadRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: ReadRequest): Promise<void> {
  try {
    const file = await fileAt(request.file, request.input);
    if (request.type === 'describe') {
      reply({ type: 'described', ...describe(file) });
      return;
    }
    const table = await file.read({
      rowGroups: [request.rowGroup],
      ...(request.columns === undefined ? {} : { columns: [...request.columns] }),
      ...(request.batchSize === undefined ? {} : { batchSize: request.batchSize }),
    });
    const ipc = table.intoIPCStream();
    reply({ type: 'rows', ipc }, [ipc.buffer as ArrayBuffer]);
  } catch (error) {
    reply({ type: 'failed', file: request.input.name, message: describeError(error) });
  }
}

function describe(file: ParquetFile): OpenedFile {
  const rowGroupRows = file.metadata().rowGroups().map((group) => group.numRows());
  return { schemaIpc: file.schema().intoIPCStream(), rowGroupRows };
}

/** The decoder for input `index`, reusing the open one (with this request's descriptor) when it is that input. */
async function fileAt(index: number, input: WorkerInput): Promise<ParquetFile> {
  if ('bytes' in input && input.bytes !== undefined) inMemory.set(index, input.bytes);
  if (current?.index === index) {
    if ('fd' in input && current.ranges instanceof FileRanges) current.ranges.fd = input.fd;
    return current.file;
  }
  current?.file.free();
  current = undefined;
  const ranges = rangesOf(index, input);
  const problem = framingProblem(ranges.size, new Uint8Array(ranges.read(0, 4)), new Uint8Array(ranges.read(Math.max(0, ranges.size - 8), ranges.size)));
  if (problem !== undefined) throw new Error(problem);
  // parquet-wasm asks only for `size` and `slice(start, end).arrayBuffer()` of the Blob it is given.
  current = { index, file: await ParquetFile.fromFile(ranges as unknown as Blob), ranges };
  return current.file;
}

function rangesOf(index: number, input: WorkerInput): FileRanges | MemoryRanges {
  if ('fd' in input) return new FileRanges(input.fd);
  const bytes = inMemory.get(index);
  if (bytes === undefined) throw new Error(`no bytes for input number ${index}`);
  return new MemoryRanges(bytes);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function reply(message: ReadReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}
