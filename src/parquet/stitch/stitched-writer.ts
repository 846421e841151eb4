import type { ParquetFileWriter } from '../file-writer.js';
import type { ResolvedWriteOptions } from '../write-options.js';
import type { ParquetWriteSummary } from '../write-summary.js';
import { StitchedFile } from './stitched-file.js';

/**
 * A {@link StitchedFile} behind the writer interface jobs use: it takes encoded parts (`append`) instead of
 * batches, and writes the key-value metadata when it finishes (so the report it holds is complete).
 */
export class StitchedWriter implements ParquetFileWriter {
  private constructor(private readonly file: StitchedFile, private readonly metadata: () => Record<string, string>) {}

  /**
   * Checks the output path and creates the temporary file.
   * @throws ArrowBalanceError as {@link StitchedFile.create} does
   */
  static create(path: string, options: ResolvedWriteOptions): StitchedWriter {
    return new StitchedWriter(StitchedFile.create(path, options.overwrite), options.metadata);
  }

  /** The file being written (absolute path). */
  get path(): string {
    return this.file.path;
  }

  /** Appends an encoded part (see {@link StitchedFile.append}). */
  append(part: Uint8Array): void {
    this.file.append(part);
  }

  /** Not for batches: parts come encoded. */
  write(): void {
    throw new Error('arrow-balance: a stitched file takes encoded parts, not batches');
  }

  /** Parts are written at once, so there is always room. */
  room(): Promise<void> {
    return Promise.resolve();
  }

  /** Writes the footer with the metadata and moves the file into place. */
  finish(): Promise<ParquetWriteSummary> {
    return Promise.resolve(this.file.finish(this.metadata()));
  }

  /** Removes the temporary file. Safe to repeat. */
  abort(): void {
    this.file.abort();
  }
}
