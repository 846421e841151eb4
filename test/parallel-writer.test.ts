import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, type RecordBatch } from 'apache-arrow';
import { EMPTY, concat, from, lastValueFrom, map, mergeMap, throwError, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet, toParquet } from '../operators/index.js';
import { createParquetWriter } from '../src/parquet/file-writer.js';
import { leaseWorkers, liveWorkerCount, type ParquetWorker } from '../src/parquet/wasm/worker-pool.js';
import { resolveWriteOptions } from '../src/parquet/write-options.js';
import { openDuckDb, sameRows, sqlString, type DuckDbSession } from './support/duckdb.js';
import { writeAllTypesParquet } from './support/fixtures.js';

let dir: string;
let input: string;
let db: DuckDbSession;
const ROWS = 9000;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-parallel-writer-'));
  input = join(dir, 'all-types.parquet');
  // Every common type, nulls in every column but id, DuckDB's row groups of 2,048 rows.
  await writeAllTypesParquet(input, { rows: ROWS, rowGroupSize: 2048, seed: 11 });
  db = await openDuckDb({ threads: 1 });
});
afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

async function digest(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** The input's rows, re-cut into batches of `size` rows. */
function rebatched(size: number) {
  return fromParquet(input).pipe(mergeMap((batch) => from(Array.from({ length: Math.ceil(batch.numRows / size) }, (_, i) => batch.slice(i * size, Math.min(batch.numRows, (i + 1) * size))))));
}

function batchOf(start: number, rows: number): RecordBatch {
  const ids = Float64Array.from({ length: rows }, (_, i) => start + i);
  return tableFromArrays({ id: ids, s: Array.from(ids, (i) => `v${i % 17}`) }).batches[0] as RecordBatch;
}

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('.'));
}

describe('toParquet with encoders: row groups encoded side by side, stitched in order', () => {
  it('writes the same bytes for 1, 2 and 3 encoders and any batch sizes', async () => {
    const digests = new Set<string>();
    for (const [encoders, size] of [[1, 2048], [2, 1000], [3, 333], [2, 4096]] as const) {
      const path = join(dir, `copy-${encoders}-${size}.parquet`);
      const summary = await lastValueFrom(rebatched(size).pipe(toParquet(path, { encoders, rowGroupSize: 1500 })));
      expect(summary).toMatchObject({ rows: ROWS, rowGroups: 6 });
      digests.add(await digest(path));
    }
    expect(digests.size).toBe(1);
  });

  it('is read by DuckDB row for row as the input, with row groups of rowGroupSize and statistics a range filter uses', async () => {
    const path = join(dir, 'copy-duckdb.parquet');
    await lastValueFrom(fromParquet(input).pipe(toParquet(path, { encoders: 2, rowGroupSize: 1500 })));
    const result = await sameRows(input, path, { ordered: true, db });
    expect(result.same, result.summary).toBe(true);
    const groups = await db.rows(`SELECT row_group_id AS g, row_group_num_rows AS n, stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata(${sqlString(path)}) WHERE path_in_schema = 'id' ORDER BY g`);
    expect(groups.map((group) => Number(group['n']))).toEqual([1500, 1500, 1500, 1500, 1500, 1500]);
    // Each row group's id statistics hold its own range: the stitched footer kept them, offsets and all.
    expect(groups.map((group) => [Number(group['lo']), Number(group['hi'])])).toEqual([0, 1, 2, 3, 4, 5].map((g) => [g * 1500, g * 1500 + 1499]));
    expect(await db.count(`SELECT count(*) FROM read_parquet(${sqlString(path)}) WHERE id BETWEEN 3000 AND 3100`)).toBe(101);
  });

  it('writes a file with the schema and no rows when every batch is empty', async () => {
    const path = join(dir, 'no-rows.parquet');
    const summary = await lastValueFrom(from([batchOf(0, 0)]).pipe(toParquet(path, { encoders: 2 })));
    expect(summary).toMatchObject({ rows: 0 });
    expect(await db.rows(`SELECT name FROM parquet_schema(${sqlString(path)}) WHERE name IN ('id', 's') ORDER BY name`)).toEqual([{ name: 'id' }, { name: 's' }]);
    expect(await db.count(`SELECT count(*) FROM read_parquet(${sqlString(path)})`)).toBe(0);
  });

  it('fails with one line and leaves nothing when the source has no batch, fails, or is unsubscribed', async () => {
    await expect(lastValueFrom(EMPTY.pipe(toParquet(join(dir, 'none.parquet'), { encoders: 2 })))).rejects.toThrow(/^arrow-balance: .*none\.parquet: the source ended without any record batch/);
    const failing = concat(from([batchOf(0, 50_000), batchOf(50_000, 50_000)]), throwError(() => new Error('source broke')));
    await expect(lastValueFrom(failing.pipe(toParquet(join(dir, 'broke.parquet'), { encoders: 2, rowGroupSize: 10_000 })))).rejects.toThrow('arrow-balance: source broke');
    const subscription = from([batchOf(0, 50_000)]).pipe(map((batch) => batch), toParquet(join(dir, 'left.parquet'), { encoders: 2, rowGroupSize: 10_000 })).subscribe();
    subscription.unsubscribe();
    expect(await leftovers()).toEqual([]);
    expect((await readdir(dir)).filter((name) => /^(none|broke|left)\.parquet$/.test(name))).toEqual([]);
  });

  it('fails cleanly when an encoder\'s worker dies while parts are in flight', async () => {
    const path = join(dir, 'encoder-died.parquet');
    const writer = createParquetWriter(path, resolveWriteOptions({ encoders: 2, rowGroupSize: 100_000 }));
    for (let i = 0; i < 3; i++) writer.write(batchOf(i * 100_000, 100_000));
    // Every worker in the pool, so the encoders too.
    const workers: ParquetWorker[] = leaseWorkers(liveWorkerCount());
    await Promise.all(workers.map((worker) => worker.terminate()));
    for (const worker of workers) worker.release();
    await expect(writer.finish()).rejects.toThrow(/^arrow-balance: .*encoder-died\.parquet: writing Parquet failed: the encoder stopped/);
    expect(await leftovers()).toEqual([]);
    expect((await readdir(dir)).includes('encoder-died.parquet')).toBe(false);
  });

  it('refuses bad encoders in one line', () => {
    for (const encoders of [0, 65, 1.5]) {
      expect(() => toParquet(join(dir, 'x.parquet'), { encoders })).toThrow(/^arrow-balance: encoders must be an integer from 1 to 64, got /);
    }
    expect(() => toParquet(join(dir, 'x.parquet'), { encoders: 2, engine: 'parquetjs-lite' })).toThrow(/^arrow-balance: encoders applies to the parquet-wasm engine/);
  });

  it('reads back what it wrote, batch for batch of the input rows', async () => {
    const path = join(dir, 'roundtrip.parquet');
    await lastValueFrom(rebatched(777).pipe(toParquet(path, { encoders: 3 })));
    const [a, b] = await Promise.all([fromParquet(input), fromParquet(path)].map((source) => lastValueFrom(source.pipe(toArray()))));
    const rows = (batches: RecordBatch[] | undefined) => (batches ?? []).flatMap((batch) => batch.toArray().map((row) => JSON.stringify(row.toJSON(), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))));
    expect(rows(b)).toEqual(rows(a));
  });
});
