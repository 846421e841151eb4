import { Field, makeData, RecordBatch, Schema, Struct, tableFromIPC, vectorFromArray } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import type { BatchReader, ReadOptions } from './batch-reader.js';
import type { ReadReply, ReadRequest, WorkerInput } from './read-protocol.js';
import { firstSchemaDifference } from './schema-diff.js';
import type { ParquetInput } from './sources.js';
import { markInputs } from './open-inputs.js';
import { WorkerChannel } from './worker-channel.js';
import { InputDescriptors } from './input-descriptors.js';
import { siblingWorkerUrl } from './worker-url.js';

/** One row group to read: which input and which group. */
interface RowGroupRef {
  readonly file: number;
  readonly rowGroup: number;
  readonly rows: number;
}

/**
 * Reads Parquet inputs with parquet-wasm in a worker thread, one row group per `next()`.
 *
 * Memory: the row group handed out, plus `readAhead` row groups decoded ahead (default 1) so the worker
 * decodes on the second core while the caller works on the current one.
 */
export class WasmBatchReader implements BatchReader {
  private readonly ahead: Array<Promise<RecordBatch[]>> = [];
  private cursor = 0;
  private handedOutRows = false;
  private readonly releaseInputs: () => void;

  private constructor(
    private readonly channel: WorkerChannel<ReadRequest, ReadReply>,
    private readonly descriptors: InputDescriptors,
    private readonly inputs: readonly ParquetInput[],
    private readonly plan: readonly RowGroupRef[],
    readonly schema: Schema,
    private readonly options: ReadOptions,
    private readonly readAhead: number,
  ) {
    this.releaseInputs = markInputs(inputs.flatMap((input) => ('path' in input ? [input.path] : [])));
  }

  /**
   * Opens every input, checks that they share one schema and that projected columns exist.
   * @throws ArrowBalanceError naming the file (and, for mismatched schemas, both files and the field)
   */
  static async open(inputs: readonly ParquetInput[], options: ReadOptions, readAhead = 1): Promise<WasmBatchReader> {
    const channel = new WorkerChannel<ReadRequest, ReadReply>(
      siblingWorkerUrl(import.meta.url, 'wasm-read-worker.js'),
      (cause, file) => crashError(file, cause),
    );
    const descriptors = new InputDescriptors(inputs);
    try {
      const schemas: Schema[] = [];
      const plan: RowGroupRef[] = [];
      for (let file = 0; file < inputs.length; file += 1) {
        const described = await channel.request(describeRequest(inputs, descriptors, file), inputs[file]?.name ?? '').finally(() => descriptors.release(file));
        if (described.type === 'failed') throw new ArrowBalanceError(`${described.file}: ${described.message}`);
        if (described.type !== 'described') throw new Error(`unexpected reply ${described.type}`);
        schemas.push(tableFromIPC(described.schemaIpc).schema);
        described.rowGroupRows.forEach((rows, rowGroup) => {
          if (rows > 0) plan.push({ file, rowGroup, rows });
        });
      }
      const schema = checkSchemas(inputs, schemas, options.columns);
      return new WasmBatchReader(channel, descriptors, inputs, plan, schema, options, readAhead);
    } catch (error) {
      descriptors.hold();
      void channel.terminate().then(() => descriptors.closeAll());
      throw error;
    }
  }

  async next(): Promise<RecordBatch[] | null> {
    if (this.cursor >= this.plan.length && this.ahead.length === 0) {
      if (this.handedOutRows) return null;
      this.handedOutRows = true;
      return [emptyBatch(this.schema)];
    }
    while (this.ahead.length < 1 + this.readAhead && this.cursor < this.plan.length) this.requestNext();
    const batches = await (this.ahead.shift() as Promise<RecordBatch[]>);
    this.handedOutRows = true;
    return batches;
  }

  close(): void {
    this.releaseInputs();
    // Descriptors are closed only once the worker has stopped, so that no read can land on a reused number.
    this.descriptors.hold();
    void this.channel.terminate().then(() => this.descriptors.closeAll());
    // Pending read-ahead requests reject when the worker stops; nobody waits for them any more.
    for (const pending of this.ahead.splice(0)) pending.catch(() => undefined);
  }

  /**
   * parquet-wasm's row-group reads drop schema and field metadata (and may loosen nullability), which the
   * file's own schema keeps: put them back, keeping the batch's types.
   */
  private withFileSchema(batch: RecordBatch): RecordBatch {
    const fields = batch.schema.fields.map((field, index) => {
      const declared = this.schema.fields[index];
      return declared?.name === field.name ? new Field(field.name, field.type, declared.nullable, declared.metadata) : field;
    });
    return new RecordBatch(new Schema(fields, this.schema.metadata), batch.data);
  }

