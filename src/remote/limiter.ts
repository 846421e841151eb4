/**
 * Runs at most `limit` async jobs at once; the others wait in arrival order.
 *
 * Twenty lines do not justify a dependency (p-limit is ESM-only and would be the library's first runtime
 * dependency for this).
 */
export class Limiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /** @param limit jobs allowed to run at once */
  constructor(private readonly limit: number) {}

  /** Runs `job` once a place is free; the place is freed when its promise settles. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      // The place passes straight to the next job, so `running` stays counted.
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}
