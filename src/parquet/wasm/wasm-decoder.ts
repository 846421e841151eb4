/**
 * The decoding half of the parquet-wasm worker: describes inputs and decodes row groups to Arrow IPC.
 *
 * Runs inside the worker thread, where a wasm trap on a corrupt page cannot take the main process down.
 */
// Before parquet-wasm: it must see parquet-wasm's instance being created.
import { withBatchIpc } from './wasm-heap-ipc.js';
import { ParquetFile, type RecordBatch, type RowGroupMetaData } from 'parquet-wasm';
import { Table, tableFromIPC, tableToIPC, type Schema } from 'apache-arrow';
import { FileRanges, MemoryRanges } from '../file-ranges.js';
import { readFooter } from '../pages/file-footer.js';
import { chunkRanges } from '../pages/chunk-ranges.js';
import { RemoteRanges } from '../../remote/remote-ranges.js';
import { RowGroupWindows } from '../pages/row-group-windows.js';
import { framingProblem } from '../parquet-magic.js';
import { PAGE_GROUP_ROWS, windowRowsOf } from '../read-plan.js';
import { collectAfter } from './worker-gc.js';
import type { ThriftStruct } from '../thrift-compact.js';
import { declaredRowsProblem, decodedRowsProblem } from '../row-counts.js';
import type { OpenedFile, ReadReply, ReadRequest, WorkerInput } from './worker-protocol.js';
import { messageOf } from '../../text/escape-text.js';

/** An input open in the worker: its decoder, the bytes it reads, and the rows its footer declares per row group. */
interface OpenFile {
  readonly index: number;
  readonly file: ParquetFile;
  readonly ranges: FileRanges | MemoryRanges | RemoteRanges;
  readonly rowGroupRows: readonly number[];
  /** What reading a large row group in windows needs, found when one is first read. */
  footer?: ThriftStruct;
  schema?: Schema;
  /** The large row group being read in windows, with its pages decoded ahead (`key`: row group and columns). */
  windows?: { readonly key: string; readonly reader: RowGroupWindows } | undefined;
}

/** What the worker keeps for one reader: the bytes of its in-memory inputs and its open file. */
interface ReaderState {
  readonly inMemory: Map<number, Uint8Array>;
  current?: OpenFile | undefined;
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
  const state = stateOf(request.reader);
  try {
    const open = await fileAt(state, request.file, request.input);
    if (request.type === 'describe') {
      reply({ id, type: 'described', ...describe(open, request.columns) });
      return;
    }
    const ipcs =
      request.rows === undefined
        ? await decodeRowGroups(open, request.rowGroups, request.columns, request.batchSize, request.slot)
        : await decodeWindowIpcs(open, request.rowGroups[0] ?? 0, request.rows, request.columns, request.batchSize, request.slot);
    reply({ id, type: 'rows', ipcs }, ipcs.flatMap((ipc) => (ipc.buffer instanceof SharedArrayBuffer ? [] : [ipc.buffer as ArrayBuffer])));
  } catch (error) {
    reply({ id, type: 'failed', file: request.input.name, message: messageOf(error) });
    // After a trap the wasm instance may be left inconsistent: let the worker stop (see wasm-worker.ts).
    if (error instanceof Error && error.name === 'RuntimeError') queueMicrotask(() => {
      throw error;
    });
  } finally {
    // parquet-wasm has copied every range it asked for by the time a request is answered.
    state.current?.ranges.recycle();
  }
}

/**
 * Decodes row groups a batch at a time, each batch to its own Arrow IPC stream. Batch by batch, the
 * wasm heap holds the row group's compressed bytes and one decoded batch, not the whole decoded group and
 * its IPC copy (about 40 MB less per worker on 120,000-row, 13-column groups).
 *
 * With a slot (a transient read), each stream is copied from the wasm heap into the slot while there is
 * room, one after the other at 8-byte boundaries, and the slot's views are returned: no fresh buffer per
 * batch, which would cost page faults here and a garbage collection on the main thread. A batch that
 * does not fit gets a buffer of its own.
 */
