/** Arrow IPC written by another implementation: arrow-rs, through parquet-wasm's IPC output. */
import { Dictionary, Float64, Int32, RecordBatch, Table, Utf8, tableToIPC, vectorFromArray, makeData, Struct, Field, Schema, type Data } from 'apache-arrow';
import { readParquet, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';

/** What {@link arrowRsStream} wrote. */
export interface ArrowRsFixture {
  /** The IPC stream, as arrow-rs wrote it. */
  readonly stream: Uint8Array;
  /** The same rows as Parquet (written by arrow-rs too, with the row groups the stream's batches follow). */
  readonly parquet: Uint8Array;
  /** Rows per class of `label` (0, 1, 2). */
  readonly counts: Readonly<Record<string, number>>;
  readonly rows: number;
}

/**
 * `rows` rows in batches of `batchRows`: an Int32 `label` (classes 0, 1, 2 at about 85 / 12 / 3 %), a
 * dictionary-encoded `color` with nulls, a Float64 `x` with nulls and an Int32 `id` (the row number). The
 * rows go to Parquet and back through arrow-rs (parquet-wasm), whose IPC stream keeps the dictionary type
 * (from the schema stored in the Parquet file) and one record batch per row group.
 */
export function arrowRsStream(rows = 5000, batchRows = 700): ArrowRsFixture {
  const colors = ['red', 'green', 'blue', 'violet'];
  const label = Int32Array.from({ length: rows }, (_, i) => ((i * 37) % 100 < 85 ? 0 : (i * 37) % 100 < 97 ? 1 : 2));
  const color = Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? null : (colors[i % colors.length] as string)));
  const x = Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? null : i / 7));
  const dictionary = new Dictionary(new Utf8(), new Int32());
  const fields = [new Field('id', new Int32(), false), new Field('label', new Int32(), false), new Field('color', dictionary, true), new Field('x', new Float64(), true)];
  const schema = new Schema(fields);
  const columns = [
    vectorFromArray(Int32Array.from({ length: rows }, (_, i) => i)),
    vectorFromArray(label),
    vectorFromArray(color, dictionary),
    vectorFromArray(x, new Float64()),
  ];
  const table = new Table(schema, new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: columns.map((column) => column.data[0] as Data) })));
  const properties = new WriterPropertiesBuilder().setMaxRowGroupSize(batchRows).build();
  const parquet = writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), properties);
  const stream = readParquet(parquet).intoIPCStream();
  const counts: Record<string, number> = {};
  for (const value of label) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return { stream, parquet, counts, rows };
}
