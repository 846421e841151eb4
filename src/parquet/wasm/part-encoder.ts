/**
 * The part-encoding half of the parquet-wasm worker: for a writer that encodes row groups side by side
 * (`ParallelParquetWriter`), turns whole row groups sent as Arrow IPC into Parquet files of their own, which
 * the writer stitches in order. Each part is encoded as soon as it arrives and posted back on the writer's port.
 */
import type { MessagePort } from 'node:worker_threads';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { concatBatches } from '../../arrow/concat.js';
import { messageOf } from '../../text/escape-text.js';
import { buildWriterProperties } from '../writer-properties.js';
import { collectAfter } from './worker-gc.js';
import { PARTS_DONE, PARTS_FAILED, type EncodeSettings, type PartReply, type PartRequest } from './worker-protocol.js';

/** One writer's parts on this worker. */
interface PartSession {
  readonly settings: EncodeSettings;
  readonly control: Int32Array;
  readonly replies: MessagePort;
}

const sessions = new Map<number, PartSession>();

/**
 * Handles one part-writer message.
 * @param request parts-start, part or parts-end
 */
export function handlePartRequest(request: PartRequest): void {
  if (request.type === 'parts-start') {
    sessions.set(request.session, { settings: request.settings, control: new Int32Array(request.control), replies: request.replies });
    return;
  }
  const session = sessions.get(request.session);
  if (session === undefined) return;
  if (request.type === 'parts-end') {
    sessions.delete(request.session);
    session.replies.close();
    return;
  }
  let reply: PartReply;
  try {
    const bytes = writeParquet(WasmTable.fromIPCStream(asOneBatch(request.ipcs)), buildWriterProperties(session.settings));
    reply = { type: 'part', seq: request.seq, bytes };
    session.replies.postMessage(reply, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { type: 'failed', seq: request.seq, message: messageOf(error) };
    session.replies.postMessage(reply);
    Atomics.store(session.control, PARTS_FAILED, 1);
  }
  // After the reply is on the port: the writer, woken, takes it off synchronously.
  Atomics.add(session.control, PARTS_DONE, 1);
  Atomics.notify(session.control, PARTS_DONE);
  collectAfter(request.ipcs.reduce((sum, ipc) => sum + ipc.byteLength, 0));
}

/**
 * Fails every part session: called when the worker is about to stop after an uncaught error, so that a
 * writer blocked waiting for its parts wakes up.
 * @param error what went wrong
 */
export function failAllPartSessions(error: unknown): void {
  for (const [id, session] of sessions) {
    session.replies.postMessage({ type: 'failed', seq: -1, message: messageOf(error) } satisfies PartReply);
    Atomics.store(session.control, PARTS_FAILED, 1);
    Atomics.notify(session.control, PARTS_DONE);
    sessions.delete(id);
  }
}

/**
 * A part's rows as one record batch, in one IPC stream. arrow-rs cuts pages by runs of rows counted from the
 * start of each batch it is given, so the same rows batched otherwise would make other pages, and other bytes:
 * one batch makes the part's bytes depend on its rows only.
 */
function asOneBatch(ipcs: readonly Uint8Array[]): Uint8Array {
  if (ipcs.length === 1) return ipcs[0] as Uint8Array;
  const batches = ipcs.flatMap((ipc) => tableFromIPC(ipc).batches);
  return tableToIPC(new Table([concatBatches(batches)]), 'stream');
}
