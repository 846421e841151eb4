import { writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ArrowBalanceError } from '../../errors.js';
import { messageOf } from '../../text/escape-text.js';
import { TempFile } from '../temp-file.js';
import { writeAdvice } from '../write-advice.js';
import type { ParquetWriteSummary } from '../write-summary.js';
import { FILE_META, mergedFooter, rebaseOffsetIndex, rebaseRowGroup, rowGroups, splitParquet, writePageIndexes, type ChunkIndexes } from './parquet-footer.js';
import { field, writeStruct, type ThriftStruct } from '../thrift-compact.js';

/** Field id of FileMetaData's schema list. */
const SCHEMA = 2;
const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]);

/**
 * One Parquet file stitched from parts encoded apart (by workers, in any order), appended in output order.
 *
 * Each part is a complete Parquet file. Its data (the column chunks of its row groups) is copied as it is;
 * its row groups' metadata, with every absolute offset moved by where the data landed, joins one footer
 * that holds every row group, their statistics, and the key-value metadata given at the end. Page indexes
 * are kept: they are written after all data, their page locations moved with it. Readers cannot tell the
 * result from a file written in one go (arrow-rs's "Encoding Parquet in parallel" works so).
 * The file is written atomically, like every output: into a hidden temporary file renamed when finished.
 *
 * Memory: one part at a time, plus the footer's row group metadata and the page indexes (a few hundred bytes
 * per column chunk).
 */
export class StitchedFile {
  private position = 0;
  private readonly groups: ThriftStruct[] = [];
  private rows = 0n;
  private first: ThriftStruct | undefined;
  private schema: Uint8Array | undefined;
  private readonly indexes: ChunkIndexes[] = [];

  private constructor(private readonly file: TempFile) {}

  /**
   * Checks the output path and creates the temporary file.
   * @param path the output file
   * @param overwrite whether to replace an existing file
   * @throws ArrowBalanceError as {@link TempFile.create} does
   */
  static create(path: string, overwrite: boolean): StitchedFile {
    const file = TempFile.create(path, overwrite);
    const stitched = new StitchedFile(file);
    try {
      stitched.write(MAGIC);
    } catch (error) {
      stitched.abort();
      throw error;
    }
    return stitched;
  }

  /** The file being written (absolute path). */
  get path(): string {
    return this.file.finalPath;
  }

  /**
   * Appends a part's row groups.
   * @param part a complete Parquet file with the same schema as every other part
   * @throws ArrowBalanceError for a part that is not Parquet, has another schema, or cannot be written
   */
  append(part: Uint8Array): void {
    const { data, footer, indexes } = splitParquet(part);
    const schema = writeStruct({ kind: 'struct', fields: footer.fields.filter((f) => f.id === SCHEMA) });
    if (this.schema === undefined) {
      this.file.refuseInput();
      this.first = footer;
      this.schema = schema;
    } else if (!Buffer.from(schema).equals(Buffer.from(this.schema))) {
      throw new ArrowBalanceError(`${this.path}: an encoded part has another schema than the first; every part must share one`);
    }
    const delta = BigInt(this.position - MAGIC.length);
    for (const group of rowGroups(footer)) {
      rebaseRowGroup(group, delta, this.groups.length);
      this.groups.push(group);
    }
    for (const chunk of indexes) {
      if (chunk.offsetIndex !== undefined) rebaseOffsetIndex(chunk.offsetIndex, delta);
      this.indexes.push(chunk);
    }
    this.rows += field(footer, FILE_META.numRows) as bigint;
    this.write(data);
  }

  /**
   * Writes the footer and moves the file into place.
   * @param keyValue key-value metadata for the footer (the parts' `ARROW:schema` is kept)
   * @returns what was written
   * @throws ArrowBalanceError when no part was appended (no schema) or writing fails
   */
  finish(keyValue: Readonly<Record<string, string>>): ParquetWriteSummary {
    if (this.first === undefined) throw new ArrowBalanceError(`${this.path}: no part was appended, so there is no schema to write`);
    this.writeIndexes();
    const footer = writeStruct(mergedFooter(this.first, this.groups, this.rows, keyValue));
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, footer.length, true);
    this.write(footer);
    this.write(length);
    this.write(MAGIC);
    this.file.commit();
    return { path: this.path, rows: Number(this.rows), rowGroups: this.groups.length, bytes: this.position };
  }

  /** Writes every part's page indexes after the data and points the chunks at them. */
  private writeIndexes(): void {
    writePageIndexes(this.indexes, (bytes) => {
      const at = BigInt(this.position);
      this.write(bytes);
      return at;
    });
  }

  /** Removes the temporary file. Safe to repeat. */
  abort(): void {
    this.file.discard();
    this.file.close();
  }

  private write(bytes: Uint8Array): void {
    // A descriptor keeps writing into a file whose folder was removed: look before each part.
    this.file.checkPresent();
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.file.fd, bytes, done, bytes.length - done, this.position + done);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ArrowBalanceError(`${this.path}: writing Parquet failed: ${messageOf(error)}${writeAdvice(code, dirname(this.path))}`, { cause: error });
    }
    this.position += bytes.length;
  }
}
