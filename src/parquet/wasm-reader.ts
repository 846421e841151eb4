import { Field, makeData, RecordBatch, Schema, Struct, tableFromIPC, vectorFromArray } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import type { BatchReader, ReadOptions } from './batch-reader.js';
import type { ReadReply, ReadRequest, WorkerInput } from './read-protocol.js';
import { firstSchemaDifference } from './schema-diff.js';
import type { ParquetInput } from './sources.js';
import { markInputs } from './open-inputs.js';
import { WorkerChannel } from './worker-channel.js';
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
    try {
      const workerInputs: WorkerInput[] = inputs.map((input) => ('path' in input ? { name: input.name, path: input.path } : { name: input.name, bytes: input.bytes }));
      const reply = await channel.request({ type: 'open', inputs: workerInputs }, inputs[0]?.name ?? '');
      if (reply.type === 'failed') throw new ArrowBalanceError(`${reply.file}: ${reply.message}`);
      if (reply.type !== 'opened') throw new Error(`unexpected reply ${reply.type}`);
      const schemas = reply.files.map((file) => tableFromIPC(file.schemaIpc).schema);
      const schema = checkSchemas(inputs, schemas, options.columns);
      const plan: RowGroupRef[] = [];
      reply.files.forEach((file, fileIndex) =>
        file.rowGroupRows.forEach((rows, rowGroup) => {
          if (rows > 0) plan.push({ file: fileIndex, rowGroup, rows });
        }),
      );
      return new WasmBatchReader(channel, inputs, plan, schema, options, readAhead);
    } catch (error) {
      channel.terminate();
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
    this.channel.terminate();
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
    const request: ReadRequest = { type: 'read', file: ref.file, rowGroup: ref.rowGroup, columns: this.options.columns, batchSize };
    const pending = this.channel.request(request, name).then((reply) => {
      if (reply.type === 'failed') throw new ArrowBalanceError(`${reply.file}: ${reply.message}`);
      if (reply.type !== 'rows') throw new Error(`unexpected reply ${reply.type}`);
      return tableFromIPC(reply.ipc).batches.map((batch) => this.withFileSchema(batch));
    });
    // Avoid an unhandled rejection while the promise waits in the read-ahead queue.
    pending.catch(() => undefined);
    this.ahead.push(pending);
  }
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
