/**
 * The task half of the parquet-wasm worker: samples a run of a plan's units and encodes their output as one
 * Parquet part, all inside the worker, so that only the encoded bytes cross to the main thread.
 */
import { Table, tableFromIPC, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { appendFloatColumn } from '../arrow/append-column.js';
import { UnitSampler } from '../plan/unit-sampler.js';
import { withDeclaredSchema } from './declared-schema.js';
import { floatLeafPaths } from './plain-columns.js';
import { decodeRowGroupInPlace, fileSchemaIpc, withLargeRowGroup } from './wasm-decoder.js';
import { sampleByColumns } from './pages/sample-by-columns.js';
import { emptyBatch } from '../arrow/empty-batch.js';
import { ownedBatch } from '../arrow/owned-batch.js';
import { messageOf } from '../text/escape-text.js';
import { buildWriterProperties } from './writer-properties.js';
import { collectAfter } from './worker-gc.js';
import type { TaskReply, TaskRequest } from './worker-protocol.js';

/**
 * Runs one task: decodes each unit's row group, samples it with the unit's own generator, and encodes every
 * output row of the task into one Parquet file in memory (row groups of at most `rowGroupSize` rows).
 * @param request the task
 * @param reply sends the answer (the part's buffer is transferred)
 */
export async function handleTask(request: TaskRequest & { readonly id: number }, reply: (message: TaskReply, transfer?: ArrayBuffer[]) => void): Promise<void> {
  const { id, options } = request;
  try {
    const outputs: RecordBatch[] = [];
    let empty: RecordBatch | undefined;
    let declared: Schema | undefined;
    for (const work of request.units) {
      const sampler = new UnitSampler(work, options);
      declared ??= tableFromIPC(await fileSchemaIpc(request.reader, request.file, request.input)).schema;
      const schema = declared;
      // A row group too large to decode whole is sampled column by column, a few pages at a time.
      const large = await withLargeRowGroup(request.reader, request.file, request.input, work.rowGroup, request.batchSize, (windows) =>
        sampleByColumns(windows, sampler, schema, options.label, request.batchSize),
      );
      if (large !== undefined) {
        empty ??= emptyBatch(schema);
        outputs.push(...large);
        sampler.finish();
        continue;
      }
      // Rows are sampled and gathered while the batch is still in the wasm heap; what is kept is detached.
      await decodeRowGroupInPlace(request.reader, request.file, request.input, work.rowGroup, request.batchSize, (ipc) => {
        for (const decoded of tableFromIPC(ipc).batches) {
          const batch = withDeclaredSchema(decoded, schema);
          empty ??= ownedBatch(batch.slice(0, 0), ipc.buffer);
          for (const sampled of sampler.push(batch)) outputs.push(ownedBatch(sampled, ipc.buffer));
        }
      });
      sampler.finish();
    }
    if (outputs.length === 0 && empty !== undefined) {
      // No rows, but a part still carries the output's schema.
      outputs.push(options.importanceWeight === undefined ? empty : appendFloatColumn(empty, options.importanceWeight, new Float64Array(0)));
    }
    const rows = outputs.reduce((sum, batch) => sum + batch.numRows, 0);
    const schema = outputs[0]?.schema;
    if (schema === undefined) throw new Error('a task without rows to read');
    const table = WasmTable.fromIPCStream(tableToIPC(new Table(schema, outputs), 'stream'));
    const bytes = writeParquet(table, buildWriterProperties({ ...request.encode, plainColumns: floatLeafPaths(schema) }));
    const size = bytes.byteLength;
    reply({ id, type: 'part', bytes, rows }, [bytes.buffer as ArrayBuffer]);
    // The task's batches and IPC copy are external memory, which V8 does not count towards its next
    // collection: collect after every 16 MB of parts, as the encoder does (unchecked, RSS grew by the
    // task's output every task: 330 MB to 930 MB over seven oversampling tasks).
    collectAfter(size);
  } catch (error) {
    reply({ id, type: 'failed', file: request.input.name, message: messageOf(error) });
    // After a trap the wasm instance may be left inconsistent: let the worker stop (see wasm-worker.ts).
    if (error instanceof Error && error.name === 'RuntimeError') queueMicrotask(() => {
      throw error;
    });
  }
}

