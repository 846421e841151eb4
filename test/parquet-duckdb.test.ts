import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet, toParquet } from '../operators/index.js';
import { describeParquet, parquetMetadata, sameRows } from './support/duckdb.js';
import { writeAllTypesParquet } from './support/fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-duck-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ROWS = 5000;
const ROW_GROUP = 2048;

describe.each(['snappy', 'zstd', 'gzip', 'uncompressed'] as const)('a DuckDB file with every common type, %s', (compression) => {
  let original: string;
  beforeAll(async () => {
    original = join(dir, `all-${compression}.parquet`);
    await writeAllTypesParquet(original, { compression, rows: ROWS, rowGroupSize: ROW_GROUP, seed: 7 });
  });

  it('is read row group by row group, with every row and a null in every column', async () => {
    const batches = await lastValueFrom(fromParquet(original).pipe(toArray()));
    const metadata = await parquetMetadata(original);
    expect(metadata.rowGroups.length).toBeGreaterThan(1);
    expect(batches.map((batch) => batch.numRows)).toEqual(metadata.rowGroups.map((group) => group.rows));
    const first = batches[0];
    expect(first?.schema.fields.length).toBeGreaterThanOrEqual(23);
    // Every column but the row number `id` holds nulls.
    for (const field of (first?.schema.fields ?? []).filter((f) => f.name !== 'id')) {
      const nulls = batches.reduce((sum, batch) => sum + (batch.getChild(field.name)?.nullCount ?? 0), 0);
      expect(nulls, `nulls in ${field.name}`).toBeGreaterThan(0);
    }
  });

  it('round-trips through toParquet: DuckDB reads our file back with the same types and identical rows, both ways', async () => {
    const copy = join(dir, `copy-${compression === 'uncompressed' ? 'none' : compression}.parquet`);
    await lastValueFrom(fromParquet(original).pipe(toParquet(copy, { compression: compression === 'uncompressed' ? 'none' : compression, rowGroupSize: 1500 })));
    expect(await describeParquet(copy)).toEqual(await describeParquet(original));
    const result = await sameRows(original, copy, { ordered: true });
    expect(result.same, result.summary).toBe(true);
    expect(result.rowsB).toBe(ROWS);
    const metadata = await parquetMetadata(copy);
    expect(metadata.rowGroups.map((group) => group.rows)).toEqual([1500, 1500, 1500, 500]);
    const expectedCodec = compression === 'uncompressed' ? 'UNCOMPRESSED' : compression.toUpperCase();
    expect(metadata.compressions).toEqual([expectedCodec]);
  });

  it('projects columns without decoding the others', async () => {
    const batches = await lastValueFrom(fromParquet(original, { columns: ['str', 'i32'] }).pipe(toArray()));
    expect(batches[0]?.schema.fields.map((field) => field.name).sort()).toEqual(['str', 'i32'].sort());
    expect(batches.reduce((sum, batch) => sum + batch.numRows, 0)).toBe(ROWS);
  });
});
