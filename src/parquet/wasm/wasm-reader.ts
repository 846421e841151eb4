import { RecordBatch, Schema, tableFromIPC } from 'apache-arrow';
import { ArrowBalanceError } from '../../errors.js';
import { withDeclaredSchema } from '../declared-schema.js';
import { DEFAULT_WASM_BATCH_ROWS, type BatchReader, type ReadOptions } from '../batch-reader.js';
import { markInputs } from '../open-inputs.js';
import { firstSchemaDifference } from '../schema-diff.js';
import type { ParquetInput } from '../sources.js';
import { planReads, type ReadRef } from '../read-plan.js';
import { SlotPool, slotBytes } from '../read-slots.js';
import { WasmReadSession } from './wasm-read-session.js';
import type { OpenedFile } from './worker-protocol.js';
import { emptyBatch } from '../../arrow/empty-batch.js';

/**
 * Reads Parquet inputs with parquet-wasm in worker threads, one row group per `next()` (or several small
 * ones: see {@link planReads}).
 *
 * Memory: the row group handed out, plus the row groups decoded ahead: `readAhead` (default 1) plus one per
 * extra decoder, so the workers decode on the other core while the caller works on the current one. A
 * transient reader lends each request a slot of shared memory (see {@link SlotPool}) and takes it back
 * when the caller asks for the next row group.
 */
export class WasmBatchReader implements BatchReader {
  private readonly ahead: Array<Promise<DecodedUnit>> = [];
  private cursor = 0;
  private handedOutRows = false;
  private readonly releaseInputs: () => void;
  /** The slot of the batches handed out last (transient reads). */
  private lent: SharedArrayBuffer | undefined;
  readonly transient: boolean;
  /** Rows in each row group of each input (see {@link BatchReader.rowGroupRows}). */
  readonly rowGroupRows: ReadonlyArray<readonly number[]>;

  private constructor(
    private readonly session: WasmReadSession,
    private readonly plan: readonly ReadRef[],
    readonly schema: Schema,
    private readonly options: ReadOptions,
    private readonly inFlight: number,
    inputs: readonly ParquetInput[],
    private readonly slots: SlotPool | undefined,
    described: readonly OpenedFile[],
  ) {
    this.rowGroupRows = described.map((file) => file.rowGroupRows);
    this.releaseInputs = markInputs(inputs.flatMap((input) => ('path' in input ? [input.path] : [])));
    this.transient = slots !== undefined;
  }

  /**
   * Opens every input, checks that they share one schema and that projected columns exist.
   * @param readAhead row groups decoded ahead of the one handed out, besides one per extra decoder
   * @param only the row groups to read (by input and row group), when not all
   * @throws ArrowBalanceError naming the file (and, for mismatched schemas, both files and the field)
   */
  static async open(inputs: readonly ParquetInput[], options: ReadOptions, readAhead = 1, only?: (file: number, rowGroup: number) => boolean): Promise<WasmBatchReader> {
    const decoders = options.decoders ?? 1;
    const session = new WasmReadSession(inputs, decoders);
    try {
      const described: OpenedFile[] = [];
      for (let file = 0; file < inputs.length; file += 1) described.push(await session.describe(file, options.columns));
      const schema = checkSchemas(inputs, described.map((file) => tableFromIPC(file.schemaIpc).schema), options.columns);
      // Row groups left out read as empty ones: planReads skips them.
      const plan = planReads(only === undefined ? described : described.map((opened, file) => ({ ...opened, rowGroupRows: opened.rowGroupRows.map((rows, rowGroup) => (only(file, rowGroup) ? rows : 0)) })));
      const slots = options.transient === true ? new SlotPool(slotBytes(plan, described)) : undefined;
      return new WasmBatchReader(session, plan, schema, options, decoders + readAhead, inputs, slots, described);
    } catch (error) {
      session.close();
      throw error;
    }
  }

  async next(): Promise<RecordBatch[] | null> {
    this.takeBackLent();
    if (this.cursor >= this.plan.length && this.ahead.length === 0) {
      if (this.handedOutRows) return null;
      this.handedOutRows = true;
      return [emptyBatch(this.schema)];
    }
    while (this.ahead.length < this.inFlight && this.cursor < this.plan.length) this.requestNext();
    const { batches, slot } = await (this.ahead.shift() as Promise<DecodedUnit>);
    this.lent = slot;
    this.handedOutRows = true;
    return batches;
  }

  close(): void {
    this.takeBackLent();
    this.releaseInputs();
    this.session.close();
    // Pending read-ahead requests still complete; nobody waits for them any more.
    for (const pending of this.ahead.splice(0)) pending.catch(() => undefined);
  }

  /** Ends the life of the batches handed out last: their slot may be lent again. */
  private takeBackLent(): void {
    if (this.lent !== undefined) this.slots?.give(this.lent);
    this.lent = undefined;
  }

  private requestNext(): void {
    const sequence = this.cursor;
    const ref = this.plan[sequence] as ReadRef;
    this.cursor += 1;
    const batchSize = this.options.batchSize ?? DEFAULT_WASM_BATCH_ROWS;
    const slot = this.slots?.take();
    const pending = this.session
      .read(ref.affinity ?? sequence, ref.file, ref.rowGroups, this.options.columns, batchSize, slot, ref.rows)
      .then((ipcs): DecodedUnit => ({ batches: ipcs.flatMap((ipc) => tableFromIPC(ipc).batches.map((batch) => withDeclaredSchema(batch, this.schema))), slot }))
      .catch((error: unknown) => {
        // Nothing views the slot: the read failed, or its answer could not be parsed.
        if (slot !== undefined) this.slots?.give(slot);
        throw error;
      });
    // Avoid an unhandled rejection while the promise waits in the read-ahead queue.
    pending.catch(() => undefined);
    this.ahead.push(pending);
  }
}

/** A decoded read request: its batches, and the slot they view (transient reads). */
interface DecodedUnit {
  readonly batches: RecordBatch[];
  readonly slot: SharedArrayBuffer | undefined;
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
