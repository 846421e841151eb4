import { createHash } from 'node:crypto';
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceParquet, type BalanceParquetOptions } from '../src/jobs/balance-parquet.js';
import { countParquet } from '../src/jobs/count-parquet.js';
import { WasmReadSession } from '../src/parquet/wasm/wasm-read-session.js';
import { leaseWorkers } from '../src/parquet/wasm/worker-pool.js';
import type { UnitWork } from '../src/plan/unit-work.js';
import { openDuckDb, parquetRowCount } from './support/duckdb.js';
import { writeAllTypesParquet } from './support/fixtures.js';

let dir: string;
let inputs: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-plan-workers-'));
  // Two files of several row groups each (every common type, with nulls), read as one input.
  inputs = [join(dir, 'a.parquet'), join(dir, 'b.parquet')];
  await writeAllTypesParquet(inputs[0] as string, { rows: 9_000, rowGroupSize: 2_048, seed: 1 });
  await writeAllTypesParquet(inputs[1] as string, { rows: 6_000, rowGroupSize: 2_048, seed: 2 });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Case = Pick<BalanceParquetOptions, 'label' | 'strategy' | 'target' | 'nulls' | 'importanceWeight' | 'rowGroupSize'>;
const cases: Array<[string, Case]> = [
  ['exact under', { label: 'enum', nulls: 'drop', strategy: 'under' }],
  ['exact under to 100 a class: tasks of several units, cut by output rows', { label: 'enum', nulls: 'drop', strategy: 'under', target: { happy: 100, ok: 100, sad: 100 }, rowGroupSize: 50 }],
  ['exact over', { label: 'str_dict', nulls: 'drop', strategy: 'over' }],
  ['exact hybrid with importance weights', { label: 'enum', nulls: 'drop', strategy: 'hybrid', importanceWeight: 'w' }],
  ['exact under, nulls a class, small row groups', { label: 'bool', nulls: 'class', strategy: 'under', rowGroupSize: 700 }],
];

async function digest(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

describe('a plan run by worker threads', () => {
  it.each(cases)('%s: the same bytes with 1, 2 and 3 workers', async (name, options) => {
    const output = join(dir, `${name.replace(/\W+/g, '-')}.parquet`);
    const digests: string[] = [];
    for (const workers of [1, 2, 3]) {
      const report = await balanceParquet(inputs, output, { ...options, seed: 9, workers, overwrite: true });
      expect(report.rowsRead).toBe(15_000);
      digests.push(await digest(output));
    }
    expect(new Set(digests).size).toBe(1);
    // The report's output counts are the file's (balance-parquet.test.ts checks the rows against the plan run on this thread).
    const report = await balanceParquet(inputs, output, { ...options, seed: 9, workers: 2, overwrite: true });
    expect(await parquetRowCount(output)).toBe(report.rowsWritten);
    expect(report.rowsWritten).toBe(report.outputCounts?.total);
    // Our own reader reads it back whole (it follows the page indexes), and every row group's statistics are
    // the rows' own: the footer and the indexes outlive the parts they were read from.
    const back = await countParquet(output, { label: 'id', maxClasses: 10_000_000 });
    expect(back.total).toBe(report.rowsWritten);
    const db = await openDuckDb();
    try {
      const stats = await db.rows(`SELECT row_group_id AS g, row_group_num_rows AS n, stats_min AS lo, stats_max AS hi FROM parquet_metadata('${output}') WHERE path_in_schema = 'id' ORDER BY row_group_id`);
      let first = 0;
      for (const { n, lo, hi } of stats) {
        const actual = await db.rows(`SELECT min(id)::VARCHAR AS lo, max(id)::VARCHAR AS hi FROM read_parquet('${output}', file_row_number = true) WHERE file_row_number >= ${first} AND file_row_number < ${first + Number(n)}`);
        expect({ lo: String(lo), hi: String(hi) }).toEqual(actual[0]);
        first += Number(n);
      }
    } finally {
      db.close();
    }
  }, 120_000);

  it('fails cleanly, leaving nothing, when a worker dies mid-job, and when the job is aborted', async () => {
    const output = join(dir, 'interrupted.parquet');
    const before = (await readdir(dir)).sort();
    // Oversampling with small row groups: many tasks, so the job is still running when the first part arrives.
    const options = { label: 'enum', nulls: 'drop', strategy: 'over', rowGroupSize: 500, seed: 3, workers: 2 } as const;
    let killed = false;
    const dying = balanceParquet(inputs, output, {
      ...options,
      onProgress: (progress) => {
        if (progress.phase !== 'balance' || killed) return;
        killed = true;
        for (const worker of leaseWorkers(2)) void worker.terminate().finally(() => worker.release());
      },
    });
    const error = await dying.then(() => undefined, (thrown: unknown) => thrown as Error);
    expect(killed).toBe(true);
    expect(error?.message).toMatch(/^arrow-balance: .*\.parquet: the Parquet decoder crashed \(.*\); the file is corrupt or uses a feature parquet-wasm cannot decode$/);
    expect((await readdir(dir)).sort()).toEqual(before);

    const controller = new AbortController();
    const aborted = balanceParquet(inputs, output, { ...options, signal: controller.signal, onProgress: (progress) => progress.phase === 'balance' && controller.abort(new Error('stop now')) });
    await expect(aborted).rejects.toThrow('stop now');
    expect((await readdir(dir)).sort()).toEqual(before);
  }, 60_000);

  it('a task that fails with our own error reports it on one line, naming the file once and prefixed once', async () => {
    const file = inputs[0] as string;
    const session = new WasmReadSession([{ name: file, path: file }], 1);
    try {
      // Row group 0 holds "ok" and "sad" rows too, which this unit's counts lack: its sampler refuses them.
      const unit: UnitWork = { seed: '1', strategy: 'under', number: 0, rowGroup: 0, rows: 2048, classes: [['happy', 2048, 10, 1]] };
      const failed = await session
        .task(0, 0, { units: [unit], options: { label: 'enum', nulls: 'drop' }, batchSize: 1024, encode: { compression: 'snappy', rowGroupSize: 1000, metadata: {} }, paced: true }, () => undefined)
        .then(() => 'no error', (error: Error) => error.message);
      expect(failed).toMatch(/^arrow-balance: \S*a\.parquet: class "(ok|sad)" is not in "counts"; [^\n]*$/);
      // Before: "arrow-balance: <file>: arrow-balance: class ..." (the worker's message kept its prefix).
      expect(failed.split('arrow-balance:').length - 1).toBe(1);
    } finally {
      session.close();
    }
  });

  it('refuses a workers option outside 1..64 before reading anything', async () => {
    await expect(balanceParquet(inputs, join(dir, 'never.parquet'), { label: 'enum', nulls: 'drop', workers: 0 })).rejects.toThrow('arrow-balance: workers must be an integer from 1 to 64, got 0');
  });
});
