import { Float64, Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import fc from 'fast-check';
import { EMPTY, Observable, Subject, concat, from, lastValueFrom, of, take, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { balance } from '../operators/balance.js';
import type { BalanceOptions } from '../operators/balance.js';
import { concatBatches } from '../src/arrow/concat.js';
import { ClassCounts } from '../src/classes/class-counts.js';
import { seededRandom } from '../src/random.js';
import { resolveTargets } from '../src/sampling/targets.js';

/** One batch of `labels.length` rows: id (row number), label, x (float), note (string with nulls). */
function batchOf(labels: readonly string[]): RecordBatch {
  const n = labels.length;
  const random = seededRandom(`x-${n}`);
  return tableFromArrays({
    id: Int32Array.from({ length: n }, (_, i) => i),
    label: labels as string[],
    x: Float64Array.from({ length: n }, () => random()),
    note: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `row ${i}`)),
  }).batches[0]!;
}

/** Labels a/b/c in proportions 70/25/5 %, shuffled by a fixed seed. */
function labelsOf(n: number, seed = 'labels'): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const u = random();
    return u < 0.7 ? 'a' : u < 0.95 ? 'b' : 'c';
  });
}

function countsOf(labels: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of labels) out[l] = (out[l] ?? 0) + 1;
  return out;
}

function cut(batch: RecordBatch, size: number): RecordBatch[] {
  const out: RecordBatch[] = [];
  for (let start = 0; start < batch.numRows; start += size) out.push(batch.slice(start, Math.min(batch.numRows, start + size)));
  return out;
}

function run(batches: RecordBatch[], options: BalanceOptions): Promise<RecordBatch[]> {
  return lastValueFrom(from(batches).pipe(balance(options), toArray()));
}

function bytes(batches: RecordBatch[]): Uint8Array {
  return tableToIPC(new Table(concatBatches(batches)));
}

/** Checks that every output row equals the input row with the same id, column by column. */
function expectRowsFromInput(input: RecordBatch, output: readonly RecordBatch[]): void {
  const columns = ['label', 'x', 'note'] as const;
  const original = columns.map((name) => input.getChild(name)!.toArray() as ArrayLike<unknown>);
  for (const batch of output) {
    expect(batch.schema.fields.slice(0, 4).map((f) => `${f.name}:${f.type}`)).toEqual(input.schema.fields.map((f) => `${f.name}:${f.type}`));
    const ids = batch.getChild('id')!.toArray() as Int32Array;
    columns.forEach((name, k) => {
      const values = batch.getChild(name)!.toArray() as ArrayLike<unknown>;
      for (let j = 0; j < ids.length; j++) expect(values[j]).toBe(original[k]![ids[j]!]);
    });
  }
}

function perClass(output: readonly RecordBatch[]): Record<string, number> {
  return countsOf(output.flatMap((b) => [...(b.getChild('label')!.toArray() as string[])]));
}

const LABELS = labelsOf(3000);
const INPUT = batchOf(LABELS);
const COUNTS = countsOf(LABELS);

describe('balance: exact mode', () => {
  it('under: exactly k_c rows per class, in input order, each equal to its input row', async () => {
    const out = await run(cut(INPUT, 256), { label: 'label', mode: 'exact', counts: COUNTS, seed: 1 });
    const minority = Math.min(...Object.values(COUNTS));
    expect(perClass(out)).toEqual({ a: minority, b: minority, c: minority });
    const ids = out.flatMap((b) => [...(b.getChild('id')!.toArray() as Int32Array)]);
    for (let j = 1; j < ids.length; j++) expect(ids[j]!).toBeGreaterThan(ids[j - 1]!);
    expectRowsFromInput(INPUT, out);
  });

  it('over: exactly T_c rows per class and importance weights that restore the input counts', async () => {
    const out = await run([INPUT], { label: 'label', strategy: 'over', counts: COUNTS, seed: 2, importanceWeight: 'w' });
    const majority = Math.max(...Object.values(COUNTS));
    expect(perClass(out)).toEqual({ a: majority, b: majority, c: majority });
    const weighted: Record<string, number> = {};
    for (const b of out) {
      expect(b.schema.fields.map((f) => f.name)).toEqual(['id', 'label', 'x', 'note', 'w']);
      expect(b.schema.fields[4]!.type).toBeInstanceOf(Float64);
      const w = b.getChild('w')!.toArray() as Float64Array;
      const labels = b.getChild('label')!.toArray() as string[];
      labels.forEach((l, j) => (weighted[l] = (weighted[l] ?? 0) + w[j]!));
    }
    for (const [l, n] of Object.entries(COUNTS)) expect(weighted[l]).toBeCloseTo(n, 6);
  });

  it('matches integer classes by their string form: counts and targets { "3": n }', async () => {
    const labels = Int32Array.from({ length: 60 }, (_, i) => (i % 6 === 0 ? 3 : 1));
    const batch = tableFromArrays({ label: labels }).batches[0]!;
    const out = await run([batch], { label: 'label', counts: { '1': 50, '3': 10 }, target: { '1': 20 }, seed: 3 });
    const got = out.flatMap((b) => [...(b.getChild('label')!.toArray() as Int32Array)]);
    expect(got.filter((v) => v === 1)).toHaveLength(20);
    expect(got.filter((v) => v === 3)).toHaveLength(10);
  });

  it('routes wrong counts to the error channel, naming the class and numbers', async () => {
    await expect(run([INPUT], { label: 'label', counts: { ...COUNTS, a: COUNTS['a']! - 1 }, seed: 1 })).rejects.toThrow(
      `arrow-balance: class "a" has more rows than the ${COUNTS['a']! - 1} given in "counts"`,
    );
    await expect(run([INPUT], { label: 'label', counts: { ...COUNTS, c: COUNTS['c']! + 5 }, seed: 1 })).rejects.toThrow(
      `class "c" had ${COUNTS['c']} rows in the input but "counts" said ${COUNTS['c']! + 5}`,
    );
  });

  it('reports a missing label column when data arrives', async () => {
    await expect(run([INPUT], { label: 'nope', counts: COUNTS })).rejects.toThrow(/^arrow-balance: .*"nope"/);
  });
});

