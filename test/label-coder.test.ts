import {
  Bool, DateDay, Dictionary, Float16, Float32, Float64, Int16, Int32, Int64, Int8, LargeUtf8, RecordBatch, Uint16,
  Uint32, Uint64, Uint8, Utf8, makeData, vectorFromArray,
} from 'apache-arrow';
import type { Data, DataType, Vector } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ArrowBalanceError } from '../src/errors.js';
import { LabelCoder } from '../src/classes/label-coder.js';

function col(type: DataType, values: unknown[]): Data {
  const vector = vectorFromArray(values as never[], type as never) as Vector;
  return vector.data[0]!;
}

function batchOf(columns: Record<string, Data>): RecordBatch {
  return new RecordBatch(columns);
}

function labels(type: DataType, values: unknown[]): RecordBatch {
  return batchOf({ a: col(new Int32(), values.map(() => 1)), y: col(type, values) });
}

describe('LabelCoder: codes', () => {
  it('assigns codes in first-appearance order, stable across batches', () => {
    const coder = new LabelCoder({ label: 'y' });
    expect([...coder.encode(labels(new Int32(), [5, 3, 5, 0]))]).toEqual([0, 1, 0, 2]);
    expect([...coder.encode(labels(new Int32(), [0, 7, 3, 100000, -4]))]).toEqual([2, 3, 1, 4, 5]);
    expect(coder.values()).toEqual([5, 3, 0, 7, 100000, -4]);
    expect(coder.classCount).toBe(6);
    expect(coder.value(3)).toBe(7);
    expect(coder.codeOfKey('7')).toBe(3);
    expect(coder.codeOfKey('-4')).toBe(5);
    expect(coder.codeOfKey('8')).toBeUndefined();
    expect(() => coder.value(6)).toThrow(RangeError);
  });

  it.each([
    ['Int8', new Int8(), [-128, 127, 0, -128]],
    ['Int16', new Int16(), [-32768, 32767, 7, 7]],
    ['Int32', new Int32(), [-2147483648, 2147483647, 65535, 65536]],
    ['Uint8', new Uint8(), [255, 0, 255, 1]],
    ['Uint16', new Uint16(), [65535, 0, 65535, 2]],
    ['Uint32', new Uint32(), [4294967295, 0, 4294967295, 65536]],
    ['Float32', new Float32(), [0.5, -1.25, 0.5, 3]],
    ['Float64', new Float64(), [0.1, 1e300, 0.1, -7]],
  ] as const)('reads %s labels as numbers', (_name, type, values) => {
    const coder = new LabelCoder({ label: 'y' });
    const codes = coder.encode(labels(type, [...values]));
    const distinct = [...new Set(values)];
    expect([...codes]).toEqual(values.map((v) => distinct.indexOf(v)));
    expect(coder.values()).toEqual(distinct);
  });

  it('reads 64-bit labels: numbers within 2^53, bigints beyond', () => {
    const coder = new LabelCoder({ label: 'y' });
    const int64 = [3n, -3n, 2n ** 53n, -(2n ** 53n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 31n, -(2n ** 31n) - 1n, 3n, 2n ** 63n - 1n];
    expect([...coder.encode(labels(new Int64(), int64))]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0, 8]);
    expect(coder.values()).toEqual([3, -3, 2 ** 53, -(2 ** 53), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2 ** 31, -(2 ** 31) - 1, 2n ** 63n - 1n]);
    // the same classes read from Uint64 and Int32 columns map to the same codes
    expect([...coder.encode(labels(new Uint64(), [2n ** 64n - 1n, 3n, 2n ** 53n + 1n, 2n ** 32n]))]).toEqual([9, 0, 4, 10]);
    expect(coder.value(9)).toBe(2n ** 64n - 1n);
    expect(coder.value(10)).toBe(2 ** 32);
    expect([...coder.encode(labels(new Int32(), [-3, 3]))]).toEqual([1, 0]);
    expect(coder.codeOfKey('9007199254740993')).toBe(4);
    expect(coder.codeOfKey('18446744073709551615')).toBe(9);
  });

  it('treats -0 and 0 as one class', () => {
    const coder = new LabelCoder({ label: 'y' });
    expect([...coder.encode(labels(new Float64(), [-0, 0, 1]))]).toEqual([0, 0, 1]);
    expect(Object.is(coder.value(0), 0)).toBe(true);
  });

  it('reads Utf8 and LargeUtf8 labels (ASCII, non-ASCII, long) into one dictionary', () => {
    const coder = new LabelCoder({ label: 'y' });
    const long = 'a label longer than thirty-two bytes for sure';
    expect([...coder.encode(labels(new Utf8(), ['buy', 'skip', 'büy', long, 'buy', '', 'skip']))]).toEqual([0, 1, 2, 3, 0, 4, 1]);
    expect([...coder.encode(labels(new LargeUtf8(), [long, '', 'new', 'büy']))]).toEqual([3, 4, 5, 2]);
    expect(coder.values()).toEqual(['buy', 'skip', 'büy', long, '', 'new']);
    expect(coder.codeOfKey('büy')).toBe(2);
  });

  it('keeps string codes right across many distinct labels (lookup table growth)', () => {
    const coder = new LabelCoder({ label: 'y' });
    const distinct = Array.from({ length: 5000 }, (_, i) => `class-${i}-${'é'.repeat(i % 3)}`);
    expect([...coder.encode(labels(new Utf8(), distinct))]).toEqual(distinct.map((_, i) => i));
    const order = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    expect([...coder.encode(labels(new LargeUtf8(), order.map((i) => distinct[i])))]).toEqual(order);
    expect(coder.classCount).toBe(5000);
    expect(coder.codeOfKey('class-4999-é')).toBe(4999);
  });

  it('reads Bool labels, also from a slice whose bits start mid-byte', () => {
    const coder = new LabelCoder({ label: 'y' });
    const values = [true, true, false, true, false, false, true, false, false, true, true];
    const batch = labels(new Bool(), values).slice(3);
    expect([...coder.encode(batch)]).toEqual([0, 1, 1, 0, 1, 1, 0, 0]);
    expect(coder.values()).toEqual([true, false]);
    expect(coder.codeOfKey('false')).toBe(1);
  });

  it('reads dictionary labels (string and integer dictionaries) into global codes', () => {
    const coder = new LabelCoder({ label: 'y' });
    const first = labels(new Dictionary(new Utf8(), new Int32()), ['mid', 'low', 'mid', 'high']);
    expect([...coder.encode(first)]).toEqual([0, 1, 0, 2]);
    // a different dictionary (other order) maps through the same global codes
    const second = labels(new Dictionary(new Utf8(), new Int8()), ['high', 'new', 'low']);
    expect([...coder.encode(second)]).toEqual([2, 3, 1]);
    expect([...coder.encode(labels(new Utf8(), ['new', 'mid']))]).toEqual([3, 0]);
    const ints = new LabelCoder({ label: 'y' });
    expect([...ints.encode(labels(new Dictionary(new Int64(), new Int16()), [2n ** 60n, 4n, 4n]))]).toEqual([0, 1, 1]);
    expect(ints.values()).toEqual([2n ** 60n, 4]);
  });

  it('resolves each dictionary entry once, however many rows use it', () => {
    const coder = new LabelCoder({ label: 'y' });
    const values = Array.from({ length: 20000 }, (_, i) => ['a', 'b', 'c'][(i * 7) % 3]!);
    const batch = labels(new Dictionary(new Utf8(), new Int32()), values);
    const dictionary = batch.data.children[1]!.dictionary!;
    const get = vi.spyOn(dictionary, 'get');
    const codes = coder.encode(batch);
    expect(get).toHaveBeenCalledTimes(3);
    coder.encode(batch.slice(100, 5000));
    expect(get).toHaveBeenCalledTimes(3);
    expect(codes[0]).toBe(0);
    expect(coder.values()).toEqual(['a', 'b', 'c']);
    expect(Array.from(codes.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('gives sliced batches the codes of the matching rows', () => {
    const types: Array<[DataType, unknown[]]> = [
      [new Int16(), [1, 2, null, 3, 1, 2, 9, null, 4, 4]],
      [new Int64(), [1n, 2n ** 60n, null, 3n, 1n, 2n, 9n, null, 4n, 4n]],
      [new Float32(), [1, 2.5, null, 3, 1, 2.5, 9, null, 4, 4]],
      [new Utf8(), ['x', 'y', null, 'z', 'x', 'y', 'w', null, 'v', 'v']],
      [new Bool(), [true, false, null, true, true, false, false, null, true, false]],
      [new Dictionary(new Utf8(), new Int32()), ['x', 'y', null, 'z', 'x', 'y', 'w', null, 'v', 'v']],
    ];
    for (const [type, values] of types) {
      const full = labels(type, values);
      const whole = new LabelCoder({ label: 'y', nulls: 'class' }).encode(full);
      const parts = new LabelCoder({ label: 'y', nulls: 'class' });
      const codes = [0, 3, 7, 9].flatMap((begin, p, cuts) => [...parts.encode(full.slice(begin, cuts[p + 1] ?? 10))]);
      expect({ type: String(type), codes }).toEqual({ type: String(type), codes: [...whole] });
    }
  });

  it('property: codes equal a first-appearance reference whatever the batch cuts', () => {
    fc.assert(fc.property(
      fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'ü', 'long label text that spans more than 32 bytes'), { nil: null }), { minLength: 1, maxLength: 60 }),
      fc.array(fc.nat(), { maxLength: 5 }),
      (values, rawCuts) => {
        const seen = new Map<string | null, number>();
        const expected = values.map((v) => {
          if (v === null) return -1;
          if (!seen.has(v)) seen.set(v, seen.size);
          return seen.get(v)!;
        });
        const full = labels(new Utf8(), values);
        const cuts = [...new Set(rawCuts.map((c) => c % values.length))].sort((x, y) => x - y);
        const bounds = [0, ...cuts.filter((c) => c > 0), values.length];
        const coder = new LabelCoder({ label: 'y', nulls: 'drop' });
        const codes = bounds.slice(1).flatMap((end, b) => [...coder.encode(full.slice(bounds[b], end))]);
        expect(codes).toEqual(expected);
        expect(coder.values()).toEqual([...seen.keys()]);
      },
    ), { seed: 42, numRuns: 200 });
  });
});

describe('LabelCoder: number codes', () => {
  it('property: number labels (small, large, negative, fractional, -0) get first-appearance codes', () => {
    // Small non-negative integers take the table's array, grown as larger ones appear mid-batch; the rest
    // take the map. Both must agree with a first-appearance reference, batch after batch.
    const label = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 70000 }), fc.integer({ min: -5, max: -1 }), fc.constantFrom(0.5, -0, 65535, 65536, 1e300));
    fc.assert(fc.property(fc.array(fc.array(label, { maxLength: 40 }), { minLength: 1, maxLength: 4 }), (batches) => {
      const seen = new Map<number, number>();
      const coder = new LabelCoder({ label: 'y' });
      for (const values of batches) {
        const expected = values.map((v) => {
          const key = v === 0 ? 0 : v;
          if (!seen.has(key)) seen.set(key, seen.size);
          return seen.get(key)!;
        });
        expect([...coder.encode(labels(new Float64(), values))]).toEqual(expected);
      }
      expect(coder.values()).toEqual([...seen.keys()]);
    }), { seed: 3, numRuns: 300 });
  });
});

