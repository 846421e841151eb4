import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { ArrowBalanceError } from '../../errors.js';
import { firstRows, JUDGED_ROWS, nearlyDistinctColumns } from '../distinct-columns.js';
import type { ParquetFileWriter } from '../file-writer.js';
import { floatLeafPaths } from '../plain-columns.js';
import { firstSchemaDifference } from '../schema-diff.js';
import { StitchedFile } from '../stitch/stitched-file.js';
import type { ParquetWriteSummary } from '../write-summary.js';
import type { ResolvedWriteOptions } from '../write-options.js';
import { emptyBatch } from '../../arrow/empty-batch.js';
import { PARTS_DONE, PARTS_FAILED, type PartReply, type PartRequest } from './worker-protocol.js';
import { leaseWorkers, type ParquetWorker } from './worker-pool.js';

/** How long a wait for parts looks again for a worker that died without a word. */
const WAIT_MS = 1000;

let nextSessionId = 0;

/** One encoding worker of the writer, with the port its parts come back on. */
interface Lane {
  readonly worker: ParquetWorker;
  readonly replies: MessagePort;
  readonly stopListening: () => void;
  /** Parts sent to it and not yet back. */
  inFlight: number;
}

/**
 * Writes record batches to a Parquet file with parquet-wasm, encoding whole row groups side by side on
 * `encoders` pooled worker threads and stitching them in order (see `StitchedFile`).
 *
 * Rows are cut into row groups of exactly `rowGroupSize` rows, whatever the batches, and the columns written
 * without dictionaries are chosen once from the first rows (see `nearlyDistinctColumns`); each row group is
 * then a part encoded alone. So the file's bytes depend on the rows and the options only: not on the batch
 * sizes, nor on the number of encoders.
 *
 * `write` is synchronous: it queues rows, and hands each full row group to the next encoder, waiting
 * (blocking this thread) while `encoders + 1` row groups are being encoded. That wait bounds memory. The output
 * appears only when `finish` succeeds; `abort` leaves nothing behind.
 */
export class ParallelParquetWriter implements ParquetFileWriter {
  private readonly session = nextSessionId++;
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private lanes: Lane[] | undefined;
  private schema: Schema | undefined;
  private metadata: Readonly<Record<string, string>> = {};
  /** Rows waiting to make a row group, and their count. */
  private pending: RecordBatch[] = [];
  private pendingRows = 0;
  private rows = 0;
  /** Leaf columns written without dictionaries, once chosen. */
  private plainColumns: string[] | undefined;
  /** Parts sent, and parts appended to the file (in order); parts received out of order wait here. */
  private sent = 0;
  private appended = 0;
  private readonly received = new Map<number, Uint8Array>();
  private failure: ArrowBalanceError | undefined;
  private ended = false;

  private constructor(private readonly file: StitchedFile, private readonly options: ResolvedWriteOptions, private readonly encoders: number) {}

  /**
   * Checks the output path and creates the temporary file beside it.
   * @param encoders worker threads that encode row groups (at least 1)
   * @throws ArrowBalanceError for a missing folder or an existing output (without overwrite)
   */
  static create(path: string, options: ResolvedWriteOptions, encoders: number): ParallelParquetWriter {
    return new ParallelParquetWriter(StitchedFile.create(path, options.overwrite), options, encoders);
  }

  /** The file being written (absolute path). */
  get path(): string {
    return this.file.path;
  }

  /**
   * Queues a batch's rows; sends each full row group to an encoder, waiting while the encoders are behind.
   * @throws ArrowBalanceError when the schema differs from the first batch's, or encoding failed
   */
  write(batch: RecordBatch): void {
    if (this.ended) throw new ArrowBalanceError(`${this.path}: write after the writer ended`);
    this.throwIfFailed();
    if (this.schema === undefined) {
      this.schema = batch.schema;
      this.metadata = this.options.metadata();
    } else {
      const difference = firstSchemaDifference(this.schema, batch.schema);
      if (difference !== undefined) throw new ArrowBalanceError(`${this.path}: a batch has a different schema than the first (${difference}); every batch must share one schema`);
    }
    if (batch.numRows === 0) return;
    this.pending.push(batch);
    this.pendingRows += batch.numRows;
    this.rows += batch.numRows;
    if (this.plainColumns === undefined && this.pendingRows < JUDGED_ROWS) return;
    const { rowGroupSize } = this.options;
    while (this.pendingRows >= rowGroupSize) this.send(this.take(rowGroupSize));
  }

  /**
   * Resolves once a `write` would not hold the caller back, waiting without blocking this thread; rejects when
   * encoding failed or an encoder's worker stopped.
   */
  async room(): Promise<void> {
    while (!this.collect(this.encoders + 1)) await this.waitAsync();
  }

