import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet, toParquet } from '../operators/index.js';
import { balanceParquet } from '../src/jobs/balance-parquet.js';
import type { BalanceReport } from '../src/jobs/balance-report.js';
import { weightParquet } from '../src/jobs/weight-parquet.js';
import { MemoryRanges } from '../src/parquet/file-ranges.js';
import { readFooter } from '../src/parquet/pages/file-footer.js';
import { columnSliceCount } from '../src/plan/column-slices.js';
import { windowRowsOf } from '../src/parquet/read-plan.js';
import { field, type ThriftList, type ThriftStruct } from '../src/parquet/thrift-compact.js';
import { WasmReadSession } from '../src/parquet/wasm/wasm-read-session.js';
import { openDuckDb, type DuckDbSession } from './support/duckdb.js';
import { rewriteWithArrowRs, writeMixedParquet } from './support/mixed-fixture.js';

/**
 * Files of one row group too large to decode whole (about 80 MB decoded): they are read in windows of rows,
 * a few pages at a time. DuckDB writes one page per column chunk; arrow-rs writes pages of about 1 MB.
 */
const ROWS = 600_000;
let dir: string;
let db: DuckDbSession;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrow-balance-large-group-'));
  files.duckdb = join(dir, 'duckdb.parquet');
  await writeMixedParquet(files.duckdb, { rows: ROWS, rowGroupSize: ROWS });
  files['arrow-rs'] = join(dir, 'arrow-rs.parquet');
  await rewriteWithArrowRs(files.duckdb, files['arrow-rs'], ROWS);
  db = await openDuckDb();
}, 120_000);

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

/** Rows of `a` missing from `b`, and of `b` missing from `a` (as multisets), as DuckDB sees them. */
async function difference(a: string, b: string): Promise<[number, number]> {
  const count = async (x: string, y: string): Promise<number> =>
    Number((await db.rows(`SELECT count(*) AS n FROM (SELECT * FROM read_parquet('${x}') EXCEPT ALL SELECT * FROM read_parquet('${y}'))`))[0]?.n);
  return [await count(a, b), await count(b, a)];
}