  private requestNext(): void {
    const ref = this.plan[this.cursor] as RowGroupRef;
    this.cursor += 1;
    const name = this.inputs[ref.file]?.name ?? '';
    // parquet-wasm's own default is 1024 rows a batch, far too small: default to the whole row group.
    const batchSize = this.options.batchSize ?? ref.rows;
    let request: ReadRequest;
    try {
      request = { type: 'read', input: workerInput(this.inputs, this.descriptors, ref.file, false), file: ref.file, rowGroup: ref.rowGroup, columns: this.options.columns, batchSize };
    } catch (error) {
      this.ahead.push(Promise.reject(openError(name, error)));
      return;
    }
    const pending = this.channel
      .request(request, name)
      .finally(() => this.descriptors.release(ref.file))
      .then((reply) => {
        if (reply.type === 'failed') throw new ArrowBalanceError(`${reply.file}: ${reply.message}`);
        if (reply.type !== 'rows') throw new Error(`unexpected reply ${reply.type}`);
        return tableFromIPC(reply.ipc).batches.map((batch) => this.withFileSchema(batch));
      });
    // Avoid an unhandled rejection while the promise waits in the read-ahead queue.
    pending.catch(() => undefined);
    this.ahead.push(pending);
  }
}

/** The describe request for input `file`, with its bytes or a descriptor opened for it. */
function describeRequest(inputs: readonly ParquetInput[], descriptors: InputDescriptors, file: number): ReadRequest {
  try {
    return { type: 'describe', file, input: workerInput(inputs, descriptors, file, true) };
  } catch (error) {
    throw openError(inputs[file]?.name ?? '', error);
  }
}

/**
 * How the worker reaches input `file` for one request: a descriptor (release it when the reply arrives),
 * or the bytes on first contact (`withBytes`).
 */
function workerInput(inputs: readonly ParquetInput[], descriptors: InputDescriptors, file: number, withBytes: boolean): WorkerInput {
  const input = inputs[file] as ParquetInput;
  const fd = descriptors.acquire(file);
  if (fd !== undefined) return { name: input.name, fd };
  return 'bytes' in input && withBytes ? { name: input.name, bytes: input.bytes } : { name: input.name };
}

function openError(name: string, error: unknown): ArrowBalanceError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new ArrowBalanceError(`${name}: cannot open the file (${code}); check that it exists and is readable`);
}

function crashError(file: string, cause: Error): ArrowBalanceError {
  if (cause.message === 'closed') return new ArrowBalanceError(`${file}: reader closed`);
  return new ArrowBalanceError(
    `${file}: the Parquet decoder crashed (${cause.message}); the file is corrupt or uses a feature parquet-wasm cannot decode`,
    { cause },
  );
}

function checkSchemas(inputs: readonly ParquetInput[], schemas: readonly Schema[], columns: readonly string[] | undefined): Schema {
  const first = schemas[0] as Schema;
  const firstName = inputs[0]?.name ?? '';
  if (columns !== undefined) {
    const names = first.fields.map((field) => field.name);
    for (const column of columns) {
      if (!names.includes(column)) {
        throw new ArrowBalanceError(`${firstName}: column "${column}" not found; columns are: ${names.join(', ')}`);
      }
    }
  }
  const project = (schema: Schema): Schema => (columns === undefined ? schema : schema.select(columns.filter((name) => schema.fields.some((field) => field.name === name))));
  const projectedFirst = project(first);
  schemas.forEach((schema, index) => {
    const difference = firstSchemaDifference(projectedFirst, project(schema));
    if (difference !== undefined) {
      throw new ArrowBalanceError(`${inputs[index]?.name ?? ''} and ${firstName} have different schemas: ${difference}; read them separately or convert them to one schema`);
    }
  });
  return orderAsFile(projectedFirst, first);
}

/** parquet-wasm returns projected columns in file order, whatever order they were asked in. */
function orderAsFile(projected: Schema, file: Schema): Schema {
  const names = new Set(projected.fields.map((field) => field.name));
  return file.select(file.fields.filter((field) => names.has(field.name)).map((field) => field.name));
}

/** A batch with no rows that carries the schema, so downstream writers learn it. */
function emptyBatch(schema: Schema): RecordBatch {
  const children = schema.fields.map((field) => vectorFromArray([], field.type).data[0]!);
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children }));
}
