import { RecordBatch, Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBatches } from '../src/arrow/concat.js';
import { ClassCounts } from '../src/classes/class-counts.js';
import { LabelCoder } from '../src/classes/label-coder.js';
import { ArrowBalanceError } from '../src/errors.js';
import { seededRandom, type RandomSource } from '../src/random.js';
import { prepareBalance } from '../src/sampling/balance-engine.js';
import type { ReservoirEngineOptions, SampledBatch } from '../src/sampling/engine.js';
import { ReservoirSampler } from '../src/sampling/reservoir.js';
import { ClassReservoir } from '../src/sampling/reservoir-class.js';
import { mergeInInputOrder } from '../src/sampling/reservoir-merge.js';
import { nthSmallest, rankCut } from '../src/sampling/reservoir-select.js';
import { resolveTargets } from '../src/sampling/targets.js';

/** One batch: `id` = row number, `y` = label (dictionary-encoded strings, nulls allowed), `v` = id / 4. */
function table(labels: readonly (string | null)[]): RecordBatch {
  const t = tableFromArrays({ id: Int32Array.from(labels, (_, i) => i), y: labels as string[], v: Float64Array.from(labels, (_, i) => i / 4) });
  return (t.batches.length === 1 ? t.batches[0] : concatBatches(t.batches)) as RecordBatch;
}

/** `counts` rows per class, interleaved in a fixed pseudo-random order. */
function labelsOf(counts: Readonly<Record<string, number>>, seed = 'data'): string[] {
  const labels = Object.entries(counts).flatMap(([label, n]) => Array<string>(n).fill(label));
  const random = seededRandom(seed);
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [labels[i], labels[j]] = [labels[j] as string, labels[i] as string];
  }
  return labels;
}

function slices(whole: RecordBatch, size: number): RecordBatch[] {
  const out: RecordBatch[] = [];
  const step = Number.isFinite(size) ? size : whole.numRows;
  for (let i = 0; i < whole.numRows; i += step) out.push(whole.slice(i, i + step));
  return out;
}

type Options = Partial<Omit<ReservoirEngineOptions, 'coder' | 'random'>> & { random?: RandomSource; seed?: string | number; nulls?: 'error' | 'drop' | 'class' };

/** Runs a reservoir sampler over `batches`; `onPush` sees the sampler after each push. */
function run(batches: readonly RecordBatch[], options: Options = {}, onPush?: (s: ReservoirSampler, out: SampledBatch[]) => void) {
  const coder = new LabelCoder({ label: 'y', nulls: options.nulls ?? 'error' });
  const warnings: string[] = [];
  const sampler = new ReservoirSampler({
    coder,
    strategy: 'under',
    target: undefined,
    random: options.random ?? seededRandom(options.seed ?? 1),
    weights: false,
    warn: (m) => warnings.push(m),
    capacity: 100_000,
    window: undefined,
    ...options,
  });
  const out: SampledBatch[] = [];
  for (const batch of batches) {
    const part = sampler.push(batch, coder.encode(batch));
    onPush?.(sampler, part);
    out.push(...part);
  }
  out.push(...sampler.finish());
  return { out, sampler, warnings, batches: out.map((p) => p.batch) };
}

function ids(batches: readonly RecordBatch[]): number[] {
  return batches.flatMap((b) => Array.from(b.getChild('id')?.toArray() as Int32Array));
}

function countBy(batches: readonly RecordBatch[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const b of batches) for (let r = 0; r < b.numRows; r++) counts[String(b.getChild('y')?.get(r))] = (counts[String(b.getChild('y')?.get(r))] ?? 0) + 1;
  return counts;
}

/** Checks every output row against the input row its id names (all values). */
function expectRowsFromInput(out: readonly RecordBatch[], labels: readonly (string | null)[]): void {
  for (const b of out) {
    const id = b.getChild('id')?.toArray() as Int32Array;
    for (let r = 0; r < b.numRows; r++) {
      const i = id[r] as number;
      expect(b.getChild('y')?.get(r)).toBe(labels[i]);
      expect(b.getChild('v')?.get(r)).toBe(i / 4);
    }
  }
}

