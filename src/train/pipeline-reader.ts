/**
 * `PipelineReader`: pulls record batches through an RxJS pipeline, feeding it one row group at a time and
 * only when the consumer asks for more: the bridge from push (RxJS) to pull (a trainer).
 *
 * The one place in `src/` that touches RxJS at run time: the trainer bridge takes a user's operator chain.
 */
import type { RecordBatch } from 'apache-arrow';
import { Observable } from 'rxjs';
import type { OperatorFunction, Subscriber, Subscription } from 'rxjs';

/** A pull-based source of record batches: a `BatchReader`, or a pipeline over one. */
export interface PullSource {
  /** The next batches, or null at the end. Not called again before the previous call settles. */
  next(): Promise<RecordBatch[] | null>;
  /** Releases everything; safe to call more than once. */
  close(): void;
}

/**
 * Runs `pipeline` over the batches of `reader`, pulled on demand.
 *
 * `next()` hands out what the pipeline has emitted so far; when nothing is queued it reads one more row
 * group from `reader` and pushes its batches into the pipeline (an Observable whose subscriber we keep),
 * and repeats until output appears or the pipeline completes. So the reader runs only as fast as the
 * consumer: a slow trainer holds the pipeline (and the file) still.
 *
 * ```
 * consumer:  next()          next()        next()
 * reader:    rg0 -> pipe     (queued)      rg1 -> pipe ...
 * ```
 *
 * Memory: the batches one row group produced (the queue is emptied before the next read), plus whatever
 * the pipeline's operators hold by their own documented bounds (a shuffle buffer, a reservoir). Operators
 * that emit asynchronously get the time of one read to emit; if they fall further behind, the reader keeps
 * feeding them, so the bound then depends on them (arrow-balance's own operators are all synchronous).
 */
export class PipelineReader implements PullSource {
  readonly #reader: PullSource;
  readonly #subscription: Subscription;
  #input: Subscriber<RecordBatch> | undefined;
  #queue: RecordBatch[] = [];
  #complete = false;
  #failure: { readonly error: unknown } | undefined;
  #inputEnded = false;
  #closed = false;
  #wake: (() => void) | undefined;

  /**
   * Subscribes to the pipeline at once (nothing is read until the first `next()`).
   *
   * @param reader the source of row groups; closed by {@link PipelineReader.close}
   * @param pipeline the operators to run
   */
  constructor(reader: PullSource, pipeline: OperatorFunction<RecordBatch, RecordBatch>) {
    this.#reader = reader;
    const input = new Observable<RecordBatch>((subscriber) => {
      this.#input = subscriber;
      return () => {
        if (this.#input === subscriber) this.#input = undefined;
      };
    });
    this.#subscription = pipeline(input).subscribe({
      next: (batch) => {
        this.#queue.push(batch);
        this.#wakeUp();
      },
      error: (error: unknown) => {
        this.#failure = { error };
        this.#wakeUp();
      },
      complete: () => {
        this.#complete = true;
        this.#wakeUp();
      },
    });
  }

  /**
   * The batches the pipeline has emitted, feeding it more row groups until there are some.
   *
   * @returns one or more batches, or null once the pipeline has completed and everything was handed out
   * @throws whatever the pipeline or the reader fails with
   */
  async next(): Promise<RecordBatch[] | null> {
    for (;;) {
      if (this.#queue.length > 0) return this.#queue.splice(0);
      if (this.#failure !== undefined) throw this.#failure.error;
      if (this.#complete || this.#closed) return null;
      if (this.#inputEnded || this.#input === undefined) {
        await this.#output();
        continue;
      }
      const batches = await this.#reader.next();
      if (this.#closed) return null;
      if (batches === null) {
        this.#inputEnded = true;
        this.#input?.complete();
        continue;
      }
      for (const batch of batches) {
        const input = this.#input;
        if (input === undefined || input.closed) break;
        input.next(batch);
      }
    }
  }

  /** Unsubscribes from the pipeline and closes the reader. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.#subscription.unsubscribe();
    this.#reader.close();
    this.#wakeUp();
  }

  /** Waits until the pipeline emits, fails or completes (for operators that emit asynchronously). */
  #output(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