describe('LabelCoder: nulls and errors', () => {
  const withNulls = () => labels(new Utf8(), ['a', null, 'b', null, 'a']);

  it("fails on null labels by default, giving the count and the options", () => {
    const coder = new LabelCoder({ label: 'y' });
    expect(() => coder.encode(withNulls())).toThrow(ArrowBalanceError);
    expect(() => coder.encode(withNulls())).toThrow(
      "arrow-balance: label column \"y\" has 2 null values in a batch of 5 rows; skip those rows (nulls: 'drop', --nulls drop) or count null as a class (nulls: 'class', --nulls class)");
  });

  it("drops null rows as code -1 under nulls: 'drop'", () => {
    const coder = new LabelCoder({ label: 'y', nulls: 'drop' });
    expect([...coder.encode(withNulls())]).toEqual([0, -1, 1, -1, 0]);
    expect(coder.values()).toEqual(['a', 'b']);
  });

  it("makes null a class under nulls: 'class', in first-appearance order", () => {
    const coder = new LabelCoder({ label: 'y', nulls: 'class' });
    expect([...coder.encode(withNulls())]).toEqual([0, 1, 2, 1, 0]);
    expect(coder.values()).toEqual(['a', null, 'b']);
    expect(coder.codeOfKey('null')).toBe(1);
    const ints = new LabelCoder({ label: 'y', nulls: 'class' });
    expect([...ints.encode(labels(new Int64(), [null, 1n, null]))]).toEqual([0, 1, 0]);
    expect([...ints.encode(labels(new Bool(), [true, null]))]).toEqual([2, 0]);
  });

  it('treats null dictionary entries as null labels', () => {
    const dictionary = vectorFromArray(['x', null], new Utf8());
    const type = new Dictionary(new Utf8(), new Int32());
    const column = makeData({ type, data: Int32Array.of(0, 1, 1, 0), dictionary });
    const batch = batchOf({ y: column });
    expect(() => new LabelCoder({ label: 'y' }).encode(batch)).toThrow(/has 2 null values in a batch of 4 rows/);
    expect([...new LabelCoder({ label: 'y', nulls: 'drop' }).encode(batch)]).toEqual([0, -1, -1, 0]);
    expect([...new LabelCoder({ label: 'y', nulls: 'class' }).encode(batch)]).toEqual([0, 1, 1, 0]);
  });

  it('rejects NaN and infinite float labels, naming the column and the counts, but not under null rows', () => {
    const coder = new LabelCoder({ label: 'y', nulls: 'drop' });
    expect(() => coder.encode(labels(new Float64(), [1, NaN, 2]))).toThrow(
      'arrow-balance: label column "y" has 1 NaN or infinite value in a batch of 3 rows; '
      + "a class label must be a finite number: clean or cast the column first (a null label can be dropped with nulls: 'drop', --nulls drop)");
    expect(() => coder.encode(labels(new Float32(), [NaN, Infinity, 2]))).toThrow(/has 2 NaN or infinite values in a batch of 3 rows/);
    const hidden = makeData({ type: new Float64(), data: Float64Array.of(1, NaN), nullBitmap: Uint8Array.of(0b01) });
    expect([...coder.encode(batchOf({ y: hidden }))]).toEqual([0, -1]);
  });

  it('names the missing column and lists the available ones', () => {
    const batch = batchOf({ a: col(new Int32(), [1]), b: col(new Int32(), [1]), label: col(new Int32(), [1]) });
    expect(() => new LabelCoder({ label: 'y' }).encode(batch)).toThrow(
      'arrow-balance: label column "y" not found; columns are: a, b, label');
  });

  it('names an unsupported label type and the supported ones', () => {
    const supported = 'supported label types are: Int8..Int64, Uint8..Uint64, Float32, Float64, Utf8, LargeUtf8, Bool, Dictionary<Utf8 or Int>';
    expect(() => new LabelCoder({ label: 'y' }).encode(labels(new DateDay(), [new Date(0)]))).toThrow(
      `arrow-balance: label column "y" has type Date32<DAY>, which cannot be a class label; ${supported}`);
    expect(() => new LabelCoder({ label: 'y' }).encode(labels(new Float16(), [1]))).toThrow(/type Float16, which cannot be a class label/);
    expect(() => new LabelCoder({ label: 'y' }).encode(labels(new Dictionary(new DateDay(), new Int32()), [new Date(0)])))
      .toThrow(/has type Dictionary<Int32, Date32<DAY>>, which cannot be a class label/);
  });

  it('validates options at construction, naming the option', () => {
    expect(() => new LabelCoder({ label: '' })).toThrow(TypeError);
    expect(() => new LabelCoder({ label: '' })).toThrow('arrow-balance: option "label" must be the name of the label column (a non-empty string); got ""');
    expect(() => new LabelCoder({ label: 3 as unknown as string })).toThrow(/option "label" .* got 3$/);
    expect(() => new LabelCoder({ label: 'y', nulls: 'skip' as 'drop' })).toThrow(RangeError);
    expect(() => new LabelCoder({ label: 'y', nulls: 'skip' as 'drop' })).toThrow(
      `arrow-balance: option "nulls" must be 'error', 'drop' or 'class'; got "skip"`);
  });

  it('checks the label column even on an empty batch', () => {
    const empty = labels(new DateDay(), []);
    expect(() => new LabelCoder({ label: 'y' }).encode(empty)).toThrow(/cannot be a class label/);
    expect([...new LabelCoder({ label: 'y' }).encode(labels(new Int32(), []))]).toEqual([]);
  });
});
