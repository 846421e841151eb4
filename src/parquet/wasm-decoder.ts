/**
 * The decoding half of the parquet-wasm worker: describes inputs and decodes row groups to Arrow IPC.
 *
 * Runs inside the worker thread, where a wasm trap on a corrupt page cannot take the main process down.
 */
import { ParquetFile } from 'parquet-wasm';
import { FileRanges, MemoryRanges } from './file-ranges.js';
import { framingProblem } from './parquet-magic.js';
import type { OpenedFile, ReadReply, ReadRequest, WorkerInput } from './worker-protocol.js';

/** What the worker keeps for one reader: the bytes of its in-memory inputs and its open file. */
interface ReaderState {
  readonly inMemory: Map<number, Uint8Array>;
  current?: { readonly index: number; readonly file: ParquetFile; readonly ranges: FileRanges | MemoryRanges } | undefined;
}

const readers = new Map<number, ReaderState>();

/**
 * Answers one read request. Requests are handled one at a time, in order.
 * @param request what to do
 * @param reply sends the answer (with buffers to transfer)
 */
export async function handleRead(request: ReadRequest & { readonly id: number }, reply: (message: ReadReply, transfer?: ArrayBuffer[]) => void): Promise<void> {
  const { id } = request;
  if (request.type === 'forget') {
    readers.get(request.reader)?.current?.file.free();
    readers.delete(request.reader);
    reply({ id, type: 'forgotten' });
    return;
  }
  try {
    const file = await fileAt(stateOf(request.reader), request.file, request.input);
    if (request.type === 'describe') {
      reply({ id, type: 'described', ...describe(file) });
      return;
    }
    const table = await file.read({
      rowGroups: [request.rowGroup],
      ...(request.columns === undefined ? {} : { columns: [...request.columns] }),
      ...(request.batchSize === undefined ? {} : { batchSize: request.batchSize }),
    });
    const ipc = table.intoIPCStream();
    reply({ id, type: 'rows', ipc }, [ipc.buffer as ArrayBuffer]);
  } catch (error) {
    reply({ id, type: 'failed', file: request.input.name, message: error instanceof Error ? error.message : String(error) });
    // After a trap the wasm instance may be left inconsistent: let the worker stop (see wasm-worker.ts).
    if (error instanceof Error && error.name === 'RuntimeError') queueMicrotask(() => {
      throw error;
    });
  }
}

function stateOf(reader: number): ReaderState {
  let state = readers.get(reader);
  if (state === undefined) {
    state = { inMemory: new Map() };
    readers.set(reader, state);
  }
  return state;
}

function describe(file: ParquetFile): OpenedFile {
  const rowGroupRows = file.metadata().rowGroups().map((group) => group.numRows());
  return { schemaIpc: file.schema().intoIPCStream(), rowGroupRows };
}

/** The decoder for input `index`, reusing the open one (with this request's descriptor) when it is that input. */
async function fileAt(state: ReaderState, index: number, input: WorkerInput): Promise<ParquetFile> {
  if ('bytes' in input && input.bytes !== undefined) state.inMemory.set(index, input.bytes);
  const { current } = state;
  if (current?.index === index) {
    if ('fd' in input && current.ranges instanceof FileRanges) current.ranges.fd = input.fd;
    return current.file;
  }
  current?.file.free();
  state.current = undefined;
  const ranges = rangesOf(state, index, input);
  const problem = framingProblem(ranges.size, new Uint8Array(ranges.read(0, 4)), new Uint8Array(ranges.read(Math.max(0, ranges.size - 8), ranges.size)));
  if (problem !== undefined) throw new Error(problem);
  // parquet-wasm asks only for `size` and `slice(start, end).arrayBuffer()` of the Blob it is given.
  const file = await ParquetFile.fromFile(ranges as unknown as Blob);
  state.current = { index, file, ranges };
  return file;
}

function rangesOf(state: ReaderState, index: number, input: WorkerInput): FileRanges | MemoryRanges {
  if ('fd' in input) return new FileRanges(input.fd);
  const bytes = state.inMemory.get(index);
  if (bytes === undefined) throw new Error(`no bytes for input number ${index}`);
  return new MemoryRanges(bytes);
}