async function decodeRowGroups(open: OpenFile, rowGroups: readonly number[], columns: readonly string[] | undefined, batchSize: number, slot?: SharedArrayBuffer): Promise<Uint8Array[]> {
  const ipcs: Uint8Array[] = [];
  const place = slotPlacer(slot);
  let rows = 0;
  await withFetched(open, rowGroups, columns, async () => {
    const stream = (await open.file.stream({ rowGroups: [...rowGroups], batchSize, ...(columns === undefined ? {} : { columns: [...columns] }) })) as ReadableStream<RecordBatch>;
    const reader = stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      rows += next.value.numRows;
      if (slot === undefined) {
        ipcs.push(next.value.intoIPCStream());
        continue;
      }
      ipcs.push(withBatchIpc(next.value, (ipc) => place(ipc) ?? ipc.slice()));
    }
  });
  // parquet-wasm decodes whatever the pages hold; the reader's plan and the exact mode's units use the footer's counts.
  const problem = decodedRowsProblem(rowGroups, rows, open.rowGroupRows);
  if (problem !== undefined) throw new Error(problem);
  return ipcs;
}

/**
 * Decodes rows [first, end) of a large row group a few pages at a time (see `row-group-windows.ts`), in
 * batches of `batchSize` rows, handing each to `use` as an Arrow IPC stream of its own. The pages decoded
 * ahead are kept for the next window of the same row group, and dropped after its last.
 */
async function decodeWindow(open: OpenFile, rowGroup: number, [first, end]: readonly [number, number], columns: readonly string[] | undefined, batchSize: number, use: (ipc: Uint8Array) => void): Promise<void> {
  await fetchAhead(open, [rowGroup], columns);
  const windows = windowsOf(open, rowGroup, columns, Math.max(batchSize, PAGE_GROUP_ROWS));
  for (let at = first; at < end; at += batchSize) {
    const ipc = tableToIPC(new Table(await windows.take(at, Math.min(end, at + batchSize))), 'stream');
    use(ipc);
    // Each stream is garbage here once used or sent, in memory V8 does not count towards its next collection.
    collectAfter(ipc.byteLength);
  }
  if (end === windows.rows) dropWindows(open);
}

/** A window's batches for the main thread: in the slot while there is room. */
async function decodeWindowIpcs(open: OpenFile, rowGroup: number, rows: readonly [number, number], columns: readonly string[] | undefined, batchSize: number, slot?: SharedArrayBuffer): Promise<Uint8Array[]> {
  const place = slotPlacer(slot);
  const ipcs: Uint8Array[] = [];
  await decodeWindow(open, rowGroup, rows, columns, batchSize, (ipc) => ipcs.push(place(ipc) ?? ipc));
  return ipcs;
}

/** What row groups' windows, and the bytes fetched for them, are kept under. */
function fetchKey(rowGroups: readonly number[], columns: readonly string[] | undefined): string {
  return `${rowGroups.join(',')}:${columns === undefined ? '*' : columns.join('\u0000')}`;
}

/**
 * Fetches the column chunks of row groups of a remote input ahead (a local file or bytes need nothing), and
 * holds them until they are dropped. parquet-wasm could fetch them itself, but a failed fetch inside it traps
 * the decoder, losing the reason (a replaced object, say); and the page walks of large row groups read
 * synchronously.
 */
async function fetchAhead(open: OpenFile, rowGroups: readonly number[], columns: readonly string[] | undefined): Promise<void> {
  if (!(open.ranges instanceof RemoteRanges)) return;
  open.footer ??= readFooter(open.ranges);
  await open.ranges.prefetch(fetchKey(rowGroups, columns), chunkRanges(open.footer, rowGroups, columns));
}

/** Runs `use` with the row groups' column chunks fetched ahead (remote inputs), dropping them afterwards. */
async function withFetched(open: OpenFile, rowGroups: readonly number[], columns: readonly string[] | undefined, use: () => Promise<void>): Promise<void> {
  await fetchAhead(open, rowGroups, columns);
  try {
    await use();
  } finally {
    if (open.ranges instanceof RemoteRanges) open.ranges.drop(fetchKey(rowGroups, columns));
  }
}

