import { ArrowBalanceError } from '../errors.js';

/** Exit statuses of a run stopped by a signal, as shells report them (128 + signal number). */
const SIGNAL_STATUS: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** An error that says the job was stopped by a signal; the CLI exits with the signal's status. */
export class InterruptedError extends ArrowBalanceError {
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}; nothing was written`);
    this.name = 'InterruptedError';
  }

  /** The exit status for this signal. */
  get exitStatus(): number {
    return SIGNAL_STATUS[this.signal] ?? 1;
  }
}

/**
 * Runs a job that takes an AbortSignal, aborting it on SIGINT (Ctrl-C), SIGTERM or SIGHUP (the terminal or
 * ssh session closed).
 *
 * The job cleans up (removes its temporary file) and rejects; this then rejects with an
 * {@link InterruptedError}. The handlers are removed when the job ends.
 * @param job the work, given a signal that aborts on interrupt
 * @returns what the job returns
 */
export async function withInterrupts<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: string | undefined;
  const handlers = Object.keys(SIGNAL_STATUS).map((signal) => {
    const handler = (): void => {
      received ??= signal;
      controller.abort(new InterruptedError(signal));
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  try {
    return await job(controller.signal);
  } catch (error) {
    throw received === undefined ? error : new InterruptedError(received);
  } finally {
    for (const remove of handlers) remove();
  }
}
