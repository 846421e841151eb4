import { Bool, Int64, RecordBatch, Utf8, vectorFromArray } from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import { EMPTY, Observable, Subject, concat, from, last, lastValueFrom, of, take, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { countClasses } from '../operators/count-classes.js';
import { ClassCounts } from '../src/classes/class-counts.js';
import { ArrowBalanceError } from '../src/errors.js';

function batch(type: DataType, values: unknown[], name = 'label'): RecordBatch {
  const data = (vectorFromArray(values as never[], type as never) as Vector).data[0]!;
  return new RecordBatch({ x: (vectorFromArray(values.map((_, i) => i)) as Vector).data[0]!, [name]: data });
}

const b1 = batch(new Utf8(), ['buy', 'skip', 'buy', 'buy']);
const b2 = batch(new Utf8(), ['skip', 'skip', 'maybe']);

function json(counts: ClassCounts[]): unknown[] {
  return counts.map((c) => c.toJSON());
}

describe('countClasses', () => {
  it('emits the running counts after each batch, in value order', async () => {
    const out = await lastValueFrom(from([b1, b2]).pipe(countClasses({ label: 'label' }), toArray()));
    expect(json(out)).toEqual([
      { total: 4, classes: [{ value: 'buy', count: 3 }, { value: 'skip', count: 1 }] },
      { total: 7, classes: [{ value: 'buy', count: 3 }, { value: 'maybe', count: 1 }, { value: 'skip', count: 3 }] },
    ]);
    const total = await lastValueFrom(from([b1, b2]).pipe(countClasses({ label: 'label' }), last()));
    expect(total.count('skip')).toBe(3);
  });

  it('writes integers as numbers (strings beyond 2^53), booleans, null, in value order', async () => {
    const ints = batch(new Int64(), [2n ** 60n, 3n, null, -5n, 3n, 2n ** 53n]);
    const counts = await lastValueFrom(of(ints).pipe(countClasses({ label: 'label', nulls: 'class' })));
    expect(JSON.stringify(counts)).toBe(
      '{"total":6,"classes":[{"value":null,"count":1},{"value":-5,"count":1},{"value":3,"count":2},'
      + '{"value":9007199254740992,"count":1},{"value":"1152921504606846976","count":1}]}');
    const bools = await lastValueFrom(of(batch(new Bool(), [true, false, null, true])).pipe(countClasses({ label: 'label', nulls: 'drop' })));
    expect(JSON.stringify(bools)).toBe('{"total":3,"classes":[{"value":false,"count":1},{"value":true,"count":2}]}');
  });

  it('gives counts of shards that merge by addition into the counts of the whole', async () => {
    const shardA = await lastValueFrom(of(b1).pipe(countClasses({ label: 'label' })));
    const shardB = await lastValueFrom(of(b2).pipe(countClasses({ label: 'label' })));
    const whole = await lastValueFrom(from([b1, b2]).pipe(countClasses({ label: 'label' }), last()));
    expect(shardA.merge(shardB).toJSON()).toEqual(whole.toJSON());
  });

  it('passes a source error through after the counts so far', async () => {
    const seen: unknown[] = [];
    const error = await new Promise((resolve) => {
      concat(of(b1), throwError(() => new Error('disk on fire'))).pipe(countClasses({ label: 'label' }))
        .subscribe({ next: (c) => seen.push(c.total), error: resolve, complete: () => resolve('completed') });
    });
    expect(seen).toEqual([4]);
    expect((error as Error).message).toBe('disk on fire');
  });

  it('routes label errors to the error channel and stops', async () => {
    const seen: unknown[] = [];
    const wrong = batch(new Utf8(), ['a'], 'y');
    const error = await new Promise((resolve) => {
      from([b1, wrong, b2]).pipe(countClasses({ label: 'label' }))
        .subscribe({ next: (c) => seen.push(c.total), error: resolve, complete: () => resolve('completed') });
    });
    expect(seen).toEqual([4]);
    expect(error).toBeInstanceOf(ArrowBalanceError);
    expect((error as Error).message).toBe('arrow-balance: label column "label" not found; columns are: x, y');
    const nulls = await new Promise((resolve) => {
      of(batch(new Utf8(), ['a', null])).pipe(countClasses({ label: 'label' })).subscribe({ error: resolve });
    });
    expect((nulls as Error).message).toMatch(/has 1 null value in a batch of 2 rows; skip those rows \(nulls: 'drop', --nulls drop\)/);
  });

  it('validates options when the operator is created', () => {
    expect(() => countClasses({ label: '' })).toThrow(TypeError);
    expect(() => countClasses({ label: 'label', nulls: 'maybe' as 'drop' })).toThrow(/option "nulls" must be 'error', 'drop' or 'class'/);
  });

  it('unsubscribes from the source on early unsubscribe and emits nothing more', () => {
    const source = new Subject<RecordBatch>();
    const seen: number[] = [];
    const subscription = source.pipe(countClasses({ label: 'label' })).subscribe((c) => seen.push(c.total));
    source.next(b1);
    expect(source.observed).toBe(true);
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
    source.next(b2);
    expect(seen).toEqual([4]);
  });

  it('emits nothing and completes for an empty source', async () => {
    let completed = false;
    const seen: unknown[] = [];
    EMPTY.pipe(countClasses({ label: 'label' })).subscribe({ next: (c) => seen.push(c), complete: () => { completed = true; } });
    expect(seen).toEqual([]);
    expect(completed).toBe(true);
  });

  it('stops a synchronous source when cut by take', () => {
    let produced = 0;
    const endless = new Observable<RecordBatch>((subscriber) => {
      while (!subscriber.closed && produced < 10000) {
        produced++;
        subscriber.next(b1);
      }
    });
    const seen: number[] = [];
    endless.pipe(countClasses({ label: 'label' }), take(2)).subscribe((c) => seen.push(c.total));
    expect(seen).toEqual([4, 8]);
    expect(produced).toBeLessThanOrEqual(3);
  });

  it('keeps no state between subscriptions', async () => {
    const counted = from([b1, b2]).pipe(countClasses({ label: 'label' }), last());
    const first = await lastValueFrom(counted);
    const second = await lastValueFrom(counted);
    expect(second.toJSON()).toEqual(first.toJSON());
    expect(second.total).toBe(7);
  });

  it('emits (empty) counts for a batch with no rows, after checking its label column', async () => {
    const empty = batch(new Utf8(), []);
    const counts = await lastValueFrom(of(empty).pipe(countClasses({ label: 'label' })));
    expect(counts.toJSON()).toEqual({ total: 0, classes: [] });
  });
});
