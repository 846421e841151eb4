import { Float32, Float64, RecordBatch, Schema, Type, tableFromArrays } from 'apache-arrow';
import { EMPTY, Observable, Subject, concat, from, lastValueFrom, of, take, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { weight } from '../operators/weight.js';
import type { WeightOptions } from '../operators/weight.js';
import { ClassCounts } from '../src/classes/class-counts.js';
import { ArrowBalanceError } from '../src/errors.js';

/** A batch with an id per row (numbered from `first`), the labels, and schema metadata. */
function batchOf(labels: ReadonlyArray<string | null>, first = 0, extra: Record<string, Float64Array> = {}): RecordBatch {
  const table = tableFromArrays({
    id: Int32Array.from(labels, (_, i) => first + i),
    label: labels as string[],
    ...extra,
  });
  const schema = new Schema(table.schema.fields, new Map([['source', 'test']]));
  return new RecordBatch(schema, table.batches[0]!.data);
}

function run(batches: RecordBatch[], options: WeightOptions): Promise<RecordBatch[]> {
  return lastValueFrom(from(batches).pipe(weight(options), toArray()));
}

function column(batch: RecordBatch, name: string): number[] {
  return [...(batch.getChild(name)!.toArray() as Float32Array | Float64Array)];
}

/** What a subscription ends with: the values seen, then the error or 'completed'. */
function outcome<T>(source: Observable<T>, map: (value: T) => unknown): Promise<{ seen: unknown[]; end: unknown }> {
  const seen: unknown[] = [];
  return new Promise((resolve) => {
    source.subscribe({
      next: (value) => seen.push(map(value)),
      error: (end: unknown) => resolve({ seen, end }),
      complete: () => resolve({ seen, end: 'completed' }),
    });
  });
}

// 100 rows: 90 a, 9 b, 1 c; balanced weights 100/270, 100/27, 100/3
const LABELS = [...Array<string>(45).fill('a'), ...Array<string>(9).fill('b'), ...Array<string>(45).fill('a'), 'c'];
const BATCHES = [batchOf(LABELS.slice(0, 40)), batchOf(LABELS.slice(40, 70), 40), batchOf(LABELS.slice(70), 70)];
const EXACT = { a: 100 / 270, b: 100 / 27, c: 100 / 3 } as Record<string, number>;

describe('weight: exact weights from given counts', () => {
  it('weights every row exactly from the first row on (Float32), keeping schema, metadata and rows', async () => {
    const out = await run(BATCHES, { label: 'label', counts: { a: 90, b: 9, c: 1 } });
    expect(out.map((b) => b.numRows)).toEqual([40, 30, 30]);
    // the first batch holds only class a, yet its weight is already the final one
    expect(column(out[0]!, 'weight')).toEqual(Array(40).fill(Math.fround(100 / 270)));
    const all = out.flatMap((b) => column(b, 'weight'));
    expect(all).toEqual(LABELS.map((l) => Math.fround(EXACT[l]!)));
    const batch = out[1]!;
    expect(batch.schema.fields.map((f) => f.name)).toEqual(['id', 'label', 'weight']);
    const field = batch.schema.fields[2]!;
    expect(field.type).toBeInstanceOf(Float32);
    expect(field.nullable).toBe(false);
    expect(batch.schema.metadata.get('source')).toBe('test');
    expect([...(batch.getChild('id')!.toArray() as Int32Array)]).toEqual(Array.from({ length: 30 }, (_, i) => 40 + i));
    // weighted rows add up to N (up to Float32 rounding)
    expect(all.reduce((s, w) => s + w, 0)).toBeCloseTo(100, 4);
  });

  it('writes Float64 on request, with the exact double weights', async () => {
    const out = await run(BATCHES, { label: 'label', counts: ClassCounts.fromEntries([['a', 90], ['b', 9], ['c', 1]]), type: 'float64' });
    expect(out[0]!.schema.fields[2]!.type).toBeInstanceOf(Float64);
    expect(out.flatMap((b) => column(b, 'weight'))).toEqual(LABELS.map((l) => EXACT[l]));
    expect(out[2]!.getChild('weight')!.toArray()).toBeInstanceOf(Float64Array);
  });

  it('applies the other schemes with counts: sqrt, effective, manual', async () => {
    const sqrt = await run(BATCHES, { label: 'label', counts: { a: 90, b: 9, c: 1 }, scheme: 'sqrt', type: 'float64' });
    // s = 100 / (sqrt 90 + 3 + 1) = 7.414639; w = s / sqrt(n)
    expect(column(sqrt[0]!, 'weight')[0]).toBeCloseTo(7.414639 / Math.sqrt(90), 6);
    expect(column(sqrt[2]!, 'weight').at(-1)).toBeCloseTo(7.414639, 6);
    const effective = await run([batchOf(['a', 'b', 'a', 'c', 'b', 'a'])], { label: 'label', counts: { a: 3, b: 2, c: 1 }, scheme: 'effective', beta: 0.5, type: 'float64' });
    // raw 4/7, 2/3, 1, rescaled to sum 3: 36/47, 42/47, 63/47
    const e = column(effective[0]!, 'weight');
    [36, 42, 36, 63, 42, 36].forEach((k, i) => expect(e[i]).toBeCloseTo(k / 47, 14));
    const manual = await run(BATCHES.slice(0, 1), { label: 'label', classWeights: { a: 0.25, b: 0.75, c: 2 } });
    expect(column(manual[0]!, 'weight')).toEqual(Array(40).fill(0.25));
  });

  it('matches integer classes by classKey ({ "-1": n } names the class -1)', async () => {
    const batch = tableFromArrays({ label: Int32Array.from([-1, 1, -1, -1]) }).batches[0]!;
    const [out] = await run([batch], { label: 'label', counts: { '-1': 10923, '1': 260 }, type: 'float64' });
    expect(column(out!, 'weight')).toEqual([11183 / 21846, 11183 / 520, 11183 / 21846, 11183 / 21846]);
  });

  it('errors when the data contradict the counts: a class without rows in counts, or more rows than counted', async () => {
    const missing = await outcome(from(BATCHES).pipe(weight({ label: 'label', counts: { a: 90, b: 9 } })), (b) => b.numRows);
    expect(missing.seen).toEqual([40, 30]);
    expect(missing.end).toBeInstanceOf(ArrowBalanceError);
    expect((missing.end as Error).message).toMatch(/^arrow-balance: class "c" appears in the data but option "counts" has no rows for it/);
    const beyond = await outcome(from(BATCHES).pipe(weight({ label: 'label', counts: { a: 90, b: 8, c: 1 } })), (b) => b.numRows);
    expect(beyond.seen).toEqual([40]);
    expect((beyond.end as Error).message).toMatch(/class "b" has more rows than option "counts" gives it \(9 seen, 8 given\)/);
  });

  it('manual weights without counts: a class without a weight is an error naming it', async () => {
    const result = await outcome(from(BATCHES).pipe(weight({ label: 'label', classWeights: { a: 1, b: 2 } })), (b) => column(b, 'weight')[0]);
    expect(result.seen).toEqual([1, 1]);
    expect((result.end as Error).message).toBe(
      'arrow-balance: class "c" appears in the data but option "classWeights" (--class-weight) gives it no weight (it gives "a", "b"); give every class a weight',
    );
  });
});

describe('weight: running weights without counts', () => {
  it('weights each batch from the counts so far, this batch included', async () => {
    const out = await run([batchOf(['a', 'a', 'b']), batchOf(['a', 'c'])], { label: 'label', type: 'float64' });
    // after batch 1: a 2, b 1 (N 3, K 2): a 3/4, b 3/2
    expect(column(out[0]!, 'weight')).toEqual([3 / 4, 3 / 4, 3 / 2]);
    // after batch 2: a 3, b 1, c 1 (N 5, K 3): a 5/9, c 5/3
    expect(column(out[1]!, 'weight')).toEqual([5 / 9, 5 / 3]);
  });

  it('converges to the exact weights once the stream is seen', async () => {
    const out = await run(BATCHES, { label: 'label', type: 'float64' });
    expect(column(out[0]!, 'weight')).toEqual(Array(40).fill(1)); // one class so far: weight 1
    expect(column(out[2]!, 'weight').at(-1)).toBe(100 / 3);
    expect(column(out[2]!, 'weight')[0]).toBe(100 / 270);
  });

  it('keeps no state between subscriptions', async () => {
    const weighted = from([batchOf(['a', 'a', 'b']), batchOf(['b'])]).pipe(weight({ label: 'label', type: 'float64' }), toArray());
    const first = await lastValueFrom(weighted);
    const second = await lastValueFrom(weighted);
    expect(column(second[1]!, 'weight')).toEqual([1]); // a 2, b 2
    expect(second.map((b) => column(b, 'weight'))).toEqual(first.map((b) => column(b, 'weight')));
  });
});

describe('weight: columns', () => {
  const withWeight = batchOf(['a', 'b'], 0, { weight: Float64Array.from([7, 7]) });

  it('refuses to overwrite an existing column unless replace: true', async () => {
    const clash = await outcome(of(withWeight).pipe(weight({ label: 'label' })), (b) => b.numRows);
    expect(clash.seen).toEqual([]);
    expect((clash.end as Error).message).toBe(
      'arrow-balance: the input already has a column "weight"; name the weight column otherwise (option "column", --column) or overwrite it (replace: true, --replace)',
    );
    const [replaced] = await run([withWeight], { label: 'label', replace: true, counts: { a: 1, b: 1 } });
    expect(replaced!.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['id:Int32', 'label:Dictionary<Int32, Utf8>', 'weight:Float32']);
    expect(column(replaced!, 'weight')).toEqual([1, 1]);
    const [renamed] = await run([withWeight], { label: 'label', column: 'w', counts: { a: 1, b: 3 } });
    expect(column(renamed!, 'weight')).toEqual([7, 7]);
    expect(column(renamed!, 'w')).toEqual([2, Math.fround(4 / 6)]);
  });
});

describe('weight: null labels', () => {
  const withNulls = batchOf(['a', null, 'b', 'a', null]);

  it("'error' (default): an error giving the count and the options", async () => {
    const result = await outcome(of(withNulls).pipe(weight({ label: 'label' })), (b) => b.numRows);
    expect(result.seen).toEqual([]);
    expect((result.end as Error).message).toMatch(/label column "label" has 2 null values in a batch of 5 rows; skip those rows \(nulls: 'drop', --nulls drop\)/);
  });

  it("'drop': the null-label rows are removed, the others keep their columns and weights", async () => {
    const [out] = await run([withNulls], { label: 'label', nulls: 'drop', type: 'float64' });
    expect(out!.numRows).toBe(3);
    expect([...(out!.getChild('id')!.toArray() as Int32Array)]).toEqual([0, 2, 3]);
    expect([...out!.getChild('label')!]).toEqual(['a', 'b', 'a']);
    expect(column(out!, 'weight')).toEqual([3 / 4, 3 / 2, 3 / 4]); // a 2, b 1
    const [exact] = await run([withNulls], { label: 'label', nulls: 'drop', counts: { a: 2, b: 1 }, type: 'float64' });
    expect(column(exact!, 'weight')).toEqual([3 / 4, 3 / 2, 3 / 4]);
  });

  it("'class': null is a class with its own weight", async () => {
    const [out] = await run([withNulls], { label: 'label', nulls: 'class', counts: { a: 2, b: 1, null: 2 }, type: 'float64' });
    expect(out!.numRows).toBe(5);
    // N 5, K 3: a 5/6, null 5/6, b 5/3
    expect(column(out!, 'weight')).toEqual([5 / 6, 5 / 6, 5 / 3, 5 / 6, 5 / 6]);
  });
});

describe('weight: RxJS contract', () => {
  it('validates options when the operator is created, naming the option', () => {
    expect(() => weight({ label: '' })).toThrow(TypeError);
    expect(() => weight({ label: 'label', nulls: 'skip' as never })).toThrow(/option "nulls"/);
    expect(() => weight({ label: 'label', type: 'float16' as never })).toThrow(RangeError);
    expect(() => weight({ label: 'label', type: 'float16' as never })).toThrow(/option "type" is "float16"; use 'float32' or 'float64'/);
    expect(() => weight({ label: 'label', column: '' })).toThrow(/option "column" must be a non-empty column name/);
    expect(() => weight({ label: 'label', column: 'label', replace: true })).toThrow(/option "column" is "label", the label column/);
    expect(() => weight({ label: 'label', scheme: 'effective', beta: 1 })).toThrow(RangeError);
    expect(() => weight({ label: 'label', beta: 0.5 })).toThrow(TypeError);
    expect(() => weight({ label: 'label', counts: { a: -2 } })).toThrow(/option "counts" gives class "a" -2 rows/);
    expect(() => weight({ label: 'label', replace: 'yes' as never })).toThrow(/option "replace" must be true or false/);
    expect(() => weight({ label: 'label', weights: {} } as never)).toThrow(/weight\(\) has no option "weights"/);
    // manual weights must cover every class of the counts, checked at creation
    expect(() => weight({ label: 'label', counts: { a: 1, b: 1 }, classWeights: { a: 1 } })).toThrow(/class "b" has 1 row but option "classWeights" \(--class-weight\) gives it no weight/);
  });

  it('passes a source error through after the batches so far', async () => {
    const result = await outcome(concat(of(BATCHES[0]!), throwError(() => new Error('disk on fire'))).pipe(weight({ label: 'label' })), (b) => b.numRows);
    expect(result.seen).toEqual([40]);
    expect((result.end as Error).message).toBe('disk on fire');
  });

  it('routes engine errors to the error channel and stops reading', async () => {
    let produced = 0;
    const source = new Observable<RecordBatch>((subscriber) => {
      for (const batch of [BATCHES[0]!, batchOf(['a'], 0).selectAt([0]), ...Array<RecordBatch>(8).fill(BATCHES[1]!)]) {
        if (subscriber.closed) return;
        produced++;
        subscriber.next(batch);
      }
      subscriber.complete();
    });
    const result = await outcome(source.pipe(weight({ label: 'label' })), (b) => b.numRows);
    expect(result.seen).toEqual([40]);
    expect((result.end as Error).message).toBe('arrow-balance: label column "label" not found; columns are: id');
    // the source checks closed before producing, so it may produce one more batch, which is not weighted
    expect(produced).toBeLessThanOrEqual(3);
  });

  it('unsubscribes from the source on early unsubscribe and emits nothing more', () => {
    const source = new Subject<RecordBatch>();
    const seen: number[] = [];
    const subscription = source.pipe(weight({ label: 'label' })).subscribe((b) => seen.push(b.numRows));
    source.next(BATCHES[0]!);
    expect(source.observed).toBe(true);
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
    source.next(BATCHES[1]!);
    expect(seen).toEqual([40]);
  });

  it('completes without output for an empty source; a batch with no rows is passed on with the column', async () => {
    expect(await lastValueFrom(EMPTY.pipe(weight({ label: 'label' }), toArray()))).toEqual([]);
    const [empty] = await run([batchOf(['a']).slice(0, 0)], { label: 'label' });
    expect(empty!.numRows).toBe(0);
    expect(empty!.schema.fields.map((f) => f.name)).toEqual(['id', 'label', 'weight']);
    expect(empty!.schema.fields[2]!.typeId).toBe(Type.Float);
  });

  it('stops a synchronous source when cut by take', () => {
    let produced = 0;
    const endless = new Observable<RecordBatch>((subscriber) => {
      while (!subscriber.closed && produced < 10000) {
        produced++;
        subscriber.next(BATCHES[0]!);
      }
    });
    const seen: number[] = [];
    endless.pipe(weight({ label: 'label' }), take(2)).subscribe((b) => seen.push(b.numRows));
    expect(seen).toEqual([40, 40]);
    expect(produced).toBeLessThanOrEqual(3);
  });
});
