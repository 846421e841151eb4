/**
 * Lets the event loop run (timers, signal handlers, I/O callbacks) before going on.
 *
 * A job's loop awaits the reader's next row group; when the worker decodes ahead faster than the job
 * consumes, every such promise is already settled, the loop runs on microtasks alone, and a Ctrl-C (or
 * any timer) is not seen until the job ends. Jobs call this once per row group.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
