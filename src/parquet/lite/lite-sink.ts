/** A synchronous write target for parquetjs-lite's envelope writer: the temporary file's descriptor. */
import { writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ArrowBalanceError } from '../../errors.js';
import { writeAdvice } from '../write-advice.js';

/**
 * Writes every chunk at once with `writeSync` and counts the bytes.
 *
 * Writing synchronously means no write is ever in flight: `stop()` can be followed at once by closing
 * the descriptor, with no late write landing in a file that reuses its number. parquetjs-lite writes a
 * row group only when one is complete, so the blocking writes are few and large.
 */
export class LiteSink {
  private written = 0;
  private stopped = false;

  /**
   * @param fd the open descriptor to write to
   * @param path the output path, for messages
   */
  constructor(private readonly fd: number, private readonly path: string) {}

  /** Bytes written so far. */
  get bytes(): number {
    return this.written;
  }

  /**
   * Writes a chunk in full. Failures throw synchronously, so none escapes as an unhandled rejection.
   * @throws ArrowBalanceError after `stop()`, or when the disk refuses the write
   */
  write(chunk: Uint8Array): Promise<void> {
    if (this.stopped) throw new ArrowBalanceError(`${this.path}: writing stopped`);
    let at = 0;
    try {
      while (at < chunk.byteLength) at += writeSync(this.fd, chunk, at, chunk.byteLength - at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      const advice = writeAdvice(code, dirname(this.path)) || '; check the free space and permissions of the folder';
      throw new ArrowBalanceError(`${this.path}: writing Parquet failed (${code})${advice}`, { cause: error });
    }
    this.written += chunk.byteLength;
    return Promise.resolve();
  }

  /** Nothing to flush: every write is complete when it returns. */
  end(): Promise<void> {
    return Promise.resolve();
  }

  /** Refuses every later write. */
  stop(): void {
    this.stopped = true;
  }
}
