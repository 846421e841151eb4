/**
 * The encoding half of the parquet-wasm worker: one session per writer, each turning the Arrow IPC batches
 * it is sent into a Parquet file written to the writer's descriptor.
 *
 * A shared counter per session tells the writer's thread how many batches wait, so it can hold back when
 * the encoder falls behind.
 */
import { fstatSync, openAsBlob, writeSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { ParquetFile, Table, transformParquetStream, type RecordBatch } from 'parquet-wasm';
import { tableFromIPC, type RecordBatch as ArrowRecordBatch } from 'apache-arrow';
import { firstRows, nearlyDistinctColumns } from '../distinct-columns.js';
import { collectAfter } from './worker-gc.js';
import { buildWriterProperties } from '../writer-properties.js';
import { JUDGED_ROWS } from '../distinct-columns.js';
import { FAILED, QUEUED, type EncodeSettings, type WriteReply, type WriteRequest } from './worker-protocol.js';
import { messageOf } from '../../text/escape-text.js';

/** One writer's encoding in progress. */
interface Session {
  readonly control: Int32Array;
  readonly replies: MessagePort;
  readonly waiting: Uint8Array[];
  /** No more batches will come (finish), or the writer gave up (abort). */
  ended: boolean;
  aborted: boolean;
  wake: (() => void) | undefined;
  /** Batches at the head of `waiting` already looked at (and counted as taken) to choose the plain columns. */
  judged: number;
}


const sessions = new Map<number, Session>();

/**
 * Handles one writer message.
 * @param request start, batch, finish or abort
 */
export function handleWrite(request: WriteRequest): void {
  if (request.type === 'start') {
    const session: Session = { control: new Int32Array(request.control), replies: request.replies, waiting: [], ended: false, aborted: false, wake: undefined, judged: 0 };
    sessions.set(request.session, session);
    encode(session, request.fd, request.path, request.settings).then(
      (reply) => end(request.session, reply),
      (error: unknown) => fail(request.session, error),
    );
    return;
  }
  const session = sessions.get(request.session);
  if (session === undefined) return;
  if (request.type === 'batch') session.waiting.push(request.ipc);
  else {
    session.ended = true;
    session.aborted = request.type === 'abort';
  }
  session.wake?.();
}

/**
 * Fails every session: called when the worker is about to stop after an uncaught error.
 * @param error what went wrong
 */
export function failAllSessions(error: unknown): void {
  for (const id of [...sessions.keys()]) fail(id, error);
}

async function encode(session: Session, fd: number, path: string, settings: EncodeSettings): Promise<WriteReply> {
  const plainColumns = [...settings.plainColumns, ...(await judgedPlainColumns(session))];
  const input = new ReadableStream<RecordBatch>(
    {
      pull: async (controller) => {
        while (session.waiting.length === 0 && !session.ended) await new Promise<void>((resolve) => (session.wake = resolve));
        // An aborted session stops taking batches; the encoder then closes a file nobody will keep.
        const ipc = session.aborted ? undefined : session.waiting.shift();
        if (ipc === undefined) {
          controller.close();
          return;
        }
        // Free the table at once: its wasm memory is otherwise kept until a GC that a small JS heap rarely runs.
        const table = Table.fromIPCStream(ipc);
        const batches = table.recordBatches();
        table.free();
        for (const batch of batches) controller.enqueue(batch);
        if (session.judged > 0) session.judged -= 1;
        else taken(session.control);
        collectAfter(ipc.byteLength);
      },
    },
    { highWaterMark: 0 },
  );
  const output: ReadableStream<Uint8Array> = await transformParquetStream(input, buildWriterProperties({ ...settings, plainColumns }));
  let bytes = 0;
  const reader = output.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!session.aborted) bytes += writeAll(fd, value);
  }
  if (session.aborted) return { type: 'aborted' };
  // Writes into a file whose folder was removed succeed; reading it back by name would fail obscurely.
  if (fstatSync(fd).nlink === 0) throw Object.assign(new Error('the temporary file was removed while writing'), { code: 'ENOENT' });
  return { type: 'finished', bytes, rowGroups: await countRowGroups(path) };
}

/**
 * The columns whose values nearly all differ in the first rows written (up to {@link JUDGED_ROWS}), to be
 * written without dictionaries: waits for those rows. The batches looked at count as taken, or the writer,
 * which waits while a batch is queued, would not send the next.
 */
async function judgedPlainColumns(session: Session): Promise<string[]> {
  const batches: ArrowRecordBatch[] = [];
  let rows = 0;
  while (rows < JUDGED_ROWS) {
    while (session.judged >= session.waiting.length && !session.ended) await new Promise<void>((resolve) => (session.wake = resolve));
    if (session.aborted || session.judged >= session.waiting.length) break;
    for (const batch of tableFromIPC(session.waiting[session.judged] as Uint8Array).batches) {
      batches.push(batch);
      rows += batch.numRows;
    }
    session.judged += 1;
    taken(session.control);
  }
  return nearlyDistinctColumns(firstRows(batches, JUDGED_ROWS));
}

function writeAll(fd: number, chunk: Uint8Array): number {
  let written = 0;
  while (written < chunk.byteLength) written += writeSync(fd, chunk, written, chunk.byteLength - written);
  return written;
}

/** Reads the row-group count back from the footer just written. */
async function countRowGroups(path: string): Promise<number> {
  const file = await ParquetFile.fromFile(await openAsBlob(path));
  try {
    return file.metadata().numRowGroups();
  } finally {
    file.free();
  }
}

function taken(control: Int32Array): void {
  Atomics.sub(control, QUEUED, 1);
  Atomics.notify(control, QUEUED);
}

function end(id: number, reply: WriteReply): void {
  const session = sessions.get(id);
  sessions.delete(id);
  session?.replies.postMessage(reply);
  session?.replies.close();
}

/** Reports a failure: the message first, then the flag, so the writer finds the message when it sees the flag. */
function fail(id: number, error: unknown): void {
  const session = sessions.get(id);
  if (session === undefined) return;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  end(id, { type: 'failed', message: messageOf(error), ...(typeof code === 'string' ? { code } : {}) });
  Atomics.store(session.control, FAILED, 1);
  Atomics.notify(session.control, QUEUED);
}

