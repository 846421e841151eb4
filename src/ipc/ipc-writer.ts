import { writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter, Schema } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import { firstSchemaDifference } from '../parquet/schema-diff.js';
import { TempFile } from '../parquet/temp-file.js';
import { writeAdvice } from '../parquet/write-advice.js';
import { ByteSink } from './byte-sink.js';
import { checkFormat, formatOfPath } from './ipc-format.js';

/** What a stream target is called in messages and summaries. */
export const STREAM_TARGET = '<stream>';

/**
 * Bytes written to a stream target when the job fails after it began writing: a message header that
 * announces 8 bytes of metadata that no reader can parse. A stream that simply stopped could end at a
 * message boundary, and readers that accept a stream closed without its end-of-stream marker (pyarrow
 * does) would take the part for the whole; after these bytes every reader fails instead.
 */
const BROKEN_STREAM = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/** Options of `toArrow` and of the IPC output of jobs. */
export interface IpcWriteOptions {
  /**
   * `'arrow'`: the IPC file format (Feather v2), with a footer that lets readers seek; `'arrows'`: the IPC
   * stream format. Default: from the path's extension (`.arrows` a stream, `.arrow`/`.feather` a file), a
   * stream for a stream target.
   */
  readonly format?: 'arrow' | 'arrows' | undefined;
  /** Replace an existing file at the path. Default false: an existing file is an error. */
  readonly overwrite?: boolean | undefined;
  /**
   * Key-value metadata added to the schema; or a function that returns it, called when the first batch is
   * written (for metadata that depends on what is being written).
   */
  readonly metadata?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>) | undefined;
}

/** What an IPC writer reports when its output is complete. */
export interface IpcWriteSummary {
  /** Absolute path of the file written, or `<stream>` for a stream target. */
  readonly path: string;
  /** `'arrow'` (IPC file) or `'arrows'` (IPC stream). */
  readonly format: 'arrow' | 'arrows';
  /** Rows written. */
  readonly rows: number;
  /** Record batches written. */
  readonly batches: number;
  /** Bytes written. */
  readonly bytes: number;
}

/**
 * Writes record batches as Arrow IPC, to a file atomically or to a stream (stdout, a socket).
 *
 * A file is written into a temporary file beside it and renamed into place by `finish` (removed by `abort`),
 * as Parquet outputs are. `write` encodes a batch at once, straight into the file (or the stream's buffer):
 * memory is one batch. A stream target cannot be taken back: `abort` ends it with bytes no reader accepts.
 */
export class IpcWriter {
  /** The file being written (absolute path), or `<stream>`. */
  readonly path: string;
  readonly format: 'arrow' | 'arrows';
  private readonly sink: ByteSink;
  private writer: RecordBatchFileWriter | RecordBatchStreamWriter | undefined;
  private schema: Schema | undefined;
  private rows = 0;
  private batches = 0;
  private ended = false;
  private failure: Error | undefined;

  private constructor(
    private readonly target: TempFile | Writable,
    format: 'arrow' | 'arrows',
    private readonly metadata: () => Readonly<Record<string, string>>,
  ) {
    this.format = format;
    if (target instanceof TempFile) {
      this.path = target.finalPath;
      this.sink = new ByteSink((bytes) => writeAll(target.fd, bytes));
    } else {
      this.path = STREAM_TARGET;
      // The stream may hold the bytes after `write` returns, and batches may be read transiently: copy.
      this.sink = new ByteSink((bytes) => void target.write(Buffer.from(bytes)));
      target.on('error', (error: Error) => (this.failure ??= error));
    }
  }

  /**
   * Checks the output path (or takes the stream) and creates the temporary file beside the path.
   * @param target a file path, or a writable byte stream
   * @param options the format, overwriting and metadata
   * @throws ArrowBalanceError for a missing folder, an existing output (without overwrite), a bad option
   */
  static create(target: string | Writable, options: IpcWriteOptions = {}): IpcWriter {
    const { format, overwrite, metadata } = resolveIpcWriteOptions(target, options);
    if (typeof target !== 'string') return new IpcWriter(target, format, metadata);
    return new IpcWriter(TempFile.create(target, overwrite), format, metadata);
  }

  /**
   * Encodes a batch into the output at once.
   * @throws ArrowBalanceError when the schema differs from the first batch's, the file cannot be written,
   *   the stream failed, or a dictionary changes where the file format cannot hold it
   */
  write(batch: RecordBatch): void {
    if (this.ended) throw new ArrowBalanceError(`${this.path}: write after the writer ended`);
    this.throwIfFailed();
    if (this.target instanceof TempFile) this.target.checkPresent();
    if (this.schema === undefined) {
      if (this.target instanceof TempFile) this.target.refuseInput();
      this.schema = withMetadata(batch.schema, checkMetadata(this.metadata()));
      this.writer = this.format === 'arrow' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
      this.guard(() => this.writer?.reset(this.sink, this.schema));
    } else {
      const difference = firstSchemaDifference(this.schema, batch.schema);
      if (difference !== undefined) throw new ArrowBalanceError(`${this.path}: a batch has a different schema than the first (${difference}); every batch must share one schema`);
    }
    // The schema is written already; an empty batch adds nothing.
    if (batch.numRows === 0) return;
    const schema = this.schema;
    this.guard(() => this.writer?.write(new RecordBatch(schema, batch.data)));
    this.rows += batch.numRows;
    this.batches += 1;
  }

