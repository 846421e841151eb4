import type { RecordBatch, Schema } from 'apache-arrow';
import type parquetjs from 'parquetjs-lite';
import { ArrowBalanceError } from '../../errors.js';
import type { ParquetFileWriter } from '../file-writer.js';
import { ARROW_SCHEMA_KEY, encodeArrowSchema } from './lite-arrow-schema.js';
import { reasonOf } from './lite-errors.js';
import { loadParquetjsLite } from './lite-library.js';
import { rowsOf } from './lite-rows.js';
import { LiteSink } from './lite-sink.js';
import { liteCodec, liteWriteSchema, type WriteColumn } from './lite-write-schema.js';
import { firstSchemaDifference } from '../schema-diff.js';
import { TempFile } from '../temp-file.js';
import type { ResolvedWriteOptions } from '../write-options.js';
import type { ParquetWriteSummary } from '../write-summary.js';

/** parquetjs-lite's writer once the first batch has fixed the schema. */
interface Started {
  readonly schema: Schema;
  readonly columns: readonly WriteColumn[];
  /** Settles once parquetjs-lite is loaded (see `lite-library.ts`). */
  readonly writer: Promise<parquetjs.ParquetWriter>;
}

/**
 * Writes record batches to a Parquet file with parquetjs-lite (pure JavaScript, on this thread).
 *
 * `write` checks the batch and queues it; rows are built and appended one batch at a time, on a promise
 * chain, because parquetjs-lite must finish flushing a row group before it takes the next row. Failures
 * while appending surface at the next `write` or at `finish`. The file is written synchronously into a
 * temporary file beside the output and moved into place only when `finish` succeeds; `abort` leaves
 * nothing behind. The footer stores the Arrow schema (`ARROW:schema`) so readers restore exact types and
 * metadata.
 *
 * Limits (each an error naming the column, suggesting the default engine): no ZSTD, Brotli or LZ4; 64-bit
 * integers only within ±2^53; UINT32 only up to 2^31 - 1; no NaN; no timestamps with a time zone;
 * timestamps before 1970 only to the millisecond; no Time64 (microseconds). -0.0 is written as 0.
 *
 * Memory: the batches queued and not yet appended (an asynchronous source waits for none), the row
 * objects of one batch, and one row group being shredded.
 */
export class LiteParquetWriter implements ParquetFileWriter {
  /** The file being written (absolute path). */
  readonly path: string;
  private readonly sink: LiteSink;
  private started: Started | undefined;
  private tail: Promise<void> = Promise.resolve();
  private failure: ArrowBalanceError | undefined;
  private rows = 0;
  private ended = false;
  private stopped = false;

  private constructor(private readonly file: TempFile, private readonly options: ResolvedWriteOptions, private readonly codec: string) {
    this.path = file.finalPath;
    this.sink = new LiteSink(file.fd, file.finalPath);
  }

  /**
   * Checks the codec and the output path, then creates the temporary file beside it.
   * @throws ArrowBalanceError for a codec parquetjs-lite cannot write, a missing folder, an existing output
   *   (without overwrite), or an input path
   */
  static create(path: string, options: ResolvedWriteOptions): LiteParquetWriter {
    const codec = liteCodec(path, options.compression);
    return new LiteParquetWriter(TempFile.create(path, options.overwrite), options, codec);
  }

  /**
   * Checks a batch against the schema and queues it for appending.
   * @throws ArrowBalanceError for a type parquetjs-lite cannot write (at the first batch), a schema that
   *   differs from the first batch's, an earlier failure while appending, or a removed temporary file
   */
  write(batch: RecordBatch): void {
    if (this.ended) throw new ArrowBalanceError(`${this.file.finalPath}: write after the writer ended`);
    if (this.failure !== undefined) throw this.failure;
    this.file.checkPresent();
    if (this.started === undefined) {
      this.file.refuseInput();
      this.started = this.start(batch.schema);
    } else {
      const difference = firstSchemaDifference(this.started.schema, batch.schema);
      if (difference !== undefined) throw new ArrowBalanceError(`${this.file.finalPath}: a batch has a different schema than the first (${difference}); every batch must share one schema`);
    }
    if (batch.numRows === 0) return;
    this.rows += batch.numRows;
    const started = this.started;
    this.tail = this.tail.then(() => this.append(started, batch)).catch((error: unknown) => {
      this.failure ??= this.failed(error);
    });
  }

