import { createHash } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceParquet, type BalanceParquetOptions } from '../src/jobs/balance-parquet.js';
import { WasmReadSession } from '../src/parquet/wasm-read-session.js';
import type { UnitWork } from '../src/plan/unit-work.js';
import { parquetRowCount } from './support/duckdb.js';
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
  }, 120_000);

  it('a task that fails with our own error reports it on one line, naming the file once and prefixed once', async () => {
    const file = inputs[0] as string;
    const session = new WasmReadSession([{ name: file, path: file }], 1);
    try {
      // Row group 0 holds "ok" and "sad" rows too, which this unit's counts lack: its sampler refuses them.
      const unit: UnitWork = { seed: '1', strategy: 'under', number: 0, rowGroup: 0, rows: 2048, classes: [['happy', 2048, 10, 1]] };
      const failed = await session
        .task(0, 0, { units: [unit], options: { label: 'enum', nulls: 'drop' }, batchSize: 1024, encode: { compression: 'snappy', rowGroupSize: 1000, metadata: {} } })
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
