import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { concat, concatMap, defer, lastValueFrom, type OperatorFunction } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balance } from '../operators/balance.js';
import { fromParquet } from '../operators/from-parquet.js';
import { shuffle } from '../operators/shuffle.js';
import { toParquet } from '../operators/to-parquet.js';
import { countParquet } from '../src/jobs/count-parquet.js';
import { countUnits } from '../src/jobs/count-units.js';
import { planBalance } from '../src/plan/balance-plan.js';
import { PlanRunner } from '../src/plan/plan-runner.js';
import { resolveTargets } from '../src/sampling/targets.js';
import { balanceParquet, type BalanceParquetOptions } from '../src/jobs/balance-parquet.js';
import { sameRows } from './support/duckdb.js';
import { writeAllTypesParquet, writeLabelledParquet } from './support/fixtures.js';

let dir: string;
let input: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-balance-parquet-'));
  input = join(dir, 'all-types.parquet');
  // Row groups of 4,096 rows: the balancing pass reads seven of them, in several requests.
  await writeAllTypesParquet(input, { rows: 25_000, rowGroupSize: 4_096 });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Case = Pick<BalanceParquetOptions, 'label' | 'strategy' | 'mode' | 'nulls' | 'importanceWeight' | 'decoders' | 'shuffle'>;

const cases: Array<[string, Case]> = [
  ['exact under, dictionary label, nulls dropped', { label: 'enum', nulls: 'drop', strategy: 'under' }],
  ['exact under, boolean label, nulls a class, importance weights', { label: 'bool', nulls: 'class', strategy: 'under', importanceWeight: 'w' }],
  ['exact under with two decoders', { label: 'enum', nulls: 'drop', strategy: 'under', decoders: 2 }],
  ['exact over, string label', { label: 'str_dict', nulls: 'drop', strategy: 'over' }],
  ['exact hybrid', { label: 'enum', nulls: 'drop', strategy: 'hybrid' }],
  ['online under', { label: 'enum', nulls: 'drop', strategy: 'under', mode: 'online' }],
  // These keep rows across input batches, so the job must not let the reader reuse their memory.
  ['exact under, shuffled', { label: 'enum', nulls: 'drop', strategy: 'under', shuffle: 500 }],
  ['reservoir under', { label: 'enum', nulls: 'drop', strategy: 'under', mode: 'reservoir' }],
];

/**
 * What the plan of units samples from the input read in batches of 999 rows on this thread: exact mode's
 * expected output, whatever the job's reader, decoders and request sizes.
 */
async function planned(source: string, options: Case, seed: number): Promise<OperatorFunction<RecordBatch, RecordBatch>> {
  const nulls = options.nulls ?? 'error';
  const units = await countUnits(source, { label: options.label, nulls }, {});
  const strategy = options.strategy ?? 'under';
  const plan = planBalance(units.places, units.unitRows, (code) => units.coder.value(code), units.counts, resolveTargets(units.counts, strategy, undefined), strategy, seed);
  const runner = new PlanRunner(plan, { label: options.label, nulls, importanceWeight: options.importanceWeight });
  return (batches) =>
    concat(
      batches.pipe(concatMap((batch) => runner.push(batch))),
      defer(() => {
        runner.finish();
        return [];
      }),
    );
}

describe('balanceParquet', () => {
  it.each(cases)('%s: writes the rows the plan of units (exact) or the balance() operator emits for the same seed, in order', async (name, options) => {
    const output = join(dir, `out-${name.replace(/\W+/g, '-')}.parquet`);
    const expected = join(dir, `expected-${name.replace(/\W+/g, '-')}.parquet`);
    const seed = 7;
    const report = await balanceParquet(input, output, { ...options, seed });
    const exact = options.mode === undefined || options.mode === 'exact';
    const { decoders: _decoders, shuffle: bufferRows, ...operatorOptions } = options;
    const balanced = exact ? fromParquet(input, { batchSize: 999 }).pipe(await planned(input, options, seed)) : fromParquet(input).pipe(balance({ ...operatorOptions, seed }));
    const shuffled = bufferRows === undefined ? balanced : balanced.pipe(shuffle({ bufferRows, seed: `${seed}/shuffle` }));
    await lastValueFrom(shuffled.pipe(toParquet(expected)));
    const same = await sameRows(output, expected, { ordered: true });
    expect(same.summary).toMatch(/^same rows in the same order/);
    expect(report.rowsWritten).toBe(same.rowsA);
    expect(report.rowsRead).toBe(25_000);
  }, 60_000);

  it('keeps the rows a shuffle holds intact when a target keeps every row (input batches passed on whole)', async () => {
    const labelled = join(dir, 'labelled.parquet');
    // About 40 MB decoded, read in five requests of two row groups: the reader's memory is reused while the
    // shuffle buffer still holds rows of earlier requests.
    await writeLabelledParquet(labelled, { rows: 400_000, classes: { 0: 0.7, 1: 0.3 }, featureColumns: 12, rowGroupSize: 40_960 });
    const counts = await countParquet(labelled, { label: 'label' });
    const target = Object.fromEntries(counts.entries().map(([value, n]) => [String(value), n]));
    const seed = 3;
    const output = join(dir, 'out-keep-all.parquet');
    const expected = join(dir, 'expected-keep-all.parquet');
    await balanceParquet(labelled, output, { label: 'label', strategy: 'under', target, shuffle: 100_000, seed });
    await lastValueFrom(
      fromParquet(labelled).pipe(balance({ label: 'label', strategy: 'under', target, counts, seed }), shuffle({ bufferRows: 100_000, seed: `${seed}/shuffle` }), toParquet(expected)),
    );
    const same = await sameRows(output, expected, { ordered: true });
    expect(same.summary).toMatch(/^same rows in the same order: both have 400000 rows/);
  }, 60_000);

  it('stops with the abort reason when aborted by a timer, though the worker decodes ahead of the job', async () => {
    // Oversampling holds the job back on the encoder, so every row group is decoded before the job asks for
    // it: a loop that never yields to the event loop would not see the timer (nor a Ctrl-C) until the end.
    const labelled = join(dir, 'labelled-abort.parquet');
    await writeLabelledParquet(labelled, { rows: 400_000, classes: { 0: 0.7, 1: 0.3 }, featureColumns: 12, rowGroupSize: 40_960 });
    const output = join(dir, 'out-aborted.parquet');
    const controller = new AbortController();
    const reason = new Error('stopped by a timer');
    let scheduled = false;
    const job = balanceParquet(labelled, output, {
      label: 'label',
      strategy: 'over',
      seed: 1,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase !== 'balance' || scheduled) return;
        scheduled = true;
        setTimeout(() => controller.abort(reason), 0);
      },
    });
    await expect(job).rejects.toBe(reason);
    expect(existsSync(output)).toBe(false);
  }, 60_000);
});