/** Drops a large row group's windows and the bytes fetched ahead for them. */
function dropWindows(open: OpenFile): void {
  if (open.windows !== undefined && open.ranges instanceof RemoteRanges) open.ranges.drop(open.windows.key);
  open.windows = undefined;
}

/** The windows of a large row group, kept open while requests read it in order. */
function windowsOf(open: OpenFile, rowGroup: number, columns: readonly string[] | undefined, pageRows: number): RowGroupWindows {
  const key = fetchKey([rowGroup], columns);
  if (open.windows?.key === key) return open.windows.reader;
  // The previous row group's pages go before this one's are decoded.
  dropWindows(open);
  open.footer ??= readFooter(open.ranges);
  open.schema ??= tableFromIPC(open.file.schema().intoIPCStream()).schema;
  const source = { readInto: (start: number, target: Uint8Array) => open.ranges.readInto(start, target), footer: open.footer, schema: open.schema, file: open.file };
  const reader = new RowGroupWindows(source, rowGroup, columns, pageRows);
  open.windows = { key, reader };
  return reader;
}

/**
 * Copies IPC streams into a slot one after the other at 8-byte boundaries while they fit.
 * @returns a function giving the copy's view, or nothing when there is no slot or no room left
 */
function slotPlacer(slot: SharedArrayBuffer | undefined): (ipc: Uint8Array) => Uint8Array | undefined {
  let used = 0;
  return (ipc) => {
    if (slot === undefined || used + ipc.byteLength > slot.byteLength) return undefined;
    const view = new Uint8Array(slot, used, ipc.byteLength);
    view.set(ipc);
    used += (ipc.byteLength + 7) & ~7;
    return view;
  };
}

/** A top-level column of a row group and its estimated decoded bytes. */
export interface ColumnSize {
  readonly name: string;
  readonly bytes: number;
}

/**
 * Lends a task the windows of a row group too large to decode whole (see `row-group-windows.ts`), or does
 * nothing for a smaller one.
 * @param reader the reader state the task uses
 * @param use works with the windows while they are lent
 * @param columnsOf chooses the top-level columns to decode, given each one's decoded bytes in file order;
 *   every column when not given
 * @returns what `use` returns, or nothing when the row group is not large
 */
export async function withLargeRowGroup<T>(
  reader: number,
  index: number,
  input: WorkerInput,
  rowGroup: number,
  pageRows: number,
  use: (windows: RowGroupWindows) => Promise<T>,
  columnsOf?: (sizes: readonly ColumnSize[]) => readonly string[],
): Promise<T | undefined> {
  const state = stateOf(reader);
  try {
    const open = await fileAt(state, index, input);
    const group = open.file.metadata().rowGroups()[rowGroup];
    if (group === undefined || windowRowsOf(open.rowGroupRows[rowGroup] ?? 0, decodedBytes(group, () => true)) === undefined) return undefined;
    open.schema ??= tableFromIPC(open.file.schema().intoIPCStream()).schema;
    const columns = columnsOf?.(open.schema.fields.map((f) => ({ name: f.name, bytes: decodedBytes(group, (path) => path[0] === f.name) })));
    try {
      await fetchAhead(open, [rowGroup], columns);
      return await use(windowsOf(open, rowGroup, columns, Math.max(pageRows, PAGE_GROUP_ROWS)));
    } finally {
      dropWindows(open);
      if (open.ranges instanceof RemoteRanges) open.ranges.drop(fetchKey([rowGroup], columns));
    }
  } finally {
    state.current?.ranges.recycle();
  }
}

/**
 * Decodes one row group of an input for a task (see `wasm-task.ts`), with the reader state of `reader`,
 * handing each batch to `use` as an Arrow IPC stream read in place in the wasm heap (no copy out): `use`
 * must copy what it keeps, and must not call into parquet-wasm.
 */
