/**
 * The task half of the parquet-wasm worker: samples a run of a plan's units and encodes their output as one
 * Parquet part, all inside the worker, so that only the encoded bytes cross to the main thread.
 */
import { Schema, Table, tableFromIPC, tableToIPC, type RecordBatch } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { appendFloatColumn } from '../../arrow/append-column.js';
import { UnitSampler } from '../../plan/unit-sampler.js';
import { withDeclaredSchema } from '../declared-schema.js';
import { floatLeafPaths } from '../plain-columns.js';
import { nearlyDistinctColumns } from '../distinct-columns.js';
import { decodeRowGroupInPlace, fileSchemaIpc, withLargeRowGroup, type ColumnSize } from './wasm-decoder.js';
import { sampleByColumns, type GatherSlice } from '../pages/sample-by-columns.js';
import { columnSlice } from '../../plan/column-slices.js';
import { emptyBatch } from '../../arrow/empty-batch.js';
import { ownedBatch } from '../../arrow/owned-batch.js';
import { messageOf } from '../../text/escape-text.js';
import { buildWriterProperties } from '../writer-properties.js';
import { collectAfter } from './worker-gc.js';
import { partSent, roomForPiece } from '../part-credits.js';
import type { EncodedRows, TaskReply, TaskRequest } from './worker-protocol.js';
import { ReportTaps } from '../../report/report-taps.js';

/** A task sends its output in pieces once this many output row groups are waiting. */
const PIECE_ROW_GROUPS = 4;
/**
 * A large row group is sampled and gathered by ranges of {@link RANGE_ROWS} input rows when its unit outputs
 * more than this many row groups; below, whole (one decoded column at a time, but the whole output held).
 */
const RANGED_OUTPUT_ROW_GROUPS = 8;
/** Input rows of a large row group sampled and gathered at a time when its unit's output is large. */
const RANGE_ROWS = 65_536;

/**
 * Runs one task: decodes each unit's row group, samples it with the unit's own generator, and encodes every
 * output row of the task into Parquet (row groups of at most `rowGroupSize` rows). The output goes as one part,
 * or, when it grows past {@link PIECE_ROW_GROUPS} row groups, as pieces of whole row groups first: the row
 * groups are cut at the same rows either way. A task of one column slice of a large row group samples all its
 * rows (the label) but gathers and encodes only the slice's columns; every slice cuts the same row groups.
 * @param request the task
 * @param reply sends the pieces and the answer (their buffers are transferred)
 */
export async function handleTask(request: TaskRequest & { readonly id: number }, reply: (message: TaskReply, transfer?: ArrayBuffer[]) => void): Promise<void> {
  const { id, options, slice } = request;
  const { rowGroupSize } = request.encode;
  try {
    const output = new TaskOutput(request.encode);
    let declared: Schema | undefined;
    // Slice 0 sends, with its first piece or part, the output's every column in a file of no rows.
    let template: Uint8Array | undefined;
    const send = (type: 'piece' | 'part', { bytes, rows, samples }: EncodedRows): void => {
      partSent();
      reply({ id, type, bytes, rows, template, samples }, [bytes.buffer as ArrayBuffer]);
      template = undefined;
      collectAfter(bytes.byteLength);
    };
    const taps = request.report === undefined ? undefined : new ReportTaps(request.report);
    for (const [u, work] of request.units.entries()) {
      taps?.startUnit(u);
      const sampler = new UnitSampler(work, options);
      declared ??= tableFromIPC(await fileSchemaIpc(request.reader, request.file, request.input)).schema;
      const schema = declared;
      output.empty ??= emptyBatch(schema);
      // A row group too large to decode whole is sampled column by column, a few pages at a time, and by
      // ranges of rows when the unit's output is large; its row groups then go as soon as each is full.
      const unitOutput = work.classes.reduce((sum, [, , quota]) => sum + quota, 0);
      const rangeRows = unitOutput > RANGED_OUTPUT_ROW_GROUPS * rowGroupSize ? RANGE_ROWS : undefined;
      const flush = async (): Promise<void> => {
        const rows = (rangeRows === undefined ? PIECE_ROW_GROUPS : 1) * rowGroupSize;
        if (!output.holds(rows)) return;
        // Waits before encoding: the batches are smaller than their Parquet and IPC copies together.
        if (request.paced) await roomForPiece();
        send('piece', output.wholeRowGroups());
      };
      let gather: GatherSlice | undefined;
      const sliceColumns =
        slice === undefined
          ? undefined
          : (sizes: readonly ColumnSize[]): readonly string[] => {
              const columns = columnSlice(sizes, slice.index, slice.count);
              gather = { columns, extras: slice.index === slice.count - 1 };
              output.empty = emptyBatch(new Schema(schema.fields.filter((f) => columns.includes(f.name)), schema.metadata));
              if (slice.index === 0) template = output.encoded([withWeightColumn(emptyBatch(schema), options.importanceWeight)]);
              return columns.includes(options.label) ? columns : [...columns, options.label];
            };
      const large = await withLargeRowGroup(
        request.reader,
        request.file,
        request.input,
        work.rowGroup,
        request.batchSize,
        async (windows) => {
          await sampleByColumns(windows, sampler, schema, options.label, request.batchSize, async (batches) => {
            output.push(batches);
            await flush();
          }, rangeRows, gather, taps);
          return true;
        },
        sliceColumns,
      );
      if (large === undefined && slice !== undefined) throw new Error(`row group ${work.rowGroup} is not large enough to be cut into column slices`);
      if (large === undefined) {
        // Rows are sampled and gathered while the batch is still in the wasm heap; what is kept is detached.
        await decodeRowGroupInPlace(request.reader, request.file, request.input, work.rowGroup, request.batchSize, (ipc) => {
          for (const decoded of tableFromIPC(ipc).batches) {
            const batch = withDeclaredSchema(decoded, schema);
            const codes = sampler.coder.encode(batch);
            taps?.input(batch, { codes, coder: sampler.coder });
            const sampled = sampler.push(batch, codes);
            for (const out of sampled) taps?.output(out);
            output.push(sampled.map((kept) => ownedBatch(kept, ipc.buffer)));
          }
        });
        await flush();
      }
      sampler.finish();
    }
    // The task's batches and IPC copy are external memory, which V8 does not count towards its next
    // collection: `send` collects after every 16 MB of parts, as the encoder does (unchecked, RSS grew by
    // the task's output every task: 330 MB to 930 MB over seven oversampling tasks).
    const rest = output.rest(slice === undefined || slice.index === slice.count - 1 ? options.importanceWeight : undefined);
    send('part', { ...rest, samples: taps?.samples() });
  } catch (error) {
    reply({ id, type: 'failed', file: request.input.name, message: messageOf(error) });
    // After a trap the wasm instance may be left inconsistent: let the worker stop (see wasm-worker.ts).
    if (error instanceof Error && error.name === 'RuntimeError') queueMicrotask(() => {
      throw error;
    });
  }
}

