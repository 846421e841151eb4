import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import type { ParquetFileWriter } from './file-writer.js';
import { floatLeafPaths } from './plain-columns.js';
import { firstSchemaDifference } from './schema-diff.js';
import { TempFile } from './temp-file.js';
import type { ParquetWriteSummary } from './write-summary.js';
import type { ResolvedWriteOptions } from './write-options.js';
import { FAILED, QUEUED, type WriteReply, type WriteRequest } from './write-protocol.js';
import { siblingWorkerUrl } from './worker-url.js';

/** Batches that may wait for the encoder before `write` holds the caller back. */
const MAX_QUEUED = 1;

/**
 * Writes record batches to a Parquet file with parquet-wasm, encoding in a worker thread.
 *
 * `write` is synchronous: it hands the batch to the encoder and returns, unless the encoder is
 * `MAX_QUEUED` batches behind, in which case it waits (blocking this thread) until there is room. That
 * wait is the back-pressure that keeps memory bounded whatever the speed of the source.
 * The output appears only when `finish` succeeds; `abort` leaves nothing behind.
 */
export class WasmParquetWriter implements ParquetFileWriter {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private pendingPort: MessagePort | undefined;
  private schema: Schema | undefined;
  private rows = 0;
  private ended = false;

  /** The file being written (absolute path). */
  readonly path: string;

  private constructor(private readonly file: TempFile, private readonly options: ResolvedWriteOptions) {
    this.path = file.finalPath;
    this.worker = new Worker(siblingWorkerUrl(import.meta.url, 'wasm-write-worker.js'));
    const channel = new MessageChannel();
    this.replies = channel.port1;
    this.pendingPort = channel.port2;
    // Errors also reach us through the reply port; an 'error' event here must not crash the process.
    this.worker.on('error', () => undefined);
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
   * @throws ArrowBalanceError when the schema differs from the first batch's or the encoder failed
   */
  write(batch: RecordBatch): void {
    if (this.ended) throw new ArrowBalanceError(`${this.file.finalPath}: write after the writer ended`);
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
    this.worker.postMessage({ type: 'batch', ipc } satisfies WriteRequest, [ipc.buffer as ArrayBuffer]);
    this.rows += batch.numRows;
  }

  /**
   * Flushes, closes and moves the file into place.
   * @returns what was written
   * @throws ArrowBalanceError when nothing was written (no schema), or encoding or the final move failed
   */
  async finish(): Promise<ParquetWriteSummary> {
    if (this.schema === undefined) {
      this.abort();
      throw new ArrowBalanceError(`${this.file.finalPath}: the source ended without any record batch, so there is no schema to write`);
    }
    this.ended = true;
    // The worker stops without replying when the writer is aborted meanwhile: that must end the wait too.
    const replyArrived = new Promise<WriteReply>((resolve) => {
      this.replies.once('message', resolve);
      this.worker.once('exit', () => resolve({ type: 'failed', message: 'the writer was stopped before the file was complete' }));
    });
    this.worker.postMessage({ type: 'finish' } satisfies WriteRequest);
    const reply = await replyArrived;
    await this.stopWorker();
    if (reply.type === 'failed') {
      this.file.discard();
      throw new ArrowBalanceError(`${this.file.finalPath}: writing Parquet failed: ${reply.message}`);
    }
    this.file.commit();
    return { path: this.file.finalPath, rows: this.rows, rowGroups: reply.rowGroups, bytes: reply.bytes };
  }

  /** Stops writing and removes the temporary file at once; the descriptor closes when the worker has stopped. Safe to repeat. */
  abort(): void {
    this.ended = true;
    this.file.discard();
    void this.stopWorker();
  }

  private async stopWorker(): Promise<void> {
    this.replies.close();
    await this.worker.terminate();
    this.file.close();
  }

  private start(schema: Schema): void {
    this.schema = schema;
    const port = this.pendingPort as MessagePort;
    this.pendingPort = undefined;
    const { compression, rowGroupSize, metadata } = this.options;
    const request: WriteRequest = {
      type: 'start',
      fd: this.file.fd,
      path: this.file.tempPath,
      settings: { compression, rowGroupSize, metadata: metadata(), plainColumns: floatLeafPaths(schema) },
      control: this.control.buffer as SharedArrayBuffer,
      replies: port,
    };
    this.worker.postMessage(request, [port]);
  }

  private waitForRoom(): void {
    for (;;) {
      this.throwIfFailed();
      const queued = Atomics.load(this.control, QUEUED);
      if (queued < MAX_QUEUED) return;
      Atomics.wait(this.control, QUEUED, queued, 1000);
    }
  }

  private throwIfFailed(): void {
    if (Atomics.load(this.control, FAILED) === 0) return;
    const reply = receiveMessageOnPort(this.replies)?.message as WriteReply | undefined;
    const why = reply?.type === 'failed' ? reply.message : 'the encoder stopped';
    throw new ArrowBalanceError(`${this.file.finalPath}: writing Parquet failed: ${why}`);
  }
}