const IMBALANCED = { a: 900, b: 90, c: 10 };

describe('ReservoirSampler: counts', () => {
  const labels = labelsOf(IMBALANCED);
  const input = slices(table(labels), 64);
  const counts = ClassCounts.fromEntries(Object.entries(IMBALANCED));
  const cases = [
    { strategy: 'under', target: undefined },
    { strategy: 'under', target: { a: 300, b: 45 } },
    { strategy: 'over', target: undefined },
    { strategy: 'over', target: 'minority' },
    { strategy: 'hybrid', target: { proportions: { a: 0.5, b: 0.3, c: 0.2 }, total: 600 } },
  ] as const;

  for (const { strategy, target } of cases) {
    it(`gives exactly the counts exact mode gives (${strategy}, ${JSON.stringify(target)})`, () => {
      const { batches, warnings } = run(input, { strategy, target, capacity: 1000 });
      const exact = prepareBalance({ label: 'y', mode: 'exact', counts: IMBALANCED, strategy, target, seed: 1 })();
      const exactOut = [...input.flatMap((b) => exact.push(b)), ...exact.finish()];
      const expected = { ...IMBALANCED, ...Object.fromEntries(resolveTargets(counts, strategy, target)) };
      expect(countBy(batches)).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
      expect(countBy(batches)).toEqual(countBy(exactOut));
      expect(warnings).toEqual([]);
      expectRowsFromInput(batches, labels);
    });
  }

  it('under: distinct rows in input order; over: each row floor(T/n) or one more times, copies adjacent', () => {
    const under = ids(run(input, { strategy: 'under' }).batches);
    for (let k = 1; k < under.length; k++) expect(under[k]).toBeGreaterThan(under[k - 1] as number);
    const over = ids(run(input, { strategy: 'over', target: { b: 200, c: 35 } }).batches);
    for (let k = 1; k < over.length; k++) expect(over[k]).toBeGreaterThanOrEqual(over[k - 1] as number);
    const times = new Map<number, number>();
    for (const id of over) times.set(id, (times.get(id) ?? 0) + 1);
    labels.forEach((label, id) => {
      const t = times.get(id);
      if (label === 'a') expect(t).toBe(1);
      if (label === 'b') expect([2, 3]).toContain(t); // 200 / 90
      if (label === 'c') expect([3, 4]).toContain(t); // 35 / 10
    });
  });

  it('attaches importance weights n_c / k_c: weighted class totals equal the input counts', () => {
    const { out } = run(input, { strategy: 'hybrid', target: 'auto', weights: true });
    const totals: Record<string, number> = {};
    for (const { batch, weights } of out) {
      expect(weights?.length).toBe(batch.numRows);
      for (let r = 0; r < batch.numRows; r++) totals[String(batch.getChild('y')?.get(r))] = (totals[String(batch.getChild('y')?.get(r))] ?? 0) + (weights?.[r] ?? 0);
    }
    for (const [label, n] of Object.entries(IMBALANCED)) expect(totals[label]).toBeCloseTo(n, 9);
  });

  it('never emits rows whose null label was dropped', () => {
    const withNulls = labelsOf(IMBALANCED).map((l, i) => (i % 7 === 0 ? null : l));
    const { batches } = run(slices(table(withNulls), 50), { nulls: 'drop', strategy: 'over' });
    for (const id of ids(batches)) expect(withNulls[id]).not.toBeNull();
  });

  it('emits nothing for an empty input and fails for a single class, naming it', () => {
    const empty = run([], {});
    expect(empty.out).toEqual([]);
    expect(empty.sampler.report).toBeUndefined();
    expect(() => run([table(['a', 'a', 'a'])])).toThrow(ArrowBalanceError);
    expect(() => run([table(['a', 'a', 'a'])])).toThrow(/arrow-balance: .*two classes.*"a" \(3 rows\)/);
  });

  it('rejects a bad capacity or window, naming the option', () => {
    expect(() => run([], { capacity: 0 })).toThrow(/"capacity"/);
    expect(() => run([], { capacity: 2.5 })).toThrow(RangeError);
    expect(() => run([], { window: 0 })).toThrow(/"window"/);
  });
});

