import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeData, RecordBatch, Schema, Struct, Table, tableToIPC, type Data } from 'apache-arrow';
import { EnabledStatistics, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet } from '../operators/from-parquet.js';
import { emptyBatch } from '../src/arrow/empty-batch.js';
import { columnSlice, columnSliceCount, SLICE_BYTES } from '../src/plan/column-slices.js';
import { LARGE_ROW_GROUP_BYTES } from '../src/parquet/read-plan.js';
import { joinColumnSlices } from '../src/parquet/stitch/column-slices-join.js';
import { splitParquet } from '../src/parquet/stitch/parquet-footer.js';
import { field, writeStruct, type ThriftList, type ThriftStruct } from '../src/parquet/thrift-compact.js';
import { openDuckDb, parquetMetadata, sameRows, type DuckDbSession } from './support/duckdb.js';
import { writeAllTypesParquet } from './support/fixtures.js';

/** A batch of some of a batch's columns, with their fields as they are (`RecordBatch.select` lost data here). */
function project(batch: RecordBatch, names: readonly string[]): RecordBatch {
  const fields = batch.schema.fields.filter((f) => names.includes(f.name));
  const children = fields.map((f) => batch.data.children[batch.schema.fields.indexOf(f)] as Data);
  return new RecordBatch(new Schema(fields, batch.schema.metadata), makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children }));
}

describe('columnSliceCount', () => {
  it('cuts only large row groups of several columns, in at least two slices and at most one per column', () => {
    expect(columnSliceCount(LARGE_ROW_GROUP_BYTES, 10)).toBe(1);
    expect(columnSliceCount(LARGE_ROW_GROUP_BYTES + 1, 1)).toBe(1);
    expect(columnSliceCount(LARGE_ROW_GROUP_BYTES + 1, 10)).toBe(2);
    expect(columnSliceCount(2 * SLICE_BYTES, 10)).toBe(2);
    expect(columnSliceCount(2 * SLICE_BYTES + 1, 10)).toBe(3);
    expect(columnSliceCount(40 * SLICE_BYTES, 5)).toBe(5);
  });
});

describe('columnSlice', () => {
  const columns = (sizes: number[]): Array<{ name: string; bytes: number }> => sizes.map((bytes, i) => ({ name: `c${i}`, bytes }));
  const slices = (sizes: number[], count: number): string[][] => Array.from({ length: count }, (_, i) => columnSlice(columns(sizes), i, count));

  it('cuts contiguous runs of about equal size, every column once, none empty', () => {
    expect(slices([10, 10, 10, 10], 2)).toEqual([['c0', 'c1'], ['c2', 'c3']]);
    expect(slices([100, 1, 1, 1], 2)).toEqual([['c0'], ['c1', 'c2', 'c3']]);
    expect(slices([1, 1, 1, 100], 2)).toEqual([['c0', 'c1', 'c2'], ['c3']]);
    expect(slices([1, 1, 1, 100], 4)).toEqual([['c0'], ['c1'], ['c2'], ['c3']]);
    expect(slices([0, 0, 0], 3)).toEqual([['c0'], ['c1'], ['c2']]);
    for (const count of [2, 3, 5, 7]) {
      const sizes = Array.from({ length: 13 }, (_, i) => ((i * 7919) % 13) + 1);
      const cut = slices(sizes, count);
      expect(cut.flat()).toEqual(columns(sizes).map((c) => c.name));
      expect(cut.every((slice) => slice.length > 0)).toBe(true);
    }
  });

  it('refuses a slice that does not exist', () => {
    expect(() => columnSlice(columns([1, 1]), 0, 3)).toThrow(/no slice 0 of 3 in 2 columns/);
    expect(() => columnSlice(columns([1, 1]), 2, 2)).toThrow(/no slice 2 of 2/);
  });
});

