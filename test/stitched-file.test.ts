import { existsSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC, Table, type RecordBatch } from 'apache-arrow';
import { EnabledStatistics, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet } from '../operators/from-parquet.js';
import { concatBatches } from '../src/arrow/concat.js';
import { StitchedFile } from '../src/parquet/stitch/stitched-file.js';
import { openDuckDb, parquetMetadata, sameRows } from './support/duckdb.js';
import { writeAllTypesParquet } from './support/fixtures.js';

let dir: string;
let input: string;
let batches: RecordBatch[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-stitch-'));
  input = join(dir, 'all-types.parquet');
  await writeAllTypesParquet(input, { rows: 10_000, rowGroupSize: 2_048 });
  batches = await lastValueFrom(fromParquet(input, { batchSize: 1_500 }).pipe(toArray()));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A complete Parquet file of the given batches, as a worker encodes a unit's output. */
function encodePart(part: readonly RecordBatch[], statistics = EnabledStatistics.Chunk): Uint8Array {
  const properties = new WriterPropertiesBuilder().setMaxRowGroupSize(1_000).setStatisticsEnabled(statistics).build();
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table(part as RecordBatch[]), 'stream')), properties);
}

describe('StitchedFile', () => {
  it('joins parts encoded apart into one file DuckDB reads row for row, with every row group and its statistics', async () => {
    const output = join(dir, 'stitched.parquet');
    const stitched = StitchedFile.create(output, false);
    // Parts of 1, 3 and the remaining batches, cut into row groups of at most 1,000 rows each.
    for (const part of [batches.slice(0, 1), batches.slice(1, 4), batches.slice(4)]) stitched.append(encodePart(part));
    const summary = stitched.finish({ 'arrow-balance': '{"note":"stitched"}' });
    expect(summary.rows).toBe(10_000);
    expect((await sameRows(output, input, { ordered: true })).summary).toMatch(/^same rows in the same order: both have 10000 rows/);
    const metadata = await parquetMetadata(output);
    const groupRows = metadata.rowGroups.map((group) => group.rows);
    expect(groupRows.length).toBe(summary.rowGroups);
    expect(groupRows.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(groupRows.every((rows) => rows <= 1000)).toBe(true);
    expect(metadata.keyValue['arrow-balance']).toBe('{"note":"stitched"}');
    expect(metadata.keyValue['ARROW:schema']).toBeDefined();
    // Row-group statistics are exact: DuckDB's min and max of the id in each row group match its rows.
    const db = await openDuckDb();
    try {
      const stats = await db.rows(`SELECT row_group_id AS g, stats_min AS lo, stats_max AS hi FROM parquet_metadata('${output}') WHERE path_in_schema = 'id' ORDER BY row_group_id`);
      expect(stats).toHaveLength(summary.rowGroups);
      let first = 0;
      for (const [g, rows] of groupRows.entries()) {
        const actual = await db.rows(`SELECT min(id)::VARCHAR AS lo, max(id)::VARCHAR AS hi FROM read_parquet('${output}', file_row_number = true) WHERE file_row_number >= ${first} AND file_row_number < ${first + rows}`);
        expect({ lo: String(stats[g]?.['lo']), hi: String(stats[g]?.['hi']) }).toEqual(actual[0]);
        first += rows;
      }
      // DuckDB plans an empty result from the statistics alone for a range no row group holds.
      const top = Math.max(...stats.map((row) => Number(row['hi'])));
      const plan = await db.rows(`EXPLAIN ANALYZE SELECT count(*) FROM read_parquet('${output}') WHERE id > ${top}`);
      expect(JSON.stringify(plan)).toContain('EMPTY_RESULT');
    } finally {
      db.close();
    }
  });

  it('makes the same bytes however the rows are cut into parts of whole row groups', async () => {
    const digests = new Set<string>();
    const all = concatBatches(batches);
    const rows = (from: number, to: number): RecordBatch[] => [all.slice(from, to)];
    // Parts of whole row groups of 1,000 rows, in three ways.
    for (const cut of [[rows(0, 10_000)], [rows(0, 3_000), rows(3_000, 6_000), rows(6_000, 10_000)], [rows(0, 1_000), rows(1_000, 10_000)]]) {
      const output = join(dir, 'cut.parquet');
      const stitched = StitchedFile.create(output, true);
      for (const part of cut) stitched.append(encodePart(part));
      stitched.finish({});
      digests.add(createHash('sha256').update(await readFile(output)).digest('hex'));
    }
    expect(digests.size).toBe(1);
  });

  it('keeps page indexes, their page locations moved with the data', async () => {
    const output = join(dir, 'indexed.parquet');
    const stitched = StitchedFile.create(output, false);
    for (const part of [batches.slice(0, 2), batches.slice(2)]) stitched.append(encodePart(part, EnabledStatistics.Page));
    stitched.finish({});
    expect((await sameRows(output, input, { ordered: true })).summary).toMatch(/^same rows in the same order/);
    // parquet-wasm (arrow-rs) reads through the offset index; its page locations must point at real pages.
    const back = await lastValueFrom(fromParquet(output).pipe(toArray()));
    expect(back.reduce((rows, batch) => rows + batch.numRows, 0)).toBe(10_000);
  });

  it('refuses parts with another schema, and leaves nothing behind', () => {
    const output = join(dir, 'refused.parquet');
    const stitched = StitchedFile.create(output, false);
    stitched.append(encodePart(batches.slice(0, 1)));
    const narrower = batches[1]?.select(['id']) as RecordBatch;
    expect(() => stitched.append(encodePart([narrower]))).toThrow(/an encoded part has another schema than the first/);
    stitched.abort();
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('refused'))).toEqual([]);
  });
});
