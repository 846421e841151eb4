import { dirname } from 'node:path';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { ArrowBalanceError } from '../../errors.js';
import type { ParquetFileWriter } from '../file-writer.js';
import { floatLeafPaths } from '../plain-columns.js';
import { writeAdvice } from '../write-advice.js';
import { firstSchemaDifference } from '../schema-diff.js';
import { TempFile } from '../temp-file.js';
import type { ParquetWriteSummary } from '../write-summary.js';
import type { ResolvedWriteOptions } from '../write-options.js';
import { FAILED, QUEUED, type WriteReply, type WriteRequest } from './worker-protocol.js';
import { leaseWorkers, type ParquetWorker } from './worker-pool.js';

/** Batches that may wait for the encoder before `write` holds the caller back. */
const MAX_QUEUED = 1;

/** How long `room` waits on the queue counter before looking again (a wait that is not woken ends by itself). */
const ROOM_POLL_MS = 1000;

let nextSessionId = 0;

/** The writer's session with its encoder. */
interface Encoder {
  readonly worker: ParquetWorker;
  readonly replies: MessagePort;
  /** Resolves with the session's one reply, once the worker's lease and the reply port are given back. */
  readonly done: Promise<WriteReply>;
  /** Ends the session with `reply`, however it was received (see `start`). Later calls do nothing. */
  readonly settle: (reply: WriteReply) => void;
}

/**
 * Writes record batches to a Parquet file with parquet-wasm, encoding in a pooled worker thread (the one
 * a reader in the same pipeline decodes with, when there is one: one wasm heap for both).
 *
 * `write` is synchronous: it hands the batch to the encoder and returns, unless the encoder is
 * `MAX_QUEUED` batches behind, in which case it waits (blocking this thread) until there is room. That
 * wait is the back-pressure that keeps memory bounded whatever the speed of the source.
 * The output appears only when `finish` succeeds; `abort` leaves nothing behind.
 */
export class WasmParquetWriter implements ParquetFileWriter {
  private readonly session = nextSessionId++;
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private encoder: Encoder | undefined;
  private schema: Schema | undefined;
  private rows = 0;
  private ended = false;
  /** The session's one reply, once it came (see `start`). */
  private ending: WriteReply | undefined;

  /** The file being written (absolute path). */
  readonly path: string;

  private constructor(private readonly file: TempFile, private readonly options: ResolvedWriteOptions) {
    this.path = file.finalPath;
  }

  /**
   * Checks the output path and creates the temporary file beside it.
   * @throws ArrowBalanceError for a missing folder, an existing output (without overwrite), an input path
   */
  static create(path: string, options: ResolvedWriteOptions): WasmParquetWriter {
    return new WasmParquetWriter(TempFile.create(path, options.overwrite), options);
  }

  /**
   * Queues a batch for encoding; waits while the encoder is behind.
   * @throws ArrowBalanceError when the schema differs from the first batch's, the encoder failed, or the
   *   temporary file was removed
   */
  write(batch: RecordBatch): void {
    if (this.ended) throw new ArrowBalanceError(`${this.file.finalPath}: write after the writer ended`);
    this.file.checkPresent();
    if (this.schema === undefined) {
      this.file.refuseInput();
      this.start(batch.schema);
    } else {
      const difference = firstSchemaDifference(this.schema, batch.schema);
      if (difference !== undefined) throw new ArrowBalanceError(`${this.file.finalPath}: a batch has a different schema than the first (${difference}); every batch must share one schema`);
      if (batch.numRows === 0) return;
    }
    this.waitForRoom();
    const ipc = tableToIPC(new Table(batch.schema, batch), 'stream');
    Atomics.add(this.control, QUEUED, 1);
    this.encoder?.worker.post({ type: 'batch', session: this.session, ipc } satisfies WriteRequest, [ipc.buffer as ArrayBuffer]);
    this.rows += batch.numRows;
  }

  /**
   * Resolves once the encoder has room for a batch, waiting without blocking this thread (see
   * {@link ParquetFileWriter.room}); rejects when encoding failed or the encoder's worker stopped.
   */
  async room(): Promise<void> {
    const { encoder } = this;
    if (encoder === undefined) return;
    for (;;) {
      this.throwIfFailed();
      const queued = Atomics.load(this.control, QUEUED);
      if (queued < MAX_QUEUED) return;
      const wait = Atomics.waitAsync(this.control, QUEUED, queued, ROOM_POLL_MS);
      // The session ends (finished, aborted or failed: a dead worker counts as failed) instead of waking us.
      const ended = wait.async ? await Promise.race([wait.value.then(() => undefined), encoder.done]) : undefined;
      if (ended !== undefined) throw this.failure(ended);
    }
  }

