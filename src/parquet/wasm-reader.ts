import { Field, makeData, RecordBatch, Schema, Struct, tableFromIPC, vectorFromArray } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import { DEFAULT_WASM_BATCH_ROWS, type BatchReader, type ReadOptions } from './batch-reader.js';
import { markInputs } from './open-inputs.js';
import { firstSchemaDifference } from './schema-diff.js';
import type { ParquetInput } from './sources.js';
import { planReads, type ReadRef } from './read-plan.js';
import { WasmReadSession } from './wasm-read-session.js';
import type { OpenedFile } from './worker-protocol.js';

/**
 * Reads Parquet inputs with parquet-wasm in worker threads, one row group per `next()` (or several small
 * ones: see {@link planReads}).
 *
 * Memory: the row group handed out, plus the row groups decoded ahead: `readAhead` (default 1) plus one per
 * extra decoder, so the workers decode on the other core while the caller works on the current one.
 */
export class WasmBatchReader implements BatchReader {
  private readonly ahead: Array<Promise<RecordBatch[]>> = [];
  private cursor = 0;
  private handedOutRows = false;
  private readonly releaseInputs: () => void;

  private constructor(
    private readonly session: WasmReadSession,
    private readonly plan: readonly ReadRef[],
    readonly schema: Schema,
    private readonly options: ReadOptions,
    private readonly inFlight: number,
    inputs: readonly ParquetInput[],
  ) {
    this.releaseInputs = markInputs(inputs.flatMap((input) => ('path' in input ? [input.path] : [])));
  }

  /**
   * Opens every input, checks that they share one schema and that projected columns exist.
   * @param readAhead row groups decoded ahead of the one handed out, besides one per extra decoder
   * @throws ArrowBalanceError naming the file (and, for mismatched schemas, both files and the field)
   */
  static async open(inputs: readonly ParquetInput[], options: ReadOptions, readAhead = 1): Promise<WasmBatchReader> {
    const decoders = options.decoders ?? 1;
    const session = new WasmReadSession(inputs, decoders);
    try {
      const described: OpenedFile[] = [];
      for (let file = 0; file < inputs.length; file += 1) described.push(await session.describe(file, options.columns));
      const schema = checkSchemas(inputs, described.map((file) => tableFromIPC(file.schemaIpc).schema), options.columns);
      return new WasmBatchReader(session, planReads(described), schema, options, decoders + readAhead, inputs);
    } catch (error) {
      session.close();
      throw error;
    }
  }

  async next(): Promise<RecordBatch[] | null> {
    if (this.cursor >= this.plan.length && this.ahead.length === 0) {
      if (this.handedOutRows) return null;
      this.handedOutRows = true;
      return [emptyBatch(this.schema)];
    }
    while (this.ahead.length < this.inFlight && this.cursor < this.plan.length) this.requestNext();
    const batches = await (this.ahead.shift() as Promise<RecordBatch[]>);
    this.handedOutRows = true;
    return batches;
  }

  close(): void {
    this.releaseInputs();
    this.session.close();
    // Pending read-ahead requests still complete; nobody waits for them any more.
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
    const sequence = this.cursor;
    const ref = this.plan[sequence] as ReadRef;
    this.cursor += 1;
    const batchSize = this.options.batchSize ?? DEFAULT_WASM_BATCH_ROWS;
    const pending = this.session
      .read(sequence, ref.file, ref.rowGroups, this.options.columns, batchSize)
      .then((ipcs) => ipcs.flatMap((ipc) => tableFromIPC(ipc).batches.map((batch) => this.withFileSchema(batch))));
    // Avoid an unhandled rejection while the promise waits in the read-ahead queue.
    pending.catch(() => undefined);
    this.ahead.push(pending);
  }
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
