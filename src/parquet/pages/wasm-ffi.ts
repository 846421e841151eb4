/**
 * Copies a parquet-wasm batch out of the wasm heap through the Arrow C data interface (arrow-js-ffi),
 * instead of through an IPC stream written inside the heap.
 *
 * Writing the IPC stream grows a buffer in the wasm heap to the batch's size and more, and a wasm heap never
 * shrinks: decoding a 40 MB column that way left the heap about 77 MB larger than reading its arrays in
 * place (RSS 361 MB against 284 MB after one column of a one-page, 5M-row file). Only types whose C-interface
 * reading arrow-js-ffi 0.4 implements as apache-arrow types are read so; others go through IPC.
 */
import { DataType, tableFromIPC, type Data, type RecordBatch } from 'apache-arrow';
import { parseRecordBatch } from 'arrow-js-ffi';
import type { RecordBatch as WasmBatch } from 'parquet-wasm';
import { wasmHeap, withBatchIpc } from '../wasm/wasm-heap-ipc.js';

/**
 * Whether columns of this type are read through the C data interface: fixed-width numbers, booleans,
 * decimals, dates, times, timestamps, strings and binaries, and dictionaries of them.
 */
export function readsThroughFfi(type: DataType): boolean {
  if (DataType.isDictionary(type)) return readsThroughFfi(type.dictionary) && DataType.isInt(type.indices);
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isBool(type) || DataType.isDecimal(type) || DataType.isDate(type) ||
    DataType.isTime(type) || DataType.isTimestamp(type) || DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isBinary(type) ||
    DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type);
}

/**
 * The only column of a decoded one-column batch, copied out of the wasm heap; the batch is consumed.
 * @param batch a batch parquet-wasm decoded
 * @param ffi whether to read it through the C data interface (see {@link readsThroughFfi}); IPC otherwise
 * @returns the column's data, one piece per batch
 */
export function columnOutOfWasm(batch: WasmBatch, ffi: boolean): Data[] {
  // Without the captured instance (see wasm-heap-ipc.ts) the heap is out of reach: IPC then.
  if (!ffi || wasmHeap() === undefined) return withBatchIpc(batch, (ipc) => tableFromIPC(ipc.slice())).batches.map((b) => b.data.children[0] as Data);
  const exported = batch.intoFFI();
  try {
    // The heap's buffer is taken after the export, which may have grown it.
    const copied: RecordBatch = parseRecordBatch(wasmHeap() as ArrayBuffer, exported.arrayAddr(), exported.schemaAddr(), true);
    return [copied.data.children[0] as Data];
  } finally {
    exported.free();
  }
}