  /** Resolves once every queued batch is appended (see {@link ParquetFileWriter.room}). */
  async room(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Appends what is queued, writes the footer and moves the file into place.
   * @returns what was written
   * @throws ArrowBalanceError when no batch came (no schema), appending or writing failed, or the move failed
   */
  async finish(): Promise<ParquetWriteSummary> {
    const started = this.started;
    if (started === undefined) {
      this.abort();
      throw new ArrowBalanceError(`${this.file.finalPath}: the source ended without any record batch, so there is no schema to write`);
    }
    this.ended = true;
    await this.tail;
    let writer: parquetjs.ParquetWriter | undefined;
    if (this.failure === undefined && !this.stopped) {
      try {
        writer = await started.writer;
        await writer.close();
      } catch (error) {
        this.failure = this.failed(error);
      }
    }
    if (this.failure !== undefined || this.stopped || writer === undefined) {
      this.abort();
      throw this.failure ?? new ArrowBalanceError(`${this.file.finalPath}: writing was aborted`);
    }
    this.file.commit();
    const rowGroups = writer.envelopeWriter.rowGroups.length;
    return { path: this.file.finalPath, rows: this.rows, rowGroups, bytes: this.sink.bytes };
  }

  /** Stops appending and removes the temporary file at once. Safe to repeat. */
  abort(): void {
    this.ended = true;
    this.stopped = true;
    this.sink.stop();
    this.file.discard();
    this.file.close();
  }

  private start(schema: Schema): Started {
    const { definition, columns } = liteWriteSchema(this.file.finalPath, schema, this.codec);
    const writer = loadParquetjsLite().then((library) => this.openWriter(library, schema, definition));
    // Awaited by append() and finish(); this handler only keeps a failed load from being reported as unhandled.
    writer.catch(() => undefined);
    return { schema, columns, writer };
  }

  private openWriter(library: typeof parquetjs, schema: Schema, definition: Record<string, parquetjs.FieldDefinition>): parquetjs.ParquetWriter {
    const parquetSchema = new library.ParquetSchema(definition);
    const { rowGroupSize, metadata } = this.options;
    const envelope = new library.ParquetEnvelopeWriter(
      parquetSchema,
      (chunk) => this.sink.write(chunk),
      () => this.sink.end(),
      0,
      { rowGroupSize, useDataPageV2: false, pageIndex: false },
    );
    const writer = new library.ParquetWriter(parquetSchema, envelope, { rowGroupSize });
    for (const [key, value] of Object.entries(metadata())) writer.setMetadata(key, value);
    writer.setMetadata(ARROW_SCHEMA_KEY, encodeArrowSchema(schema));
    return writer;
  }

  /** Builds one batch's rows and appends them; waits for each row so a row group flush completes first. */
  private async append(started: Started, batch: RecordBatch): Promise<void> {
    if (this.stopped || this.failure !== undefined) return;
    const writer = await started.writer;
    const rows = rowsOf(this.file.finalPath, started.columns, batch);
    for (const row of rows) {
      if (this.stopped) return;
      await writer.appendRow(row);
    }
  }

  private failed(error: unknown): ArrowBalanceError {
    if (error instanceof ArrowBalanceError) return error;
    return new ArrowBalanceError(`${this.file.finalPath}: writing Parquet failed (${reasonOf(error)}); use the default engine parquet-wasm`, { cause: error });
  }
}
