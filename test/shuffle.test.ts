import { RecordBatch, Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { EMPTY, Observable, Subject, concat, firstValueFrom, from, take, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { shuffle } from '../operators/shuffle.js';
import { concatBatches } from '../src/arrow/concat.js';
import { seededRandom } from '../src/random.js';
import { ShuffleBuffer } from '../src/sampling/shuffle.js';

/** A batch of rows `ids` with an Int32 id, a string (`r<id>`) and a nullable float (null when id % 5 == 0). */
function rows(ids: readonly number[]): RecordBatch {
  const table = tableFromArrays({
    id: Int32Array.from(ids),
    name: ids.map((i) => `r${i}`),
    x: ids.map((i) => (i % 5 === 0 ? null : i / 2)),
  });
  return (table.batches.length === 1 ? table.batches[0] : concatBatches(table.batches)) as RecordBatch;
}

/** Slices a batch (or one made of `ids`) into batches of `size` rows (`Infinity` = one batch). */
function batchesOf(ids: readonly number[] | RecordBatch, size: number): RecordBatch[] {
  const whole = ids instanceof RecordBatch ? ids : rows(ids);
  const out: RecordBatch[] = [];
  const step = Number.isFinite(size) ? size : whole.numRows;
  for (let i = 0; i < whole.numRows; i += step) out.push(whole.slice(i, i + step));
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function idsOf(batches: readonly RecordBatch[]): number[] {
  return batches.flatMap((b) => Array.from(b.getChild('id')?.toArray() as Int32Array));
}

/** Runs the engine over `batches` and returns every output batch. */
function runEngine(batches: readonly RecordBatch[], bufferRows: number, seed: number | string): RecordBatch[] {
  const engine = new ShuffleBuffer(bufferRows, seededRandom(seed));
  return [...batches.flatMap((b) => engine.push(b)), ...engine.finish()];
}

describe('ShuffleBuffer', () => {
  it('emits a permutation of the input: every row once, with all its values', () => {
    const ids = range(5000);
    const out = runEngine(batchesOf(ids, 97), 300, 1);
    expect(idsOf(out).sort((a, b) => a - b)).toEqual(ids);
    expect(idsOf(out)).not.toEqual(ids);
    for (const batch of out) {
      expect(batch.schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'x']);
      const id = batch.getChild('id')?.toArray() as Int32Array;
      for (let r = 0; r < batch.numRows; r++) {
        const i = id[r] as number;
        expect(batch.getChild('name')?.get(r)).toBe(`r${i}`);
        expect(batch.getChild('x')?.get(r)).toBe(i % 5 === 0 ? null : i / 2);
      }
    }
  });

  it('keeps the buffer at bufferRows rows and held batches within 2 x bufferRows rows', () => {
    const engine = new ShuffleBuffer(200, seededRandom(3));
    let pushed = 0;
    for (const batch of batchesOf(range(20_000), 333)) {
      const out = engine.push(batch);
      pushed += batch.numRows;
      expect(engine.bufferedRows).toBe(Math.min(200, pushed));
      expect(out.reduce((n, b) => n + b.numRows, 0)).toBe(Math.max(0, pushed - 200) - Math.max(0, pushed - batch.numRows - 200));
      expect(engine.pinnedRows).toBeLessThanOrEqual(2 * 200);
    }
    expect(engine.finish().reduce((n, b) => n + b.numRows, 0)).toBe(200);
  });

  it('spreads adjacent copies of a row about bufferRows apart', () => {
    // 3000 rows each copied twice, side by side, as over-sampling emits them. A row waits in the buffer a
    // Geometric(1/B) number of steps (mean B), so two copies land |1 + D2 - D1| apart, of mean ~B and
    // standard deviation ~B. Rows near the ends (about 2B of N rows) get smaller gaps, so the expected mean
    // lies in [B (1 - 2B/N), B]; with 3000 gaps its standard error is B / sqrt(3000). Allow 5 of those.
    const B = 200;
    const ids = range(3000).flatMap((i) => [i, i]);
    const out = idsOf(runEngine(batchesOf(ids, 500), B, 11));
    const first = new Map<number, number>();
    let sum = 0;
    out.forEach((id, p) => {
      const q = first.get(id);
      if (q === undefined) first.set(id, p);
      else sum += p - q;
    });
    const mean = sum / 3000;
    const se = B / Math.sqrt(3000);
    expect(mean).toBeGreaterThan(B * (1 - (2 * B) / ids.length) - 5 * se);
    expect(mean).toBeLessThan(B + 5 * se);
  });

  it('gives a uniform random permutation when the buffer holds the whole input', () => {
    // 4 rows in batches of 1 and 3 (two held batches), buffer 8: all 24 orders are equally likely.
    // 24,000 trials: 1000 expected per order; chi-square with 23 degrees of freedom, critical value
    // 49.73 at p = 0.001.
    const batches = [rows([0]), rows([1, 2, 3])];
    const random = seededRandom('uniform');
    const counts = new Map<string, number>();
    const trials = 24_000;
    for (let t = 0; t < trials; t++) {
      const engine = new ShuffleBuffer(8, random);
      for (const b of batches) engine.push(b);
      const key = idsOf(engine.finish()).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const expected = trials / 24;
    let chi2 = 0;
    for (const n of counts.values()) chi2 += (n - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(49.73);
  });

  it('gives byte-identical rows whatever the input batch sizes', () => {
    // One source batch, so every run shares one dictionary (a new Dictionary type gets a new IPC id).
    const source = rows(range(3000));
    const bytes = (size: number): Uint8Array => tableToIPC(new Table(concatBatches(runEngine(batchesOf(source, size), 256, 'same'))));
    const whole = bytes(Infinity);
    for (const size of [1, 7, 1000]) expect(bytes(size)).toEqual(whole);
  });

  it('gives different orders for different seeds', () => {
    const batches = batchesOf(range(1000), 100);
    expect(idsOf(runEngine(batches, 100, 1))).not.toEqual(idsOf(runEngine(batches, 100, 2)));
  });

  it('rejects a bufferRows that is not a positive integer', () => {
    expect(() => new ShuffleBuffer(0, seededRandom(1))).toThrow(/bufferRows/);
    expect(() => new ShuffleBuffer(2.5, seededRandom(1))).toThrow(RangeError);
  });
});

describe('shuffle()', () => {
  const input = batchesOf(range(2000), 128);

  it('emits what the engine emits for the same seed', async () => {
    const out = await firstValueFrom(from(input).pipe(shuffle({ bufferRows: 300, seed: 5 }), toArray()));
    expect(idsOf(out)).toEqual(idsOf(runEngine(input, 300, 5)));
  });

  it('validates options at creation, naming the option', () => {
    expect(() => shuffle({ bufferRows: 0 })).toThrow(RangeError);
    expect(() => shuffle({ bufferRows: 0 })).toThrow(/arrow-balance: .*"bufferRows"/);
    expect(() => shuffle({ bufferRows: '10' as unknown as number })).toThrow(TypeError);
    expect(() => shuffle({ bufferRows: 10, seed: Number.NaN })).toThrow(/"seed"/);
    expect(() => shuffle(undefined as unknown as { bufferRows: number })).toThrow(TypeError);
  });

  it('routes a source error downstream after the rows already emitted', async () => {
    const boom = new Error('boom');
    const seen: number[] = [];
    const error = await new Promise((resolve) => {
      concat(from(input.slice(0, 5)), throwError(() => boom))
        .pipe(shuffle({ bufferRows: 100, seed: 1 }))
        .subscribe({ next: (b) => seen.push(b.numRows), error: resolve, complete: () => resolve('completed') });
    });
    expect(error).toBe(boom);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(5 * 128 - 100);
  });

  it('routes an engine error (a batch of another schema) to error', async () => {
    const other = tableFromArrays({ other: Float64Array.of(1, 2, 3) }).batches[0] as RecordBatch;
    const result = firstValueFrom(from([input[0] as RecordBatch, other]).pipe(shuffle({ bufferRows: 100, seed: 1 }), toArray()));
    await expect(result).rejects.toThrow(/arrow-balance: /);
  });

  it('unsubscribes from the source on early unsubscribe', () => {
    const source = new Subject<RecordBatch>();
    const got: RecordBatch[] = [];
    const subscription = source.pipe(shuffle({ bufferRows: 10, seed: 1 })).subscribe((b) => got.push(b));
    source.next(input[0] as RecordBatch);
    expect(got.length).toBe(1);
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
  });

  it('completes without output for an empty source', async () => {
    expect(await firstValueFrom(EMPTY.pipe(shuffle({ bufferRows: 10 }), toArray()))).toEqual([]);
  });

  it('stops a synchronous source cut by take', () => {
    const produced: number[] = [];
    const source = new Observable<RecordBatch>((subscriber) => {
      for (let i = 0; i < 1000 && !subscriber.closed; i++) {
        produced.push(i);
        subscriber.next(rows([i]));
      }
      subscriber.complete();
    });
    const got: number[] = [];
    source.pipe(shuffle({ bufferRows: 1, seed: 1 }), take(2)).subscribe((b) => got.push(...idsOf([b])));
    expect(got.length).toBe(2);
    expect(produced.length).toBeLessThanOrEqual(4);
  });

  it('shares no state between two subscriptions', () => {
    const operator = shuffle({ bufferRows: 50, seed: 9 });
    const a = new Subject<RecordBatch>();
    const b = new Subject<RecordBatch>();
    const gotA: RecordBatch[] = [];
    const gotB: RecordBatch[] = [];
    a.pipe(operator).subscribe((x) => gotA.push(x));
    b.pipe(operator).subscribe((x) => gotB.push(x));
    for (const batch of input) {
      a.next(batch);
      b.next(batch);
    }
    a.complete();
    b.complete();
    const expected = idsOf(runEngine(input, 50, 9));
    expect(idsOf(gotA)).toEqual(expected);
    expect(idsOf(gotB)).toEqual(expected);
  });
});