/** A task's sampled batches waiting to be encoded. */
class TaskOutput {
  private batches: RecordBatch[] = [];
  private rows = 0;
  /** A batch with no rows and the input's columns: a part without rows still carries the schema. */
  empty: RecordBatch | undefined;

  constructor(private readonly encode: TaskRequest['encode']) {}

  push(batches: readonly RecordBatch[]): void {
    for (const batch of batches) {
      if (batch.numRows === 0) continue;
      this.batches.push(batch);
      this.rows += batch.numRows;
    }
  }

  /** Whether at least `rows` rows are waiting. */
  holds(rows: number): boolean {
    return this.rows >= rows;
  }

  /** Encodes and takes out the whole row groups waiting. */
  wholeRowGroups(): { readonly bytes: Uint8Array; readonly rows: number } {
    const whole = this.rows - (this.rows % this.encode.rowGroupSize);
    const taken: RecordBatch[] = [];
    let left = whole;
    while (left > 0) {
      const batch = this.batches.shift() as RecordBatch;
      if (batch.numRows <= left) {
        taken.push(batch);
        left -= batch.numRows;
      } else {
        taken.push(batch.slice(0, left));
        this.batches.unshift(batch.slice(left));
        left = 0;
      }
    }
    this.rows -= whole;
    return { bytes: this.encoded(taken), rows: whole };
  }

  /**
   * Encodes every row still waiting (none: an empty part with the output's schema).
   * @param importanceWeight the weight column an empty part must have too, if the output has one
   */
  rest(importanceWeight: string | undefined): { readonly bytes: Uint8Array; readonly rows: number } {
    if (this.batches.length === 0) {
      const { empty } = this;
      if (empty === undefined) throw new Error('a task without rows to read');
      this.batches.push(withWeightColumn(empty, importanceWeight));
    }
    const { rows } = this;
    return { bytes: this.encoded(this.batches.splice(0)), rows };
  }

  /** Encodes batches of one schema as one Parquet file, with the task's settings. */
  encoded(batches: RecordBatch[]): Uint8Array {
    const schema = (batches[0] as RecordBatch).schema;
    const table = WasmTable.fromIPCStream(tableToIPC(new Table(schema, batches), 'stream'));
    return writeParquet(table, buildWriterProperties({ ...this.encode, plainColumns: [...floatLeafPaths(schema), ...nearlyDistinctColumns(batches)] }));
  }
}

/** An empty batch with the importance weight column appended, when the output has one. */
function withWeightColumn(empty: RecordBatch, importanceWeight: string | undefined): RecordBatch {
  return importanceWeight === undefined ? empty : appendFloatColumn(empty, importanceWeight, new Float64Array(0));
}