describe('balance: determinism', () => {
  const modes: [string, BalanceOptions][] = [
    ['exact under', { label: 'label', counts: COUNTS, seed: 11, importanceWeight: 'w' }],
    ['exact over', { label: 'label', counts: COUNTS, strategy: 'over', seed: 11 }],
    ['exact hybrid', { label: 'label', counts: COUNTS, strategy: 'hybrid', target: { proportions: { a: 0.4, b: 0.3, c: 0.3 } }, seed: 11 }],
    ['online under', { label: 'label', mode: 'online', seed: 11, importanceWeight: 'w' }],
    ['online over', { label: 'label', mode: 'online', strategy: 'over', seed: 11 }],
    ['reservoir under', { label: 'label', seed: 11, capacity: 500 }],
  ];
  for (const [name, options] of modes) {
    it(`${name}: byte-identical output for one batch or batches of 1, 7, 1000 rows; another seed differs`, async () => {
      const whole = bytes(await run([INPUT], options));
      for (const size of [1, 7, 1000]) expect(bytes(await run(cut(INPUT, size), options))).toEqual(whole);
      expect(bytes(await run([INPUT], { ...options, seed: 12 }))).not.toEqual(whole);
    });
  }

  it('without a seed, each subscription draws its own sample', async () => {
    const op = balance({ label: 'label', counts: COUNTS });
    const first = bytes(await lastValueFrom(of(INPUT).pipe(op, toArray())));
    const second = bytes(await lastValueFrom(of(INPUT).pipe(op, toArray())));
    expect(second).not.toEqual(first);
  });
});

describe('balance: options fail fast', () => {
  const two = { a: 10, b: 5 };
  const bad: [string, unknown, RegExp][] = [
    ['no label', { counts: two }, /option "label" must name the label column/],
    ['unknown option', { label: 'y', seeed: 1 }, /balance\(\) has no option "seeed"/],
    ['strategy', { label: 'y', strategy: 'sideways' }, /option "strategy" is "sideways"; use one of "under", "over", "hybrid"/],
    ['mode', { label: 'y', mode: 'fast' }, /option "mode" is "fast"/],
    ['nulls', { label: 'y', nulls: 'keep' }, /option "nulls" is "keep"/],
    ['exact without counts', { label: 'y', mode: 'exact' }, /mode "exact" needs option "counts"/],
    ['counts outside exact', { label: 'y', mode: 'online', counts: two }, /option "counts" is used only by mode "exact", not "online"/],
    ['negative count', { label: 'y', counts: { a: -1, b: 5 } }, /option "counts" gives class "a" -1 rows/],
    ['unknown class', { label: 'y', counts: two, target: { z: 3 } }, /names class "z" but the label has no such class; classes are: a \(10 rows\), b \(5 rows\)/],
    ['under above n_c', { label: 'y', counts: two, target: { a: 11 } }, /asks class "a" for 11 rows but it has only 10/],
    ['over below n_c', { label: 'y', counts: two, strategy: 'over', target: { a: 9 } }, /asks class "a" for 9 rows but it already has 10/],
    ['ratio, three classes', { label: 'y', counts: { ...two, c: 1 }, target: 0.5 }, /ratio 0.5 needs exactly two classes but the counts have 3/],
    ['ratio out of range', { label: 'y', counts: two, target: 2 }, /ratio is 2; a ratio n_minority \/ n_majority must be in \(0, 1\]/],
    ['one class', { label: 'y', counts: { a: 10 } }, /needs at least two classes but the counts have 1: "a" \(10 rows\)/],
    ['proportions sum', { label: 'y', counts: two, strategy: 'hybrid', target: { proportions: { a: 0.5, b: 0.6 } } }, /proportions sum to 1.1/],
    ['capacity', { label: 'y', capacity: 0 }, /option "capacity" is 0; give a positive integer/],
    ['capacity outside reservoir', { label: 'y', counts: two, capacity: 10 }, /option "capacity" is used only by mode "reservoir", not "exact"/],
    ['window', { label: 'y', window: 1.5 }, /option "window" is 1.5/],
    ['seed', { label: 'y', seed: Number.NaN }, /option "seed" is NaN/],
    ['importanceWeight', { label: 'y', importanceWeight: 'y' }, /option "importanceWeight" must be a new column name other than the label "y"/],
    ['online target', { label: 'y', mode: 'online', target: 'majority' }, /"majority" needs class counts, which mode "online" never has/],
  ];
  for (const [name, options, message] of bad) {
    it(`${name}: throws when balance() is called`, () => {
      expect(() => balance(options as BalanceOptions)).toThrow(message);
      expect(() => balance(options as BalanceOptions)).toThrow(/^arrow-balance: /);
    });
  }
});