async function digest(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/**
 * Runs a balancing job on 1 and 2 workers: each time every class gets `target(input counts)` rows, and both
 * runs write the same bytes.
 */
async function expectSameBytesOnOneAndTwoWorkers(output: string, run: (workers: number) => Promise<BalanceReport>, target: (counts: number[]) => number): Promise<void> {
  const digests: string[] = [];
  for (const workers of [1, 2]) {
    const report = await run(workers);
    const each = target(report.inputCounts.classes.map((c) => c.count));
    expect(report.outputCounts?.classes.map((c) => c.count)).toEqual(report.inputCounts.classes.map(() => each));
    digests.push(await digest(output));
  }
  expect(new Set(digests).size).toBe(1);
}

describe.each(['duckdb', 'arrow-rs'])('one row group too large to decode whole (%s)', (name) => {
  it('is one row group the reader reads in windows, and plans cut in two column slices', async () => {
    const session = new WasmReadSession([{ name, path: files[name] as string }], 1);
    try {
      const described = await session.describe(0, undefined);
      expect(described.rowGroupRows).toEqual([ROWS]);
      expect(windowRowsOf(ROWS, described.rowGroupBytes[0] ?? 0)).toBeLessThan(ROWS);
      // Plans run it as two column slices, so the jobs below join slices encoded apart.
      expect(columnSliceCount(described.rowGroupBytes[0] ?? 0, tableFromIPC(described.schemaIpc).schema.fields.length)).toBe(2);
    } finally {
      session.close();
    }
  });

  it('copies through fromParquet and toParquet row for row, in order', async () => {
    const input = files[name] as string;
    const output = join(dir, `${name}-copy.parquet`);
    const summary = await lastValueFrom(fromParquet(input).pipe(toParquet(output)));
    expect(summary.rows).toBe(ROWS);
    expect(await difference(input, output)).toEqual([0, 0]);
    const misplaced = await db.rows(`SELECT count(*) AS n FROM read_parquet('${output}', file_row_number = true) WHERE id <> file_row_number`);
    expect(Number(misplaced[0]?.n)).toBe(0);
  }, 60_000);

  it('balances exactly, the same bytes on 1 and 2 workers, every row one of the input\'s', async () => {
    const input = files[name] as string;
    const output = join(dir, `${name}-under.parquet`);
    const checks: string[] = [];
    await expectSameBytesOnOneAndTwoWorkers(
      output,
      async (workers) => {
        // Column slices sample the report's rows apart: the distances too are the same on 1 and 2 workers.
        const report = await balanceParquet(input, output, { label: 'label_s', strategy: 'under', seed: 4, workers, overwrite: true, report: { sampleSize: 500 } });
        checks.push(JSON.stringify(report.ks));
        expect(report.ks?.length).toBeGreaterThan(20);
        return report;
      },
      (counts) => Math.min(...counts),
    );
    expect(checks[1]).toBe(checks[0]);
    const counts = await db.rows(`SELECT label_s, count(*) AS n FROM read_parquet('${output}') GROUP BY ALL ORDER BY ALL`);
    expect(new Set(counts.map((row) => Number(row.n))).size).toBe(1);
    expect((await difference(output, input))[0]).toBe(0);
  }, 120_000);

  it('oversamples by ranges, sending whole row groups as they fill: the same bytes on 1 and 2 workers', async () => {
    const input = files[name] as string;
    const output = join(dir, `${name}-over.parquet`);
    await expectSameBytesOnOneAndTwoWorkers(output, (workers) => balanceParquet(input, output, { label: 'label', strategy: 'over', seed: 6, workers, rowGroupSize: 50_000, overwrite: true }), (counts) => Math.max(...counts));
    // Pieces are whole row groups: every row group is full but the last.
    const groups = await db.rows(`SELECT row_group_num_rows AS n FROM parquet_metadata('${output}') WHERE column_id = 0 ORDER BY row_group_id`);
    const sizes = groups.map((row) => Number(row.n));
    expect(sizes.length).toBeGreaterThan(20);
    expect(sizes.slice(0, -1).every((n) => n === 50_000)).toBe(true);
    // Every row out is one of the input's (repeated: EXCEPT, not EXCEPT ALL).
    const strangers = await db.rows(`SELECT count(*) AS n FROM (SELECT * FROM read_parquet('${output}') EXCEPT SELECT * FROM read_parquet('${input}'))`);
    expect(Number(strangers[0]?.n)).toBe(0);
  }, 120_000);

  it('stopped while a worker waits for its pieces to be written, leaves the worker free for the next job', async () => {
    const input = files[name] as string;
    const output = join(dir, `${name}-stopped.parquet`);
    const controller = new AbortController();
    // Aborted at the first part written: the workers are then ahead, waiting for pieces nobody writes.
    const stopped = await balanceParquet(input, output, {
      label: 'label',
      strategy: 'over',
      seed: 8,
      rowGroupSize: 20_000,
      overwrite: true,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase === 'balance') controller.abort(new Error('stop here'));
      },
    }).then(() => 'finished', (error: Error) => error.message);
    expect(stopped).toBe('stop here');
    // The same process's next job gets the same pooled workers, and finishes (it took about 4 s; a worker left
    // waiting held it for ever).
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      balanceParquet(input, output, { label: 'label', strategy: 'over', seed: 8, rowGroupSize: 20_000, overwrite: true }).then((report) => report.rowsWritten),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('still running after 60 s'), 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(next).toBeGreaterThan(ROWS);
  }, 120_000);

  it('weights every row, in order', async () => {
    const input = files[name] as string;
    const output = join(dir, `${name}-weight.parquet`);
    const report = await weightParquet(input, output, { label: 'label' });
    expect(report.rowsWritten).toBe(ROWS);
    const check = await db.rows(
      `SELECT count(*) AS n, count(*) FILTER (WHERE id <> file_row_number) AS misplaced FROM read_parquet('${output}', file_row_number = true)`,
    );
    expect([Number(check[0]?.n), Number(check[0]?.misplaced)]).toEqual([ROWS, 0]);
    expect(await readdir(dir)).not.toContain(expect.stringMatching(/\.tmp$/));
  }, 60_000);

  it('fails on a damaged page header with one line naming the file and the column, leaving nothing', async () => {
    const bytes = new Uint8Array(await readFile(files[name] as string));
    const ranges = new MemoryRanges(bytes);
    const group = (field(readFooter(ranges), 4) as ThriftList).items[0] as ThriftStruct;
    const meta = field(((field(group, 1) as ThriftList).items as ThriftStruct[])[1] as ThriftStruct, 3) as ThriftStruct;
    const start = Number(field(meta, 11) ?? field(meta, 9));
    bytes.fill(0, start, start + 4);
    const damaged = join(dir, `${name}-damaged.parquet`);
    await writeFile(damaged, bytes);
    const before = (await readdir(dir)).sort();
    for (const run of [
      () => balanceParquet(damaged, join(dir, 'never.parquet'), { label: 'label', seed: 1 }),
      () => weightParquet(damaged, join(dir, 'never.parquet'), { label: 'label' }),
    ]) {
      const message = await run().then(() => 'no error', (error: Error) => error.message);
      expect(message).toMatch(/^arrow-balance: \S*-damaged\.parquet: column "ts" of row group 0: the page header at byte \d+ lacks its field 3; the file is corrupt$/);
    }
    expect((await readdir(dir)).sort()).toEqual(before);
  }, 60_000);
});
