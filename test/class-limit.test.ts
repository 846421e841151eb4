import { Dictionary, Int32, Int64, RecordBatch, Utf8, vectorFromArray } from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import { lastValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { balance } from '../operators/balance.js';
import { countClasses } from '../operators/count-classes.js';
import { weight } from '../operators/weight.js';
import { LabelCoder } from '../src/classes/label-coder.js';
import { balanceParquet } from '../src/jobs/balance-parquet.js';
import { countParquet } from '../src/jobs/count-parquet.js';
import { weightParquet } from '../src/jobs/weight-parquet.js';
import { trainingBatches } from '../src/train/training-batches.js';

function labels(type: DataType, values: unknown[]): RecordBatch {
  const data = (vectorFromArray(values as never[], type as never) as Vector).data[0]!;
  return new RecordBatch({ x: (vectorFromArray(values.map((_, i) => i)) as Vector).data[0]!, y: data });
}

/** The message of the error `work` throws. */
function messageOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

const LIMIT_MESSAGE = /^arrow-balance: label column "y" has more than 3 distinct values \(4 in the first (\d+) rows\); is it an id\? choose the class column \(label, --label\) or raise the limit \(maxClasses, --max-classes\)$/;

describe('maxClasses: the coder stops at the value one class too many', () => {
  it('accepts exactly maxClasses classes, and names the row of the next one, counting earlier batches', () => {
    const coder = new LabelCoder({ label: 'y', maxClasses: 3 });
    expect([...coder.encode(labels(new Int32(), [7, 8, 7, 9, 9]))]).toEqual([0, 1, 0, 2, 2]);
    const message = messageOf(() => coder.encode(labels(new Int32(), [9, 8, 7, 10, 11, 12])));
    expect(message).toMatch(LIMIT_MESSAGE);
    expect(LIMIT_MESSAGE.exec(message)?.[1]).toBe('9'); // 5 rows of the first batch, then the 4th row of the second
    expect(coder.classCount).toBe(3);
  });

  it.each([
    ['int64', new Int64(), [1n, 2n ** 60n, 3n, 1n, 2n ** 60n + 1n, 5n]],
    ['string', new Utf8(), ['a', 'b', 'c', 'a', 'd', 'e']],
    ['dictionary', new Dictionary(new Utf8(), new Int32()), ['a', 'b', 'c', 'a', 'd', 'e']],
  ] as const)('stops %s labels at row 5', (_name, type, values) => {
    const coder = new LabelCoder({ label: 'y', maxClasses: 3 });
    expect(LIMIT_MESSAGE.exec(messageOf(() => coder.encode(labels(type, [...values]))))?.[1]).toBe('5');
  });

  it('counts null as a class under nulls: class', () => {
    const coder = new LabelCoder({ label: 'y', nulls: 'class', maxClasses: 3 });
    expect(LIMIT_MESSAGE.exec(messageOf(() => coder.encode(labels(new Utf8(), ['a', null, 'b', 'a', null, 'c']))))?.[1]).toBe('6');
  });

  it('defaults to 100,000 classes', () => {
    const coder = new LabelCoder({ label: 'y' });
    expect(coder.maxClasses).toBe(100_000);
    const ids = Array.from({ length: 100_001 }, (_, i) => i * 3);
    expect(messageOf(() => coder.encode(labels(new Int32(), ids)))).toMatch(/more than 100,000 distinct values \(100,001 in the first 100,001 rows\)/);
    expect(new LabelCoder({ label: 'y' }).encode(labels(new Int32(), ids.slice(0, 100_000))).length).toBe(100_000);
  });
});

describe('maxClasses: options are checked before any data', () => {
  const bad: ReadonlyArray<[string, unknown]> = [['0', 0], ['-1', -1], ['1.5', 1.5], ['NaN', Number.NaN], ['Infinity', Infinity], ['2^24 + 1', 2 ** 24 + 1], ['a string', '10']];
  const rangeError = /^arrow-balance: option "maxClasses" is .*; give the most distinct label values to accept, a whole number from 1 to 16777216 \(default 100000\)$/;

  it.each(bad)('operators refuse %s with a RangeError naming the option', (_name, maxClasses) => {
    const options = { label: 'y', maxClasses: maxClasses as number };
    for (const make of [() => countClasses(options), () => balance({ ...options, mode: 'reservoir' }), () => weight(options)]) {
      expect(make).toThrow(RangeError);
      expect(make).toThrow(rangeError);
    }
    expect(() => new LabelCoder(options)).toThrow(rangeError);
    expect(() => trainingBatches('missing.parquet', { ...options, features: ['x'], batchSize: 1 })).toThrow(rangeError);
  });

  it('Parquet jobs refuse it before opening their input (the input does not exist)', async () => {
    const options = { label: 'y', maxClasses: 0 };
    await expect(countParquet('no-such-input.parquet', options)).rejects.toThrow(rangeError);
    await expect(balanceParquet('no-such-input.parquet', 'no-such-output.parquet', options)).rejects.toThrow(rangeError);
    await expect(weightParquet('no-such-input.parquet', 'no-such-output.parquet', options)).rejects.toThrow(rangeError);
  });

  it('accepts 1 and 2^24', () => {
    expect(new LabelCoder({ label: 'y', maxClasses: 1 }).maxClasses).toBe(1);
    expect(new LabelCoder({ label: 'y', maxClasses: 2 ** 24 }).maxClasses).toBe(2 ** 24);
  });
});

describe('maxClasses in the operators', () => {
  const ids = labels(new Int32(), [1, 2, 3, 4, 5, 6]);

  it('countClasses, balance and weight send the error down the error channel', async () => {
    await expect(lastValueFrom(of(ids).pipe(countClasses({ label: 'y', maxClasses: 3 })))).rejects.toThrow(LIMIT_MESSAGE);
    await expect(lastValueFrom(of(ids).pipe(balance({ label: 'y', mode: 'reservoir', maxClasses: 3 }), toArray()))).rejects.toThrow(LIMIT_MESSAGE);
    await expect(lastValueFrom(of(ids).pipe(balance({ label: 'y', mode: 'online', maxClasses: 3 }), toArray()))).rejects.toThrow(LIMIT_MESSAGE);
    await expect(lastValueFrom(of(ids).pipe(weight({ label: 'y', maxClasses: 3 }), toArray()))).rejects.toThrow(LIMIT_MESSAGE);
  });

  it('a raised limit lets them through', async () => {
    const counts = await lastValueFrom(of(ids).pipe(countClasses({ label: 'y', maxClasses: 6 })));
    expect(counts.size).toBe(6);
    const weighted = await lastValueFrom(of(ids).pipe(weight({ label: 'y', maxClasses: 6 }), toArray()));
    expect(weighted[0]?.numRows).toBe(6);
  });
});
