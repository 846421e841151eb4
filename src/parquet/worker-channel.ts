import { Worker } from 'node:worker_threads';

/**
 * A worker thread that answers requests in order, one reply per request.
 *
 * When the worker dies (a wasm trap, an uncaught error, an unexpected exit), every pending request is
 * rejected with the error the `describeCrash` callback makes, so nothing is left hanging.
 */
export class WorkerChannel<Request, Reply> {
  private readonly worker: Worker;
  private readonly pending: Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void; context: string }> = [];
  private dead: Error | undefined;

  /**
   * @param url the worker module
   * @param describeCrash turns a crash into the error given to a pending request, from that request's context
   */
  constructor(url: URL, private readonly describeCrash: (cause: Error, context: string) => Error) {
    this.worker = new Worker(url);
    this.worker.on('message', (reply: Reply) => this.pending.shift()?.resolve(reply));
    this.worker.on('error', (error: Error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`worker exited with code ${code}`)));
  }

  /**
   * Sends a request and waits for its reply.
   * @param request the message
   * @param context what the request concerns (a file name), handed to `describeCrash`
   * @param transfer buffers to move to the worker instead of copying
   */
  request(request: Request, context: string, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.dead !== undefined) return Promise.reject(this.describeCrash(this.dead, context));
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({ resolve, reject, context });
      this.worker.postMessage(request, transfer);
    });
  }

  /**
   * Stops the worker at once; pending requests are rejected. Safe to call more than once.
   * @returns a promise that resolves when the worker has stopped
   */
  async terminate(): Promise<void> {
    if (this.dead === undefined) this.failAll(new Error('closed'));
    await this.worker.terminate();
  }

  private failAll(cause: Error): void {
    this.dead ??= cause;
    for (const waiter of this.pending.splice(0)) waiter.reject(this.describeCrash(cause, waiter.context));
  }
}