describe('ReservoirSampler: capacity', () => {
  it('holds at most 2 x capacity x classes rows and pins at most twice that in batches', () => {
    // a: 6000, b: 3000, c: 30 rows; capacity 40. A class holds at most 40 + 40 rows (the pruning slack of
    // capacity), at least min(seen, 40). Held batches are compacted after each push when they pin more than
    // twice that, 4 x capacity x classes rows, so they pin at most that; without compaction they pin nearly all.
    const labels = labelsOf({ a: 6000, b: 3000, c: 30 });
    for (const size of [100, 1, 4096]) {
      const seen = new Map<string, number>();
      let done = 0;
      const whole = table(labels);
      const { batches } = run(slices(whole, size), { capacity: 40 }, (sampler) => {
        const top = Math.min(whole.numRows, done + size);
        for (; done < top; done++) seen.set(labels[done] as string, (seen.get(labels[done] as string) ?? 0) + 1);
        const atMost = [...seen.values()].reduce((sum, n) => sum + Math.min(n, 80), 0);
        const atLeast = [...seen.values()].reduce((sum, n) => sum + Math.min(n, 40), 0);
        expect(sampler.heldRows).toBeLessThanOrEqual(atMost);
        expect(sampler.heldRows).toBeGreaterThanOrEqual(atLeast);
        expect(sampler.pinnedRows).toBeLessThanOrEqual(4 * 40 * seen.size);
      });
      expect(countBy(batches)).toEqual({ a: 30, b: 30, c: 30 });
    }
  });

  it('caps a target the reservoir cannot supply and reports it', () => {
    const labels = labelsOf(IMBALANCED);
    const { batches, sampler, warnings } = run(slices(table(labels), 100), { strategy: 'over', capacity: 100 });
    expect(countBy(batches)).toEqual({ a: 100, b: 900, c: 900 });
    expect(sampler.report?.classes.map(({ value, seen, held, target, emitted, capped }) => [value, seen, held, target, emitted, capped])).toEqual([
      ...['a', 'b', 'c']
        .sort((x, y) => labels.indexOf(x) - labels.indexOf(y))
        .map((v) => (v === 'a' ? ['a', 900, 100, 900, 100, true] : [v, IMBALANCED[v as 'b' | 'c'], IMBALANCED[v as 'b' | 'c'], 900, 900, false])),
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^arrow-balance: reservoir capped class "a" at 100 rows instead of its target 900: .*had 900 rows.*raise "capacity" \(--capacity\) to at least 900/);
    expect(sampler.report?.warnings).toEqual(warnings);
  });
});

describe('ReservoirSampler: randomness', () => {
  it('includes every row of a class with equal frequency (chi-square)', () => {
    // Class a (50 rows) is cut to 10 (class b has 10) with capacity 20, so rows are evicted and the heap is
    // used. Over 2000 trials each a-row is kept Binomial(2000, 0.2) times: E = 400, variance E (1 - 0.2).
    // X2 = sum (O - E)^2 / (E (1 - p)) is ~ chi-square with 49 degrees of freedom (totals are fixed);
    // critical value 85.35 at p = 0.001.
    const labels = labelsOf({ a: 50, b: 10 }, 'freq');
    const input = slices(table(labels), 7);
    const coder = new LabelCoder({ label: 'y' });
    const codes = input.map((b) => coder.encode(b));
    const random = seededRandom('inclusion');
    const kept = new Map<number, number>();
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const sampler = new ReservoirSampler({ coder, strategy: 'under', target: undefined, random, weights: false, warn: () => {}, capacity: 20, window: undefined });
      input.forEach((b, k) => sampler.push(b, codes[k] as Int32Array));
      for (const id of ids(sampler.finish().map((p) => p.batch))) if (labels[id] === 'a') kept.set(id, (kept.get(id) ?? 0) + 1);
    }
    const expected = (trials * 10) / 50;
    let x2 = 0;
    labels.forEach((label, id) => {
      if (label === 'a') x2 += ((kept.get(id) ?? 0) - expected) ** 2 / (expected * (1 - 10 / 50));
    });
    expect(x2).toBeLessThan(85.35);
  });

  it('picks the extra copies of over-sampling uniformly (chi-square)', () => {
    // Class b (10 rows) raised to 25: every row twice, 5 of 10 a third time. Over 2000 trials each row gets
    // its extra copy Binomial(2000, 0.5) times: E = 1000; X2 = sum (O - E)^2 / (E (1 - 0.5)) ~ chi-square(9),
    // critical value 27.88 at p = 0.001.
    const labels = labelsOf({ a: 40, b: 10 }, 'extra');
    const batch = table(labels);
    const coder = new LabelCoder({ label: 'y' });
    const codes = coder.encode(batch);
    const random = seededRandom('extra');
    const extra = new Map<number, number>();
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const sampler = new ReservoirSampler({ coder, strategy: 'over', target: { b: 25 }, random, weights: false, warn: () => {}, capacity: 100, window: undefined });
      sampler.push(batch, codes);
      const times = new Map<number, number>();
      for (const id of ids(sampler.finish().map((p) => p.batch))) times.set(id, (times.get(id) ?? 0) + 1);
      for (const [id, n] of times) if (n === 3) extra.set(id, (extra.get(id) ?? 0) + 1);
    }
    let x2 = 0;
    labels.forEach((label, id) => {
      if (label === 'b') x2 += ((extra.get(id) ?? 0) - 1000) ** 2 / (1000 * 0.5);
    });
    expect(x2).toBeLessThan(27.88);
  });

  it('gives byte-identical output whatever the input batch sizes', () => {
    // Capacity 300 prunes a and b several times, at rows that depend on the batch sizes through the
    // compactions (held batches pin more than 4 x 300 x 3 = 3,600 of the 5,000 rows for every batch size).
    const whole = table(labelsOf({ a: 3500, b: 1200, c: 300 }));
    for (const strategy of ['under', 'over'] as const) {
      const bytes = (size: number): Uint8Array[] => {
        const { out } = run(slices(whole, size), { strategy, capacity: 300, seed: 'same', weights: true });
        return [tableToIPC(new Table(out.map((p) => p.batch))), ...out.map((p) => new Uint8Array((p.weights as Float64Array).buffer))];
      };
      const reference = bytes(Infinity);
      for (const size of [1, 7, 1000]) expect(bytes(size)).toEqual(reference);
    }
  });

  it('gives different samples for different seeds', () => {
    const input = slices(table(labelsOf(IMBALANCED)), 100);
    expect(ids(run(input, { seed: 1 }).batches)).not.toEqual(ids(run(input, { seed: 2 }).batches));
  });

  it('property: rows come from the input, counts follow the targets, batch sizes do not matter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('p', 'q', 'r'), { minLength: 2, maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 80 }),
        (labels, capacity, size) => {
          fc.pre(new Set(labels).size >= 2);
          const whole = table(labels);
          const a = run([whole], { capacity, seed: 3 });
          const b = run(slices(whole, size), { capacity, seed: 3 });
          expect(tableToIPC(new Table(b.batches))).toEqual(tableToIPC(new Table(a.batches)));
          expectRowsFromInput(a.batches, labels);
          const seen = Object.fromEntries(['p', 'q', 'r'].map((l) => [l, labels.filter((x) => x === l).length]).filter(([, n]) => (n as number) > 0));
          const min = Math.min(...(Object.values(seen) as number[]));
          for (const [label, n] of Object.entries(countBy(a.batches))) expect(n).toBe(Math.min(min, capacity, seen[label] as number));
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });
});

