import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { makeData, RecordBatch, RecordBatchReader, Struct, type Schema } from 'apache-arrow';
import { ArrowBalanceError, toArrowBalanceError } from '../errors.js';
import type { BatchReader } from '../parquet/batch-reader.js';
import { checkedStreamBytes, FILE_MAGIC, ipcStart, notIpcError } from './ipc-bytes.js';

/**
 * What `fromArrow` and the jobs read as Arrow IPC: a file path (an IPC file, `.arrow` or Feather v2, or a
 * stream saved to a file, `.arrows`; told apart by their first bytes), the bytes of either, or a stream of
 * bytes read once (a Node readable stream such as `process.stdin`, or any async iterable of byte chunks).
 */
export type IpcSource = string | Uint8Array | AsyncIterable<Uint8Array>;

/** Options of {@link openIpc}. */
export interface IpcReadOptions {
  /** Only these columns are kept, in the order given (IPC has no column pruning: every column is read). */
  readonly columns?: readonly string[] | undefined;
  /** The input's name in error messages (default: the path, `<buffer>` or `<stream>`). */
  readonly name?: string | undefined;
}

/** The name of an IPC input in messages. */
export function ipcSourceName(source: IpcSource): string {
  return typeof source === 'string' ? source : source instanceof Uint8Array ? '<buffer>' : '<stream>';
}

/**
 * Opens Arrow IPC input as a pull-based reader of its record batches, one message per `next()`.
 *
 * An IPC file on disk is read at random through its footer, one record batch at a time; an IPC stream (on
 * disk or from a pipe) is read message by message as bytes arrive. Either way memory is about one record
 * batch (and its dictionaries), whatever the size of the input. A stream must end with its end-of-stream
 * marker (see `checkedStreamBytes`); a file must end with its footer.
 * @param source a path, bytes, or a byte stream
 * @param options columns to keep and the name for messages
 * @returns a reader; call `close()` when done with it
 * @throws ArrowBalanceError for a missing file, input that is not Arrow IPC, or that is cut short
 */
export async function openIpc(source: IpcSource, options: IpcReadOptions = {}): Promise<BatchReader> {
  const name = options.name ?? ipcSourceName(source);
  checkColumns(options.columns);
  try {
    const opened = typeof source === 'string' ? await openPath(source, name) : await openBytes(source, name);
    return new IpcBatchReader(opened.reader, name, options.columns, opened.close);
  } catch (error) {
    throw readError(error, name);
  }
}

interface Opened {
  readonly reader: AsyncIterator<RecordBatch> & { readonly schema: Schema | null };
  readonly close: () => void;
}

async function openPath(path: string, name: string): Promise<Opened> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new ArrowBalanceError(`${name}: no such file; check the input path`);
    if (error.code === 'EISDIR') throw new ArrowBalanceError(`${name}: is a directory; a folder holds Parquet files, give an Arrow IPC file`);
    throw new ArrowBalanceError(`${name}: cannot read (${error.code ?? error.message})`);
  });
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(8, size));
    await handle.read(head, 0, head.byteLength, 0);
    const start = ipcStart(head);
    if (start === 'stream') {
      await handle.close();
      return openBytes(createReadStream(path), name);
    }
    if (start !== 'file') throw notIpcError(name, start);
    const end = new Uint8Array(FILE_MAGIC.byteLength);
    await handle.read(end, 0, end.byteLength, Math.max(0, size - end.byteLength));
    if (size < 2 * 8 || !end.every((byte, index) => byte === FILE_MAGIC[index])) {
      throw new ArrowBalanceError(`${name}: the Arrow IPC file is cut short (it does not end with its footer); write it again`);
    }
    // Random access: the footer first, then each record batch when asked for.
    const reader = await RecordBatchReader.from(handle as FileHandle);
    await reader.open();
    return { reader: iterate(reader), close: () => void handle.close().catch(() => undefined) };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

