import { ArrowBalanceError, toArrowBalanceError } from '../../errors.js';
import { InputDescriptors } from '../input-descriptors.js';
import type { ParquetInput } from '../sources.js';
import { leaseWorkers, type ParquetWorker } from './worker-pool.js';
import type { EncodedRows, OpenedFile, PartReturn, ReadReply, ReadRequest, TaskReply, TaskRequest, WorkerInput } from './worker-protocol.js';

let nextReaderId = 0;

/**
 * One reader's conversation with the parquet-wasm workers it leased: describe inputs, decode row groups
 * (spread over the workers by sequence number), and forget everything on close.
 *
 * File descriptors are opened here, on the main thread, for each request and closed when its reply (or the
 * worker's death) arrives, so none leaks whatever happens to the worker.
 */
export class WasmReadSession {
  private readonly id = nextReaderId++;
  private readonly workers: ParquetWorker[];
  private readonly descriptors: InputDescriptors;
  /** `worker:file` pairs whose in-memory bytes the worker already has. */
  private readonly bytesSent = new Set<string>();
  private closed = false;

  /**
   * @param inputs the files or buffers to read
   * @param decoders workers to decode with (row groups alternate between them)
   */
  constructor(private readonly inputs: readonly ParquetInput[], decoders: number) {
    this.workers = leaseWorkers(decoders);
    this.descriptors = new InputDescriptors(inputs);
  }

  /**
   * Reads input `file`'s schema and row-group sizes (bytes of `columns` only, when given).
   * @throws ArrowBalanceError naming the file
   */
  async describe(file: number, columns: readonly string[] | undefined): Promise<OpenedFile> {
    const reply = await this.ask(0, file, (input) => ({ type: 'describe', reader: this.id, file, input, columns }));
    if (reply.type !== 'described') throw new Error(`unexpected reply ${reply.type}`);
    return reply;
  }

  /**
   * Decodes consecutive row groups of one input to Arrow IPC, one stream per batch of at most `batchSize` rows.
   * @param sequence the read's number in the reader's plan (chooses the worker)
   * @param columns projection; undefined for all
   * @param batchSize rows per batch
   * @param slot memory lent for the answer (see `ReadRequest`): the streams that fit are views of it
   * @param rows only rows [first, end) of the one row group asked for, read a few pages at a time
   * @throws ArrowBalanceError naming the file
   */
  async read(sequence: number, file: number, rowGroups: readonly number[], columns: readonly string[] | undefined, batchSize: number, slot?: SharedArrayBuffer, rows?: readonly [number, number]): Promise<readonly Uint8Array[]> {
    const reply = await this.ask(sequence % this.workers.length, file, (input) => ({ type: 'read', reader: this.id, file, input, rowGroups, columns, batchSize, slot, rows }));
    if (reply.type !== 'rows') throw new Error(`unexpected reply ${reply.type}`);
    return reply.ipcs;
  }

  /**
   * Has worker `workerIndex` sample and encode a task of units of input `file` (see `wasm-task.ts`).
   * @param onPiece takes the pieces a task with a large output sends before its part, in order
   * @returns the encoded part (the rest of the output) and its rows
   * @throws ArrowBalanceError naming the file when the task fails or the worker dies
   */
  async task(workerIndex: number, file: number, work: Pick<TaskRequest, 'units' | 'options' | 'batchSize' | 'encode' | 'slice' | 'paced' | 'report'>, onPiece: (piece: EncodedRows) => void): Promise<EncodedRows> {
    const request = (input: WorkerInput): TaskRequest => ({ type: 'task', reader: this.id, file, input, ...work });
    const reply = (await this.ask(workerIndex % this.workers.length, file, request, (piece) => onPiece(piece as TaskReply & { readonly type: 'piece' }))) as unknown as TaskReply;
    if (reply.type !== 'part') throw new Error(`unexpected reply ${reply.type}`);
    return reply;
  }

  /**
   * Gives a written part's memory back to the worker that encoded it (see {@link PartReturn}).
   * @param workerIndex the worker the task went to
   * @param part the part's bytes, unusable here afterwards
   */
  returnPart(workerIndex: number, part: Uint8Array): void {
    const worker = this.workers[workerIndex % this.workers.length] as ParquetWorker;
    const buffer = part.buffer as ArrayBuffer;
    worker.post({ type: 'part-written', bytes: buffer } satisfies PartReturn, [buffer]);
  }

  /** How many worker threads this session holds. */
  get workerCount(): number {
    return this.workers.length;
  }

  /** Lets the workers forget this reader and returns them to the pool once their pending work is done. Safe to repeat. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const worker of this.workers) {
      worker
        .request<ReadReply>({ type: 'forget', reader: this.id } satisfies ReadRequest, '', (cause) => cause)
        .catch(() => undefined)
        .finally(() => worker.release());
    }
  }

  private async ask(workerIndex: number, file: number, request: (input: WorkerInput) => ReadRequest | TaskRequest, interim?: (reply: unknown) => void): Promise<ReadReply> {
    const name = this.inputs[file]?.name ?? '';
    const worker = this.workers[workerIndex] as ParquetWorker;
    const input = this.workerInput(workerIndex, file);
    const reply = await worker.request<ReadReply>(request(input), name, crashError, [], interim).finally(() => this.descriptors.release(file));
    // A message from the worker may already be ours (a task's sampler), prefix and all: name the file once, prefix once.
    if (reply.type === 'failed') throw toArrowBalanceError(new Error(reply.message), reply.file);
    return reply;
  }

  /** How the worker reaches input `file` for one request: a descriptor, or the bytes on first contact. */
  private workerInput(workerIndex: number, file: number): WorkerInput {
    const input = this.inputs[file] as ParquetInput;
    if ('remote' in input) return input;
    let fd: number | undefined;
    try {
      fd = this.descriptors.acquire(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ArrowBalanceError(`${input.name}: cannot open the file (${code}); check that it exists and is readable`);
    }
    if (fd !== undefined) return { name: input.name, fd };
    const key = `${workerIndex}:${file}`;
    if (!('bytes' in input) || this.bytesSent.has(key)) return { name: input.name };
    this.bytesSent.add(key);
    return { name: input.name, bytes: input.bytes };
  }
}

function crashError(cause: Error, file: string): ArrowBalanceError {
  return new ArrowBalanceError(
    `${file}: the Parquet decoder crashed (${cause.message}); the file is corrupt or uses a feature parquet-wasm cannot decode`,
    { cause },
  );
}