describe('ReservoirSampler: window', () => {
  // Three windows of 300 rows: a/b = 200/100, 150/150, 250/50; batches of 250 rows cross the boundaries.
  const labels = [...labelsOf({ a: 200, b: 100 }, 'w0'), ...labelsOf({ a: 150, b: 150 }, 'w1'), ...labelsOf({ a: 250, b: 50 }, 'w2')];

  it('emits a balanced sample of each window when the window ends', () => {
    const emitted: RecordBatch[][] = [];
    const windows: number[] = [];
    const { sampler } = run(slices(table(labels), 250), { window: 300 }, (s, part) => {
      emitted.push(part.map((p) => p.batch));
      windows.push(s.report?.window ?? -1);
    });
    expect(emitted.map((parts) => parts.reduce((n, b) => n + b.numRows, 0))).toEqual([0, 200, 300, 100]);
    const all = emitted.flat();
    const perWindow = [0, 1, 2].map((w) => all.filter((b) => ids([b]).every((id) => Math.floor(id / 300) === w)));
    expect(perWindow.map(countBy)).toEqual([{ a: 100, b: 100 }, { a: 150, b: 150 }, { a: 50, b: 50 }]);
    expect(windows).toEqual([-1, 0, 1, 2]);
    expect(sampler.report?.rows).toBe(300);
  });

  it('flushes a partial last window at the end and names the window in errors', () => {
    const more = [...labels, 'a', 'b', 'b'];
    const { out, sampler } = run(slices(table(more), 100), { window: 300 });
    expect(countBy(out.slice(-1).map((p) => p.batch))).toEqual({ a: 1, b: 1 });
    expect(sampler.report).toMatchObject({ window: 3, rows: 3 });
    const oneClass = [...labels, 'a', 'a'];
    expect(() => run([table(oneClass)], { window: 300 })).toThrow(/arrow-balance: window 3 \(input rows 900 to 901\): .*two classes/);
  });
});