async function openBytes(source: Uint8Array | AsyncIterable<Uint8Array>, name: string): Promise<Opened> {
  if (source instanceof Uint8Array && ipcStart(source) === 'file') return openFileBytes(source, name);
  // Bytes in memory go through the same checks as a stream, as one chunk.
  const chunks = source instanceof Uint8Array ? (async function* one() { yield source; })() : source;
  const bytes = checkedStreamBytes(chunks, name);
  const reader = await RecordBatchReader.from(bytes);
  await reader.open();
  if (reader.schema === null) throw new ArrowBalanceError(`${name}: the Arrow IPC stream ends before its schema; check the producer and send it again`);
  return {
    reader: iterate(reader),
    close: () => {
      void reader.cancel().catch(() => undefined);
      void bytes.return(undefined).catch(() => undefined);
      if (!(source instanceof Uint8Array) && 'destroy' in source && typeof source.destroy === 'function') (source.destroy as () => void)();
    },
  };
}

/** An IPC file in memory: read through its footer. */
function openFileBytes(bytes: Uint8Array, name: string): Opened {
  const end = bytes.subarray(bytes.byteLength - FILE_MAGIC.byteLength);
  if (bytes.byteLength < 2 * 8 || !end.every((byte, index) => byte === FILE_MAGIC[index])) {
    throw new ArrowBalanceError(`${name}: the Arrow IPC file is cut short (it does not end with its footer); write it again`);
  }
  const reader = RecordBatchReader.from(bytes);
  reader.open();
  const batches = reader[Symbol.iterator]();
  const iterator: AsyncIterator<RecordBatch> = { next: async () => batches.next() };
  return { reader: Object.assign(iterator, { get schema() { return reader.schema as Schema | null; } }), close: () => void reader.cancel() };
}

/** The reader's batches with its schema at hand (an async reader is its own iterator). */
function iterate(reader: Awaited<ReturnType<typeof RecordBatchReader.from>>): Opened['reader'] {
  const iterator = reader[Symbol.asyncIterator]() as AsyncIterator<RecordBatch>;
  return Object.assign(iterator, { get schema() { return reader.schema as Schema | null; } });
}

/**
 * A {@link BatchReader} over an Arrow IPC reader: one record batch per `next()`.
 *
 * apache-arrow yields an empty placeholder batch for a stream with a schema and no batches; it is passed on
 * as an empty batch with the schema, as `fromParquet` does for an empty file.
 */
class IpcBatchReader implements BatchReader {
  readonly schema: Schema;
  /** The kept columns' places in the input, when only some are kept. */
  private readonly indices: number[] | undefined;
  private closed = false;

  constructor(
    private readonly reader: Opened['reader'],
    private readonly name: string,
    columns: readonly string[] | undefined,
    private readonly release: () => void,
  ) {
    const schema = reader.schema as Schema;
    if (columns !== undefined) {
      const missing = columns.find((column) => schema.fields.every((field) => field.name !== column));
      if (missing !== undefined) {
        this.close();
        throw new ArrowBalanceError(`${name}: column "${missing}" not found; columns are: ${schema.fields.map((field) => field.name).join(', ')}`);
      }
      this.indices = columns.map((column) => schema.fields.findIndex((field) => field.name === column));
      this.schema = schema.selectAt(this.indices);
    } else {
      this.indices = undefined;
      this.schema = schema;
    }
  }

  async next(): Promise<RecordBatch[] | null> {
    if (this.closed) return null;
    try {
      const result = await this.reader.next();
      if (result.done === true) return null;
      return [this.project(result.value)];
    } catch (error) {
      this.close();
      throw readError(error, this.name);
    }
  }

  /** The kept columns of a batch, sharing their data. */
  private project(batch: RecordBatch): RecordBatch {
    const { indices } = this;
    if (indices === undefined) return batch;
    const children = indices.map((index) => batch.data.children[index] as NonNullable<(typeof batch.data.children)[number]>);
    return new RecordBatch(this.schema, makeData({ type: new Struct(this.schema.fields), length: batch.numRows, nullCount: 0, children }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }
}

function checkColumns(columns: readonly string[] | undefined): void {
  if (columns === undefined) return;
  if (!Array.isArray(columns) || columns.some((column) => typeof column !== 'string')) throw new ArrowBalanceError('columns must be an array of column names');
  if (columns.length === 0) throw new ArrowBalanceError('columns is empty; list at least one column, or leave it out to read all');
}

/** apache-arrow's errors (a cut message, a bad flatbuffer) as one line naming the input. */
function readError(error: unknown, name: string): ArrowBalanceError {
  if (error instanceof ArrowBalanceError) return error;
  return toArrowBalanceError(new Error(`cannot read it as Arrow IPC (${(error as Error)?.message ?? String(error)}); check that it is a complete Arrow IPC stream or file`), name);
}
