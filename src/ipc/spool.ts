import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArrowBalanceError } from '../errors.js';

/**
 * A copy of a byte stream kept in a temporary folder while a job reads the stream, so that a job that needs
 * two passes (count, then sample) can read a stream it can read only once (stdin) a second time.
 *
 * The copy is made during the first pass, chunk by chunk (`tee`), so the stream is read once and memory
 * stays at one chunk; the folder is under `os.tmpdir()` (`TMPDIR`), private to this process
 * (`arrow-balance-spool-XXXXXX`), and `remove()` deletes it. Jobs remove it when they end, on success,
 * error or interrupt alike; only a process killed outright (SIGKILL, out of memory) leaves it behind.
 */
export class Spool {
  private fd: number | undefined;
  private removed = false;

  private constructor(
    /** The folder holding the copy. */
    readonly folder: string,
    /** The copy's path. */
    readonly path: string,
  ) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  /**
   * Creates the folder and the empty copy.
   * @throws ArrowBalanceError when the temporary folder cannot be written
   */
  static create(): Spool {
    let folder: string;
    try {
      folder = mkdtempSync(join(tmpdir(), 'arrow-balance-spool-'));
    } catch (error) {
      throw new ArrowBalanceError(`cannot create a temporary folder in ${tmpdir()} to hold the input stream (${(error as NodeJS.ErrnoException).code ?? String(error)}); set TMPDIR to a writable folder`, { cause: error });
    }
    return new Spool(folder, join(folder, 'input.arrows'));
  }

  /**
   * Passes the stream's chunks on, writing each to the copy first.
   * @param source the stream
   * @throws ArrowBalanceError when the copy cannot be written (a full disk)
   */
  async *tee(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
    for await (const chunk of source) {
      this.write(chunk);
      yield chunk;
    }
    this.finish();
  }

  /** Closes the copy (it is complete, or reading stopped at the stream's end-of-stream marker). */
  finish(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** Deletes the copy and its folder. Safe to repeat. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    try {
      this.finish();
    } finally {
      rmSync(this.folder, { recursive: true, force: true });
    }
  }

  private write(chunk: Uint8Array): void {
    const fd = this.fd;
    if (fd === undefined) return;
    try {
      for (let at = 0; at < chunk.byteLength;) at += writeSync(fd, chunk, at, chunk.byteLength - at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ArrowBalanceError(`cannot keep a copy of the input stream in ${this.folder} (${code}); free some space there or set TMPDIR to a folder with room`, { cause: error });
    }
  }
}