  /**
   * Flushes, closes and moves the file into place.
   * @returns what was written
   * @throws ArrowBalanceError when nothing was written (no schema), or encoding or the final move failed
   */
  async finish(): Promise<ParquetWriteSummary> {
    const { encoder } = this;
    if (encoder === undefined) {
      this.abort();
      throw new ArrowBalanceError(`${this.file.finalPath}: the source ended without any record batch, so there is no schema to write`);
    }
    this.ended = true;
    encoder.worker.post({ type: 'finish', session: this.session } satisfies WriteRequest);
    const reply = await encoder.done;
    if (reply.type !== 'finished') throw this.failure(reply);
    this.file.commit();
    return { path: this.file.finalPath, rows: this.rows, rowGroups: reply.rowGroups, bytes: reply.bytes };
  }

  /**
   * Stops writing and removes the temporary file at once; the descriptor closes when the encoder has let
   * go of it. Safe to repeat.
   */
  abort(): void {
    this.ended = true;
    this.file.discard();
    if (this.encoder === undefined) this.file.close();
    else if (this.ending === undefined) this.encoder.worker.post({ type: 'abort', session: this.session } satisfies WriteRequest);
  }

  private start(schema: Schema): void {
    this.schema = schema;
    const [worker] = leaseWorkers(1) as [ParquetWorker];
    const { port1: replies, port2 } = new MessageChannel();
    // One reply ends the session: finished, aborted or failed; or the worker dies first. It comes to the
    // port's listener, or `throwIfFailed` takes it off the port; either way `settle` gives back the port and
    // the worker's lease at once: a lease kept would keep the worker, and so the process, alive.
    let resolveDone: (reply: WriteReply) => void = () => undefined;
    const done = new Promise<WriteReply>((resolve) => (resolveDone = resolve));
    let stopListening = (): void => undefined;
    const settle = (reply: WriteReply): void => {
      if (this.ending !== undefined) return;
      this.ending = reply;
      stopListening();
      replies.close();
      worker.release();
      // The encoder has let go of the descriptor. A file that will not be committed is removed and closed
      // now, not when somebody calls abort, so that a full disk gets its space back at once.
      if (reply.type !== 'finished') {
        this.file.discard();
        this.file.close();
      }
      resolveDone(reply);
    };
    stopListening = worker.onDeath((cause) => settle({ type: 'failed', message: `the encoder stopped (${cause.message})` }));
    replies.once('message', settle);
    this.encoder = { worker, replies, done, settle };
    const { compression, rowGroupSize, metadata } = this.options;
    worker.post(
      {
        type: 'start',
        session: this.session,
        fd: this.file.fd,
        path: this.file.tempPath,
        settings: { compression, rowGroupSize, metadata: metadata(), plainColumns: floatLeafPaths(schema) },
        control: this.control.buffer as SharedArrayBuffer,
        replies: port2,
      } satisfies WriteRequest,
      [port2],
    );
  }

  /** The error for a session that ended otherwise than finished. */
  private failure(reply: WriteReply): ArrowBalanceError {
    if (reply.type !== 'failed') return new ArrowBalanceError(`${this.file.finalPath}: writing Parquet failed: the writer was stopped`);
    if (reply.code === 'ENOENT') return this.file.removedError();
    return new ArrowBalanceError(`${this.file.finalPath}: writing Parquet failed: ${reply.message}${writeAdvice(reply.code, dirname(this.file.finalPath))}`);
  }

  private waitForRoom(): void {
    for (;;) {
      this.throwIfFailed();
      const queued = Atomics.load(this.control, QUEUED);
      if (queued < MAX_QUEUED) return;
      Atomics.wait(this.control, QUEUED, queued, 1000);
    }
  }

  /** Throws once the session has ended otherwise than finished (failed, or the worker stopped). */
  private throwIfFailed(): void {
    const { encoder } = this;
    if (encoder === undefined) return;
    if (this.ending === undefined) {
      if (Atomics.load(this.control, FAILED) === 0) return;
      // The encoder posts its reply before it raises the flag: it is on the port, or the listener had it.
      const taken = receiveMessageOnPort(encoder.replies)?.message as WriteReply | undefined;
      encoder.settle(taken ?? { type: 'failed', message: 'the encoder stopped' });
    }
    const ending = this.ending as WriteReply;
    if (ending.type !== 'finished') throw this.failure(ending);
  }
}