describe('joinColumnSlices', () => {
  let dir: string;
  let input: string;
  let batches: RecordBatch[];
  let db: DuckDbSession;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ab-slices-'));
    input = join(dir, 'all-types.parquet');
    await writeAllTypesParquet(input, { rows: 6_000, rowGroupSize: 6_000 });
    batches = await lastValueFrom(fromParquet(input, { batchSize: 1_500 }).pipe(toArray()));
    db = await openDuckDb();
  }, 60_000);
  afterAll(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Batches encoded as a worker encodes a part: row groups of 1,000 rows, with page statistics (so page indexes). */
  const encode = (part: readonly RecordBatch[]): Uint8Array => {
    const properties = new WriterPropertiesBuilder().setMaxRowGroupSize(1_000).setStatisticsEnabled(EnabledStatistics.Page).build();
    return writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table(part as RecordBatch[]), 'stream')), properties);
  };

  /** Column chunk bytes of a Parquet file, by row group and then column path. */
  const chunkBytes = async (path: string, bytes: Uint8Array): Promise<string[]> => {
    const rows = await db.rows(
      `SELECT row_group_id AS g, path_in_schema AS p, coalesce(dictionary_page_offset, data_page_offset) AS at, total_compressed_size AS n
       FROM parquet_metadata('${path}') ORDER BY row_group_id, column_id`,
    );
    return rows.map((row) => `${String(row.g)} ${String(row.p)} ${Buffer.from(bytes.subarray(Number(row.at), Number(row.at) + Number(row.n))).toString('base64')}`);
  };

  it.each([2, 3, 5])('joins %i slices into a file with the rows, row groups and column chunks of the whole encoded at once', async (count) => {
    const schema = (batches[0] as RecordBatch).schema;
    const sizes = schema.fields.map((f) => ({ name: f.name, bytes: 1 }));
    const slices = Array.from({ length: count }, (_, i) => encode(batches.map((batch) => project(batch, columnSlice(sizes, i, count)))));
    const joined = joinColumnSlices(encode([emptyBatch(schema)]), slices);
    const whole = encode(batches);
    const joinedPath = join(dir, `joined-${count}.parquet`);
    const wholePath = join(dir, `whole-${count}.parquet`);
    await writeFile(joinedPath, joined);
    await writeFile(wholePath, whole);

    expect((await sameRows(joinedPath, input, { ordered: true })).summary).toMatch(/^same rows in the same order: both have 6000 rows/);
    // Each column chunk is the bytes the whole file has for it: only where it lies differs.
    expect(await chunkBytes(joinedPath, joined)).toEqual(await chunkBytes(wholePath, whole));
    // Every page index was moved with its chunk: an offset index's first page is its chunk's first data page.
    const { footer, indexes } = splitParquet(joined);
    expect(indexes.length).toBe(splitParquet(whole).indexes.length);
    for (const { chunk, offsetIndex } of indexes) {
      const firstPage = ((field(offsetIndex as ThriftStruct, 1) as ThriftList).items[0] as ThriftStruct);
      expect(field(firstPage, 1)).toBe(field(field(chunk, 3) as ThriftStruct, 9));
    }
    // The footer is the template's: the whole schema, ARROW:schema included.
    const names = (footer: ThriftStruct): string[] => ((field(footer, 2) as ThriftList).items as ThriftStruct[]).map((e) => `${new TextDecoder().decode(field(e, 4) as Uint8Array)}:${String(field(e, 1))}:${String(field(e, 3))}:${String(field(e, 6))}`);
    expect(names(footer)).toEqual(names(splitParquet(whole).footer));
    const schemaBytes = (footer: ThriftStruct): string => Buffer.from(writeStruct({ kind: 'struct', fields: footer.fields.filter((f) => f.id === 2) })).toString('hex');
    expect(schemaBytes(footer)).toBe(schemaBytes(splitParquet(whole).footer));
    expect((await parquetMetadata(joinedPath)).keyValue['ARROW:schema']).toBe((await parquetMetadata(wholePath)).keyValue['ARROW:schema']);
  });

  it('refuses slices that are not the template\'s columns in order', () => {
    const schema = (batches[0] as RecordBatch).schema;
    const names = schema.fields.map((f) => f.name);
    const first = encode(batches.map((batch) => project(batch, names.slice(0, 2))));
    const rest = encode(batches.map((batch) => project(batch, names.slice(2))));
    const template = encode([emptyBatch(schema)]);
    expect(() => joinColumnSlices(template, [rest, first])).toThrow(/^arrow-balance: column slices of one output do not hold the output's columns in order$/);
    expect(() => joinColumnSlices(template, [first])).toThrow(/do not hold the output's columns/);
    const fewerRows = encode([project(batches[0] as RecordBatch, names.slice(2))]);
    expect(() => joinColumnSlices(template, [first, fewerRows])).toThrow(/column slices of one output (hold different numbers of row groups|cut their rows into different row groups)/);
  });
});
