/**
 * Retries with exponential backoff, for HTTP range reads.
 *
 * Hand-written rather than taken from a library: undici's `RetryAgent` is not exposed by Node 20's built-in
 * fetch (it would take the `undici` package as a dependency), and p-retry leaves what to retry, the server's
 * `Retry-After` and the cap to the caller anyway; what is left is this loop.
 */

/** How often and how long to retry. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Wait before the first retry, in milliseconds; doubled for each later one. */
  readonly baseDelay: number;
  /** Longest wait between attempts, in milliseconds (a server's `Retry-After` is cut to it too). */
  readonly maxDelay: number;
}

/** 6 attempts, waits of about 0.2, 0.4, 0.8, 1.6 and 3.2 s: a throttled or restarting server gets 6 s. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelay: 200, maxDelay: 5_000 };

/** An error that is worth another attempt, with the wait the server asked for, if any. */
export class TransientError extends Error {
  constructor(message: string, readonly retryAfter?: number) {
    super(message);
    this.name = 'TransientError';
  }
}

/**
 * Runs `attempt` until it succeeds, throws something other than a {@link TransientError}, or runs out of attempts.
 * @param attempt one try
 * @param policy attempts and waits
 * @returns what the first successful attempt returned
 * @throws the last TransientError (its message says how many attempts were made) or the first other error
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let tried = 1; ; tried += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      if (tried >= policy.attempts) throw new TransientError(`${error.message}, ${tried} attempts`);
      const backoff = policy.baseDelay * 2 ** (tried - 1) * (0.75 + Math.random() * 0.5);
      await sleep(Math.min(policy.maxDelay, error.retryAfter ?? backoff));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