  /**
   * Resolves once a stream target has room for more (its buffer drained); at once for a file.
   * @throws ArrowBalanceError when the stream failed
   */
  async room(): Promise<void> {
    this.throwIfFailed();
    const { target } = this;
    if (target instanceof TempFile || !target.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        target.off('drain', done);
        target.off('error', done);
        target.off('close', done);
        resolve();
      };
      target.on('drain', done);
      target.on('error', done);
      target.on('close', done);
    });
    this.throwIfFailed();
    if (target.destroyed) throw new ArrowBalanceError(`${this.path}: the output stream was closed while writing`);
  }

  /**
   * Ends the IPC stream (or writes the file's footer) and moves the file into place, or waits until a stream
   * target has taken every byte (the stream itself is left open).
   * @returns what was written
   * @throws ArrowBalanceError when nothing was written (no schema) or writing failed
   */
  async finish(): Promise<IpcWriteSummary> {
    const writer = this.writer;
    if (writer === undefined) {
      this.abort();
      throw new ArrowBalanceError(`${this.path}: the source ended without any record batch, so there is no schema to write`);
    }
    this.guard(() => void writer.close());
    this.ended = true;
    const { target } = this;
    if (target instanceof TempFile) {
      target.commit();
    } else {
      await new Promise<void>((resolve, reject) => target.write(new Uint8Array(0), (error) => (error ? reject(error) : resolve())));
      this.throwIfFailed();
    }
    return { path: this.path, format: this.format, rows: this.rows, batches: this.batches, bytes: this.sink.bytes };
  }

  /** Stops: removes the temporary file, or breaks a stream target's IPC stream (see BROKEN_STREAM). Safe to repeat. */
  abort(): void {
    const wasEnded = this.ended;
    this.ended = true;
    const { target } = this;
    if (target instanceof TempFile) {
      target.close();
      target.discard();
    } else if (!wasEnded && this.sink.bytes > 0 && !target.destroyed && this.failure === undefined) {
      target.write(BROKEN_STREAM);
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) {
      const code = (this.failure as NodeJS.ErrnoException).code;
      throw new ArrowBalanceError(`${this.path}: writing the Arrow IPC stream failed (${code ?? this.failure.message})`, { cause: this.failure });
    }
  }

  /** Runs a step of apache-arrow's writer, turning its errors (and the file's) into one line that says what to do. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof ArrowBalanceError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      const message = (error as Error).message ?? String(error);
      if (this.target instanceof TempFile && code === 'ENOENT') throw this.target.removedError();
      if (message.includes('replacement dictionaries')) {
        throw new ArrowBalanceError(
          `${this.path}: a dictionary-encoded column changes its dictionary from one batch to the next, which the Arrow IPC file format cannot hold; write an IPC stream instead (an .arrows output, format "arrows", --format arrows)`,
          { cause: error },
        );
      }
      const folder = this.target instanceof TempFile ? dirname(this.target.finalPath) : '';
      throw new ArrowBalanceError(`${this.path}: writing Arrow IPC failed: ${code ?? message}${writeAdvice(code, folder)}`, { cause: error });
    }
  }
}

/**
 * Checks an IPC writer's target and options and fills in defaults, before anything is created.
 * @throws ArrowBalanceError naming the bad option
 */
export function resolveIpcWriteOptions(
  target: string | Writable,
  options: IpcWriteOptions,
): { format: 'arrow' | 'arrows'; overwrite: boolean; metadata: () => Readonly<Record<string, string>> } {
  if (typeof target === 'string' ? target.length === 0 : typeof (target as Partial<Writable> | null)?.write !== 'function') {
    throw new ArrowBalanceError('an Arrow IPC output must be a file path or a writable stream');
  }
  const given = checkFormat(options.format);
  if (given === 'parquet') throw new ArrowBalanceError('an Arrow IPC writer writes format "arrow" or "arrows", not "parquet"; use toParquet');
  const format = given ?? (typeof target === 'string' && formatOfPath(target) === 'arrow' ? 'arrow' : 'arrows');
  const overwrite = options.overwrite ?? false;
  if (typeof overwrite !== 'boolean') throw new ArrowBalanceError(`overwrite must be true or false, got ${String(overwrite)}`);
  const metadata = options.metadata ?? {};
  if (typeof metadata !== 'function') checkMetadata(metadata);
  return { format, overwrite, metadata: typeof metadata === 'function' ? metadata : () => metadata };
}

/** Writes all of `bytes` at the file's current position. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.byteLength;) at += writeSync(fd, bytes, at, bytes.byteLength - at);
}

function withMetadata(schema: Schema, extra: Readonly<Record<string, string>>): Schema {
  if (Object.keys(extra).length === 0) return schema;
  return new Schema(schema.fields, new Map([...schema.metadata, ...Object.entries(extra)]), schema.dictionaries);
}

function checkMetadata(metadata: unknown): Readonly<Record<string, string>> {
  if (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((value) => typeof value !== 'string')) {
    throw new ArrowBalanceError('metadata must be an object of string keys and string values');
  }
  return metadata as Readonly<Record<string, string>>;
}