describe('ReservoirSampler: merge', () => {
  const whole = table(labelsOf({ a: 3000, b: 800, c: 200 }, 'merge'));

  function shard(coder: LabelCoder, random: RandomSource, strategy: 'under' | 'over', window?: number): ReservoirSampler {
    return new ReservoirSampler({ coder, strategy, target: undefined, random, weights: true, warn: () => {}, capacity: 120, window });
  }

  for (const strategy of ['under', 'over'] as const) {
    it(`merges two shards exactly: same output as one sampler drawing the shards' keys in turn (${strategy})`, () => {
      // Shard A draws keys from seed 1 for rows 0..1499, shard B from seed 2 for rows 1500..2999; after the
      // merge A goes on with rows 3000..3999 (seed 1 again). One sampler over the whole input whose source
      // switches generators at those rows sees the very same keys, so its bottom-k sets, and hence its
      // output, must equal the merged one's byte for byte. Capacity 120 makes every shard prune.
      const coder = new LabelCoder({ label: 'y' });
      const a = shard(coder, seededRandom(1), strategy);
      const b = shard(coder, seededRandom(2), strategy);
      for (const batch of slices(whole.slice(0, 1500), 300)) a.push(batch, coder.encode(batch));
      for (const batch of slices(whole.slice(1500, 3000), 250)) b.push(batch, coder.encode(batch));
      a.merge(b);
      expect(b.heldRows).toBe(0);
      for (const batch of slices(whole.slice(3000), 333)) a.push(batch, coder.encode(batch));
      const merged = a.finish();

      const r1 = seededRandom(1);
      const r2 = seededRandom(2);
      let drawn = 0;
      const oneCoder = new LabelCoder({ label: 'y' });
      const one = shard(oneCoder, () => (drawn++ >= 1500 && drawn <= 3000 ? r2() : r1()), strategy);
      for (const batch of slices(whole, 500)) one.push(batch, oneCoder.encode(batch));
      const single = one.finish();
      expect(tableToIPC(new Table(merged.map((p) => p.batch)))).toEqual(tableToIPC(new Table(single.map((p) => p.batch))));
      expect(merged.map((p) => Array.from(p.weights ?? []))).toEqual(single.map((p) => Array.from(p.weights ?? [])));
      // under: every class cut to the minority's 200, capped at 120; over: raised to 3000, capped at 120.
      expect(countBy(merged.map((p) => p.batch))).toEqual({ a: 120, b: 120, c: 120 });
    });
  }

  it('refuses to merge samplers that do not share a coder, or that use windows', () => {
    const coder = new LabelCoder({ label: 'y' });
    expect(() => shard(coder, seededRandom(1), 'under').merge(shard(new LabelCoder({ label: 'y' }), seededRandom(2), 'under'))).toThrow(
      /arrow-balance: cannot merge reservoirs: .*different label coders/,
    );
    expect(() => shard(coder, seededRandom(1), 'under', 10).merge(shard(coder, seededRandom(2), 'under', 10))).toThrow(/"window"/);
  });
});

