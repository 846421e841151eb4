import { Worker } from 'node:worker_threads';
import type { WorkerCrash } from './worker-protocol.js';
import { parquetWorkerUrl, workerExecArgv } from './worker-location.js';
import { readMeterMemory } from '../read-meter.js';

/** How long a worker that nobody leases stays alive, so that a job's next pass or next file reuses it. */
const IDLE_MS = 1000;

/** Turns a worker's death into the error a pending request rejects with, given the request's context. */
export type CrashDescriber = (cause: Error, context: string) => Error;

interface Pending {
  readonly resolve: (reply: unknown) => void;
  /** Takes a reply that is not the last one (`type: 'piece'`), if the request expects such replies. */
  readonly interim: ((reply: unknown) => void) | undefined;
  readonly reject: (error: Error) => void;
  readonly context: string;
  readonly describeCrash: CrashDescriber;
}

/**
 * One parquet-wasm worker thread, shared by the readers and writers that lease it: it decodes row groups
 * and encodes batches with a single wasm instance, so a read-then-write pipeline holds one wasm heap and
 * one extra isolate instead of two.
 *
 * Requests carry an id and are answered by id. When the thread dies (a wasm trap on a corrupt file, an
 * uncaught error), every pending request is rejected and every death listener is told, so nothing hangs;
 * the pool then leases a fresh thread to whoever asks next.
 */
export class ParquetWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly deathListeners = new Set<(cause: Error) => void>();
  private nextId = 0;
  private leases = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Why the thread stopped, once it has. */
  dead: Error | undefined;

  constructor(private readonly onGone: (worker: ParquetWorker) => void) {
    this.worker = new Worker(parquetWorkerUrl(), { execArgv: workerExecArgv(), workerData: { readMeter: readMeterMemory() } });
    this.worker.on('message', (reply: { readonly id?: number } | WorkerCrash) => {
      if ('crashed' in reply) return this.die(new Error(reply.crashed));
      const waiter = reply.id === undefined ? undefined : this.pending.get(reply.id);
      if (waiter === undefined) return;
      if (waiter.interim !== undefined && (reply as { readonly type?: string }).type === 'piece') return waiter.interim(reply);
      this.pending.delete(reply.id as number);
      waiter.resolve(reply);
    });
    this.worker.on('error', (error: Error) => this.die(error));
    this.worker.on('exit', (code) => this.die(new Error(`worker exited with code ${code}`)));
  }

  /** How many readers and writers hold this worker. */
  get leaseCount(): number {
    return this.leases;
  }

  /**
   * Sends a request (an `id` is added) and waits for the reply with that id.
   * @param request the message
   * @param context what the request concerns (a file name), for `describeCrash`
   * @param describeCrash the error to reject with if the worker dies first
   * @param transfer buffers to move instead of copying
   * @param interim takes the replies with that id that come before the last (`type: 'piece'`)
   */
  request<Reply>(request: object, context: string, describeCrash: CrashDescriber, transfer: ArrayBuffer[] = [], interim?: (reply: unknown) => void): Promise<Reply> {
    if (this.dead !== undefined) return Promise.reject(describeCrash(this.dead, context));
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (reply: unknown) => void, interim, reject, context, describeCrash });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  /** Sends a message that is not answered on the worker's own port (writer sessions reply on theirs). */
  post(message: object, transfer: Array<ArrayBuffer | import('node:worker_threads').MessagePort> = []): void {
    if (this.dead === undefined) this.worker.postMessage(message, transfer);
  }

  /**
   * Calls `listener` once if the worker dies (at once if it is dead already).
   * @returns a function that removes the listener
   */
  onDeath(listener: (cause: Error) => void): () => void {
    if (this.dead !== undefined) {
      listener(this.dead);
      return () => undefined;
    }
    this.deathListeners.add(listener);
    return () => this.deathListeners.delete(listener);
  }

  /** Takes a lease: the worker stays alive (and keeps the process alive) until every lease is released. */
  lease(): void {
    this.leases += 1;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.worker.ref();
  }

  /** Returns a lease; the last one lets the process exit and stops the worker after a short idle time. */
  release(): void {
    this.leases -= 1;
    if (this.leases > 0 || this.dead !== undefined) return;
    this.worker.unref();
    this.idleTimer = setTimeout(() => void this.terminate(), IDLE_MS);
    this.idleTimer.unref();
  }

  /** Stops the thread now; pending requests are rejected. */
  async terminate(): Promise<void> {
    this.die(new Error('closed'));
    await this.worker.terminate();
  }

  private die(cause: Error): void {
    if (this.dead !== undefined) return;
    this.dead = cause;
    clearTimeout(this.idleTimer);
    this.onGone(this);
    for (const [, waiter] of this.pending) waiter.reject(waiter.describeCrash(cause, waiter.context));
    this.pending.clear();
    for (const listener of this.deathListeners) listener(cause);
    this.deathListeners.clear();
  }
}

/** The live workers of this process. */
const pool: ParquetWorker[] = [];

/**
 * Leases `count` distinct workers, the least used first, starting new ones when fewer are alive.
 *
 * A reader asks for its decoders and a writer for one encoder, so a copy pipeline shares one worker and a
 * job that reads with two decoders writes through one of them. Release each with `worker.release()`.
 * @param count how many workers (>= 1)
 * @returns the leased workers
 */
export function leaseWorkers(count: number): ParquetWorker[] {
  while (pool.length < count) pool.push(new ParquetWorker(removeFromPool));
  const chosen = [...pool].sort((a, b) => a.leaseCount - b.leaseCount).slice(0, count);
  for (const worker of chosen) worker.lease();
  return chosen;
}

/**
 * Starts workers now, up to `count` alive, so that they boot (a new isolate, parquet-wasm compiled) while the
 * caller does other work, such as loading its modules or a count pass; they stop after the usual idle time
 * if nobody leases them.
 * @param count how many workers should be alive (default 1)
 */
export function prewarmWorker(count = 1): void {
  if (pool.length >= count) return;
  for (const worker of leaseWorkers(count)) worker.release();
}

/** How many parquet-wasm worker threads are alive (leased or idle): for tests and diagnostics. */
export function liveWorkerCount(): number {
  return pool.length;
}

function removeFromPool(gone: ParquetWorker): void {
  const at = pool.indexOf(gone);
  if (at >= 0) pool.splice(at, 1);
}