  /**
   * Encodes the last rows, waits for every part, writes the footer and moves the file into place.
   * @returns what was written
   * @throws ArrowBalanceError when nothing was written (no schema), or encoding or writing failed
   */
  async finish(): Promise<ParquetWriteSummary> {
    if (this.schema === undefined) {
      this.abort();
      throw new ArrowBalanceError(`${this.path}: the source ended without any record batch, so there is no schema to write`);
    }
    try {
      this.throwIfFailed();
      this.ended = true;
      const { rowGroupSize } = this.options;
      while (this.pendingRows > 0) this.send(this.take(Math.min(rowGroupSize, this.pendingRows)));
      // No rows at all: one part of no rows carries the schema.
      if (this.sent === 0) this.send([emptyBatch(this.schema)]);
      while (!this.collect(1)) await this.waitAsync();
      const summary = this.file.finish(this.metadata);
      this.release();
      return summary;
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Stops writing and removes the temporary file at once. Safe to repeat. */
  abort(): void {
    this.ended = true;
    this.pending = [];
    this.received.clear();
    this.file.abort();
    this.release();
  }

  /** Takes the first `rows` rows waiting. */
  private take(rows: number): RecordBatch[] {
    this.plainColumns ??= [...floatLeafPaths(this.schema as Schema), ...nearlyDistinctColumns(firstRows(this.pending, JUDGED_ROWS))];
    const taken: RecordBatch[] = [];
    let left = rows;
    while (left > 0) {
      const batch = this.pending.shift() as RecordBatch;
      if (batch.numRows <= left) {
        taken.push(batch);
        left -= batch.numRows;
      } else {
        taken.push(batch.slice(0, left));
        this.pending.unshift(batch.slice(left));
        left = 0;
      }
    }
    this.pendingRows -= rows;
    return taken;
  }

  /** Sends rows to the next encoder as one part, once fewer than `encoders + 1` parts are being encoded. */
  private send(batches: RecordBatch[]): void {
    while (!this.collect(this.encoders + 1)) this.waitSync();
    const lanes = (this.lanes ??= this.start());
    // A stream a batch: batches from apart may each have dictionaries of their own, which one stream cannot hold.
    const ipcs = batches.map((batch) => tableToIPC(new Table(batch.schema, batch), 'stream'));
    // The least busy encoder: one that also decodes for a reader gives back its parts later, and so gets fewer.
    const lane = lanes.reduce((best, next) => (next.inFlight < best.inFlight ? next : best));
    lane.inFlight += 1;
    lane.worker.post({ type: 'part', session: this.session, seq: this.sent, ipcs } satisfies PartRequest, ipcs.map((ipc) => ipc.buffer as ArrayBuffer));
    this.sent += 1;
  }

  /**
   * Takes every part the encoders have posted and appends those next in order.
   * @param limit how many parts may be left in flight
   * @returns whether fewer than `limit` parts are in flight now
   * @throws ArrowBalanceError when a part failed or an encoder stopped
   */
  private collect(limit: number): boolean {
    for (const lane of this.lanes ?? []) {
      for (let message = receiveMessageOnPort(lane.replies); message !== undefined; message = receiveMessageOnPort(lane.replies)) {
        const reply = message.message as PartReply;
        lane.inFlight -= 1;
        if (reply.type === 'failed') this.failure ??= new ArrowBalanceError(`${this.path}: writing Parquet failed: ${reply.message}`);
        else this.received.set(reply.seq, reply.bytes);
      }
    }
    this.throwIfFailed();
    for (let part = this.received.get(this.appended); part !== undefined; part = this.received.get(this.appended)) {
      this.received.delete(this.appended);
      this.file.append(part);
      this.appended += 1;
    }
    return this.sent - this.appended < limit;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
    const dead = this.lanes?.find((lane) => lane.worker.dead !== undefined);
    if (dead !== undefined) throw (this.failure = new ArrowBalanceError(`${this.path}: writing Parquet failed: the encoder stopped (${dead.worker.dead?.message ?? 'unknown'})`));
  }

  /** Blocks this thread until an encoder finishes a part (or a while passes). */
  private waitSync(): void {
    const done = Atomics.load(this.control, PARTS_DONE);
    if (this.collect(this.encoders + 1)) return;
    Atomics.wait(this.control, PARTS_DONE, done, WAIT_MS);
  }

  /** Waits, without blocking this thread, until an encoder finishes a part (or a while passes). */
  private async waitAsync(): Promise<void> {
    const wait = Atomics.waitAsync(this.control, PARTS_DONE, Atomics.load(this.control, PARTS_DONE), WAIT_MS);
    if (wait.async) await wait.value;
  }

  /** Leases the encoders and opens a part session on each. */
  private start(): Lane[] {
    const settings = { compression: this.options.compression, rowGroupSize: this.options.rowGroupSize, metadata: {}, plainColumns: this.plainColumns ?? [] };
    return leaseWorkers(this.encoders).map((worker) => {
      const { port1: replies, port2 } = new MessageChannel();
      worker.post({ type: 'parts-start', session: this.session, settings, control: this.control.buffer as SharedArrayBuffer, replies: port2 } satisfies PartRequest, [port2]);
      // A worker that dies wakes a writer waiting for its parts.
      const stopListening = worker.onDeath(() => Atomics.notify(this.control, PARTS_DONE));
      return { worker, replies, stopListening, inFlight: 0 };
    });
  }

  /** Ends the part sessions and gives the encoders back. */
  private release(): void {
    for (const lane of this.lanes ?? []) {
      lane.stopListening();
      if (lane.worker.dead === undefined) lane.worker.post({ type: 'parts-end', session: this.session } satisfies PartRequest);
      lane.replies.close();
      lane.worker.release();
    }
    this.lanes = undefined;
  }
}