describe('ClassReservoir', () => {
  it('nthSmallest agrees with sorting, ties included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 300 }), fc.nat(), (xs, r) => {
        const rank = r % xs.length;
        expect(nthSmallest(Float64Array.from(xs), rank)).toBe(Float64Array.from(xs).sort()[rank]);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('rankCut agrees with sorting and leaves the values alone, on small, large, tied and clustered arrays', () => {
    // Sizes from 4,096 on take the bucketed path; few distinct values, a far outlier or all-equal values
    // put most values in one bucket or leave no range, which must still give the sorted answer.
    const uniform = fc.double({ min: 0, max: 1, noNaN: true });
    const tied = fc.integer({ min: 0, max: 5 });
    const mixed = fc.oneof(uniform, tied, fc.constantFrom(0.5, 1e300, -1e-300));
    const arrays = fc.oneof(...[uniform, tied, mixed].map((value) => fc.array(value, { minLength: 1, maxLength: 9000, size: 'max' })));
    fc.assert(
      fc.property(arrays, fc.nat(), (xs, r) => {
        const values = Float64Array.from(xs);
        const before = values.slice();
        const sorted = values.slice().sort();
        const rank = r % xs.length;
        const { cut, below } = rankCut(values, rank);
        expect(cut).toBe(sorted[rank]);
        expect(below).toBe(sorted.findIndex((v) => v === cut));
        expect(values).toEqual(before);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('keeps exactly the capacity smallest keys, earliest rows first among equal keys', () => {
    // Keys from a small set force many ties; the kept rows must be the first `capacity` of a stable sort.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 400 }), fc.integer({ min: 1, max: 60 }), (keys, capacity) => {
        const res = new ClassReservoir(capacity);
        let released = 0;
        const held = { release: (_slot: number, rows = 1) => void (released += rows) };
        keys.forEach((key, row) => {
          if (key < res.threshold) res.insert(key, 0, row, held);
          else released++;
        });
        res.prune(held);
        const expected = keys
          .map((key, row) => ({ key, row }))
          .sort((x, y) => x.key - y.key || x.row - y.row)
          .slice(0, capacity)
          .map((e) => e.row)
          .sort((x, y) => x - y);
        expect(Array.from(res.row.subarray(0, res.length))).toEqual(expected);
        expect(released).toBe(keys.length - expected.length);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});


describe('mergeInInputOrder', () => {
  it('merges the entries of many classes into (slot, row) order, each repeated as counted', () => {
    // Rows 0..n-1 of 4 slots are dealt to up to 9 classes; each class holds its rows in input order, as a
    // reservoir does, with a repeat count (0 to 3) per entry.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 3 })), { maxLength: 200 }),
        (deal) => {
          const classes = Array.from({ length: 9 }, () => new ClassReservoir(1000));
          const counts = classes.map((): number[] => []);
          const expected: [number, number, number][] = [];
          const held = { release: () => {} };
          deal.forEach(([c, times], i) => {
            const slot = i % 4 === 3 ? (i >> 2) * 2 + 1 : (i >> 2) * 2;
            (classes[c] as ClassReservoir).insert(0.5, slot, i, held);
            counts[c]?.push(times);
          });
          deal
            .map(([c, times], i) => ({ c, times, i, slot: i % 4 === 3 ? (i >> 2) * 2 + 1 : (i >> 2) * 2 }))
            .sort((x, y) => x.slot - y.slot || x.i - y.i)
            .forEach(({ c, times, i, slot }) => {
              for (let k = 0; k < times; k++) expected.push([slot, i, c]);
            });
          const { slot, row, from } = mergeInInputOrder(classes.map((res, c) => ({ res, repeats: Int32Array.from(counts[c] ?? []) })));
          expect(Array.from(slot, (s, j) => [s, row[j], from[j]])).toEqual(expected);
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });
});
