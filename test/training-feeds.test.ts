import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceParquet } from '../src/jobs/balance-parquet.js';
import { openParquet } from '../src/parquet/open-reader.js';
import type { BalancePlan } from '../src/plan/balance-plan.js';
import { rankPieces } from '../src/train/balanced-epoch.js';
import { trainingBatches, type TrainingBatch, type TrainingBatchesOptions } from '../src/train/index.js';
import { sqlString, withDuckDb } from './support/duckdb.js';

let dir: string;
let inputs: string[];
/** Rows per class in the inputs (DuckDB's seeded random() decides the labels). */
let classRows: Map<number, number>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-feeds-'));
  inputs = [join(dir, 'a.parquet'), join(dir, 'b.parquet')];
  // Two DuckDB-written files of several row groups: a unique id, a double and a label of classes 85 / 12 / 3 %.
  await withDuckDb(async (db) => {
    await db.run('SELECT setseed(0.25)');
    for (const [file, first, rows] of [[inputs[0] as string, 0, 6_000], [inputs[1] as string, 6_000, 4_000]] as const) {
      await db.run(
        `COPY (SELECT i::INTEGER AS id, random() AS x, CASE WHEN r < 0.85 THEN 0 WHEN r < 0.97 THEN 1 ELSE 2 END AS label
           FROM (SELECT i, random() AS r FROM range(${first}, ${first + rows}) t(i)))
         TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
      );
    }
  });
  classRows = new Map();
  const reader = await openParquet(inputs, { columns: ['label'] });
  try {
    for (let batches = await reader.next(); batches !== null; batches = await reader.next()) {
      for (const batch of batches) for (const label of batch.getChild('label')?.toArray() as Int32Array) classRows.set(label, (classRows.get(label) ?? 0) + 1);
    }
  } finally {
    reader.close();
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base: TrainingBatchesOptions = { features: ['id', 'x'], label: 'label', batchSize: 64, balance: { strategy: 'under', seed: 11 } };

/** The ids of a feed's rows, in order, and its batches. */
async function idsOf(options: Partial<TrainingBatchesOptions>): Promise<{ ids: number[]; batches: TrainingBatch[] }> {
  const batches: TrainingBatch[] = [];
  const ids: number[] = [];
  for await (const batch of trainingBatches(inputs, { ...base, ...options })) {
    batches.push(batch);
    for (let i = 0; i < batch.rows; i++) ids.push(batch.x[i * batch.features] as number);
  }
  return { ids, batches };
}

describe('a balanced training feed', () => {
  it('epoch 0 holds the rows balanceParquet writes for the seed, in the same order', async () => {
    const output = join(dir, 'balanced.parquet');
    await balanceParquet(inputs, output, { label: 'label', strategy: 'under', seed: 11 });
    const written: number[] = [];
    const reader = await openParquet(output, { columns: ['id'] });
    try {
      for (let batches = await reader.next(); batches !== null; batches = await reader.next()) for (const batch of batches) written.push(...(batch.getChild('id')?.toArray() as Int32Array));
    } finally {
      reader.close();
    }
    const { ids } = await idsOf({});
    expect(ids).toEqual(written);
    // Exact: every class at the smallest class's count.
    expect(ids.length).toBe(3 * Math.min(...classRows.values()));
  }, 60_000);

  it.each([
    [3, false],
    [3, true],
    [4, false],
    [7, true],
  ])('on %i ranks (dropRemainder %s): disjoint runs in rank order, the one-process epoch together, the same number of batches each', async (count, dropRemainder) => {
    const whole = (await idsOf({ dropRemainder: false })).ids;
    const ranks = await Promise.all(Array.from({ length: count }, (_, index) => idsOf({ shard: { index, count }, dropRemainder })));
    const each = dropRemainder ? Math.floor(whole.length / count) : Math.ceil(whole.length / count);
    // PyTorch's DistributedSampler: padded with the epoch's first rows, or cut short by fewer than `count` rows.
    const padded = [...whole, ...whole.slice(0, Math.max(0, each * count - whole.length))];
    ranks.forEach((rank, index) => {
      const own = padded.slice(index * each, (index + 1) * each);
      // dropRemainder also drops each rank's last, short mini-batch (as a DataLoader's drop_last does).
      expect(rank.ids).toEqual(dropRemainder ? own.slice(0, Math.floor(each / 64) * 64) : own);
      expect(rank.batches.length).toBe(dropRemainder ? Math.floor(each / 64) : Math.ceil(each / 64));
    });
    if (!dropRemainder) expect(ranks.flatMap((rank) => rank.ids).slice(0, whole.length)).toEqual(whole);
  }, 120_000);

  it('draws a new sample each epoch, the same for the same seed and epoch; over epochs the majority rows seen cover what the hypergeometric draws expect', async () => {
    const majority = Math.max(...classRows.values());
    const kept = Math.min(...classRows.values());
    const majorityLabel = [...classRows].find(([, n]) => n === majority)?.[0];
    const seen = new Set<number>();
    const epochs = 8;
    let first: number[] | undefined;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const { ids, batches } = await idsOf({ epoch });
      if (epoch === 0) first = ids;
      if (epoch === 1) expect(ids).not.toEqual(first);
      let at = 0;
      for (const batch of batches) {
        for (let i = 0; i < batch.rows; i++) if (batch.classes[batch.y[i] as number] === majorityLabel) seen.add(ids[at + i] as number);
        at += batch.rows;
      }
    }
    expect((await idsOf({ epoch: 0 })).ids).toEqual(first);
    // Each epoch keeps `kept` of the majority's rows, uniformly and independently of the other epochs: a row
    // is seen with probability p = 1 - (1 - kept/majority)^epochs. Within an epoch the draws are negatively
    // correlated, so the variance of the rows seen is at most majority * p * (1 - p): 4 standard deviations.
    const p = 1 - (1 - kept / majority) ** epochs;
    const mean = majority * p;
    const sd = Math.sqrt(majority * p * (1 - p));
    expect(Math.abs(seen.size - mean)).toBeLessThan(4 * sd);
  }, 180_000);

  it('refuses what it cannot do, at once and in one line', async () => {
    expect(() => trainingBatches(inputs, { ...base, balance: undefined, shard: { index: 0, count: 2 } })).toThrow(/need "balance"/);
    expect(() => trainingBatches(inputs, { ...base, shard: { index: 2, count: 2 } })).toThrow(/"shard.index" must be an integer from 0 to 1/);
    expect(() => trainingBatches(inputs, { ...base, epoch: -1 })).toThrow(/"epoch" must be a whole number/);
    expect(() => trainingBatches(inputs, { ...base, balance: { strategy: 'under' } as never })).toThrow(/"balance.seed" is required/);
    expect(() => trainingBatches(inputs, { ...base, engine: 'parquetjs-lite' })).toThrow(/only the parquet-wasm engine/);
    const reader = await openParquet(inputs);
    await expect(idsOfReader(reader)).rejects.toThrow(/^arrow-balance: a balanced feed .* give the Parquet source, not an open reader/);
  });
});

async function idsOfReader(reader: Awaited<ReturnType<typeof openParquet>>): Promise<void> {
  for await (const _ of trainingBatches(reader, base)) break;
}

describe('rankPieces', () => {
  /** A plan of units with the given output rows (one class each: only the quotas matter here). */
  const planOf = (outputs: number[]): BalancePlan => ({
    seed: '1',
    strategy: 'under',
    classes: [{ key: 'a', count: 0, target: 0 }],
    units: outputs.map((rows, u) => ({ file: 0, rowGroup: u, rows: rows + 1, counts: [[0, rows + 1]], quotas: [rows] })),
    outputRows: outputs.reduce((a, b) => a + b, 0),
  });

  it('gives each rank only the units that hold its rows', () => {
    const plan = planOf([10, 0, 10, 10]);
    expect(rankPieces(plan, { index: 0, count: 3 }, false)).toEqual([{ first: 0, last: 0, skip: 0, take: 10 }]);
    expect(rankPieces(plan, { index: 1, count: 3 }, false)).toEqual([{ first: 2, last: 2, skip: 0, take: 10 }]);
    expect(rankPieces(plan, { index: 1, count: 4 }, false)).toEqual([{ first: 0, last: 2, skip: 8, take: 8 }]);
    // The last rank wraps around to the epoch's first rows.
    expect(rankPieces(plan, { index: 3, count: 4 }, false)).toEqual([
      { first: 3, last: 3, skip: 4, take: 6 },
      { first: 0, last: 0, skip: 0, take: 2 },
    ]);
    expect(rankPieces(plan, { index: 3, count: 4 }, true)).toEqual([{ first: 3, last: 3, skip: 1, take: 7 }]);
    expect(rankPieces(planOf([0, 0]), { index: 0, count: 2 }, false)).toEqual([]);
  });
});