describe('balance: RxJS contract', () => {
  const online: BalanceOptions = { label: 'label', mode: 'online', strategy: 'over', seed: 4 };

  it('propagates a source error after the rows before it', async () => {
    const boom = new Error('boom');
    const seen: RecordBatch[] = [];
    const done = new Promise<unknown>((resolve) => {
      concat(of(INPUT), throwError(() => boom)).pipe(balance(online)).subscribe({ next: (b) => seen.push(b), error: resolve });
    });
    expect(await done).toBe(boom);
    expect(seen.length).toBe(1);
  });

  it('completes without values on an empty source (online, reservoir); exact reports the missing rows', async () => {
    expect(await lastValueFrom(EMPTY.pipe(balance(online), toArray()))).toEqual([]);
    expect(await lastValueFrom(EMPTY.pipe(balance({ label: 'label' }), toArray()))).toEqual([]);
    await expect(lastValueFrom(EMPTY.pipe(balance({ label: 'label', counts: COUNTS }), toArray()))).rejects.toThrow(
      /class "a" had 0 rows in the input but "counts" said/,
    );
  });

  it('unsubscribes from the source on early unsubscribe and emits nothing after', () => {
    const source = new Subject<RecordBatch>();
    const seen: RecordBatch[] = [];
    const sub = source.pipe(balance(online)).subscribe((b) => seen.push(b));
    source.next(INPUT);
    expect(source.observed).toBe(true);
    sub.unsubscribe();
    expect(source.observed).toBe(false);
    source.next(INPUT);
    expect(seen).toHaveLength(1);
  });

  it('stops a synchronous source cut by take', () => {
    const emitted: number[] = [];
    const sync = new Observable<RecordBatch>((subscriber) => {
      for (let i = 0; i < 100 && !subscriber.closed; i++) {
        emitted.push(i);
        subscriber.next(INPUT.slice(0, 100));
      }
      subscriber.complete();
    });
    const seen: RecordBatch[] = [];
    sync.pipe(balance(online), take(2)).subscribe((b) => seen.push(b));
    expect(seen).toHaveLength(2);
    expect(emitted).toEqual([0, 1]);
  });

  it('gives two subscriptions of one operator separate state', async () => {
    const source = new Subject<RecordBatch>();
    const op = balance({ label: 'label', counts: COUNTS, seed: 9 });
    const a = lastValueFrom(source.pipe(op, toArray()));
    const b = lastValueFrom(source.pipe(op, toArray()));
    for (const part of cut(INPUT, 500)) source.next(part);
    source.complete();
    const [first, second] = await Promise.all([a, b]);
    expect(bytes(second)).toEqual(bytes(first));
    expect(perClass(first)['c']).toBe(COUNTS['c']);
  });
});

describe('balance: properties (fast-check)', () => {
  it('every output row exists in the input; exact counts match the targets; batch cuts do not matter', async () => {
    const labels = fc.array(fc.constantFrom('a', 'b', 'b', 'c', 'c', 'c', 'c'), { minLength: 2, maxLength: 120 });
    const strategy = fc.constantFrom('under' as const, 'over' as const, 'hybrid' as const);
    const mode = fc.constantFrom('exact' as const, 'online' as const, 'reservoir' as const);
    await fc.assert(
      fc.asyncProperty(labels, strategy, mode, fc.integer({ min: 1, max: 50 }), fc.integer(), async (ls, strat, m, size, seed) => {
        const counts = countsOf(ls);
        fc.pre(Object.keys(counts).length >= 2);
        const input = batchOf(ls);
        const options: BalanceOptions = {
          label: 'label',
          strategy: strat,
          mode: m,
          seed,
          ...(m === 'exact' ? { counts } : {}),
        };
        const whole = await run([input], options);
        expectRowsFromInput(input, whole);
        const parts = await run(cut(input, size), options);
        if (whole.length > 0) expect(bytes(parts)).toEqual(bytes(whole));
        else expect(parts).toEqual([]);
        if (m !== 'online') {
          const targets = resolveTargets(ClassCounts.fromEntries(Object.entries(counts)), strat, undefined);
          const want = Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, targets.get(k) ?? n]));
          expect(perClass(whole)).toEqual(Object.fromEntries(Object.entries(want).filter(([, n]) => n > 0)));
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