export async function decodeRowGroupInPlace(reader: number, index: number, input: WorkerInput, rowGroup: number, batchSize: number, use: (ipc: Uint8Array) => void): Promise<void> {
  const state = stateOf(reader);
  try {
    const open = await fileAt(state, index, input);
    let rows = 0;
    await withFetched(open, [rowGroup], undefined, async () => {
      const stream = (await open.file.stream({ rowGroups: [rowGroup], batchSize })) as ReadableStream<RecordBatch>;
      const batches = stream.getReader();
      for (let next = await batches.read(); !next.done; next = await batches.read()) {
        rows += next.value.numRows;
        withBatchIpc(next.value, use);
      }
    });
    const problem = decodedRowsProblem([rowGroup], rows, open.rowGroupRows);
    if (problem !== undefined) throw new Error(problem);
  } finally {
    state.current?.ranges.recycle();
  }
}

/** The Arrow schema of an input, as an IPC stream, with the reader state of `reader` (for tasks). */
export async function fileSchemaIpc(reader: number, index: number, input: WorkerInput): Promise<Uint8Array> {
  return (await fileAt(stateOf(reader), index, input)).file.schema().intoIPCStream();
}

function stateOf(reader: number): ReaderState {
  let state = readers.get(reader);
  if (state === undefined) {
    state = { inMemory: new Map() };
    readers.set(reader, state);
  }
  return state;
}

function describe({ file, rowGroupRows }: OpenFile, columns: readonly string[] | undefined): OpenedFile {
  const groups = file.metadata().rowGroups();
  const wanted = (path: readonly string[]): boolean => columns === undefined || columns.includes(path[0] ?? '');
  return { schemaIpc: file.schema().intoIPCStream(), rowGroupRows, rowGroupBytes: groups.map((group) => decodedBytes(group, wanted)) };
}

/**
 * A row group's estimated decoded bytes in the columns `wanted` says yes to. A dictionary- or run-length-encoded
 * column is far smaller in the file than decoded: count at least 4 bytes a value, the width of the narrowest
 * common Arrow column.
 */
function decodedBytes(group: RowGroupMetaData, wanted: (path: readonly string[]) => boolean): number {
  return group.columns().reduce((sum, chunk) => sum + (wanted(chunk.columnPath()) ? Math.max(chunk.uncompressedSize(), group.numRows() * 4) : 0), 0);
}

/**
 * The decoder for input `index`, reusing the open one (with this request's descriptor) when it is that input.
 * @throws Error when the framing is wrong, the footer cannot be decoded or declares impossible row counts
 */
async function fileAt(state: ReaderState, index: number, input: WorkerInput): Promise<OpenFile> {
  if ('bytes' in input && input.bytes !== undefined) state.inMemory.set(index, input.bytes);
  const { current } = state;
  if (current?.index === index) {
    if ('fd' in input && current.ranges instanceof FileRanges) current.ranges.fd = input.fd;
    return current;
  }
  current?.file.free();
  state.current = undefined;
  const ranges = 'remote' in input ? await RemoteRanges.open(input.remote, input.tail) : rangesOf(state, index, input);
  const framing = framingProblem(ranges.size, ranges.read(0, 4).slice(), ranges.read(Math.max(0, ranges.size - 8), ranges.size).slice());
  if (framing !== undefined) throw new Error(framing);
  // parquet-wasm asks only for `size` and `slice(start, end).arrayBuffer()` of the Blob it is given.
  const file = await ParquetFile.fromFile(ranges as unknown as Blob);
  const rowGroupRows = file.metadata().rowGroups().map((group) => group.numRows());
  // A negative count makes parquet-wasm trap when the row group is read: refuse it at once, saying why.
  const counts = declaredRowsProblem(rowGroupRows);
  if (counts !== undefined) {
    file.free();
    throw new Error(counts);
  }
  state.current = { index, file, ranges, rowGroupRows };
  return state.current;
}

function rangesOf(state: ReaderState, index: number, input: WorkerInput): FileRanges | MemoryRanges {
  if ('fd' in input) return new FileRanges(input.fd);
  const bytes = state.inMemory.get(index);
  if (bytes === undefined) throw new Error(`no bytes for input number ${index}`);
  return new MemoryRanges(bytes);
}
