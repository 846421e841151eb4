import {
  Binary, BinaryView, Bool, DateDay, DateMillisecond, Decimal, Dictionary, DurationMicrosecond, DurationMillisecond,
  DurationNanosecond, DurationSecond, Field, FixedSizeBinary, FixedSizeList, Float16, Float32, Float64, Int16, Int32,
  Int64, Int8, IntervalDayTime, IntervalMonthDayNano, IntervalYearMonth, LargeBinary, LargeList, LargeUtf8, List,
  Map_, MapRow, Null, RecordBatch, Schema, SparseUnion, Struct, StructRow, Table, TimeMicrosecond, TimeMillisecond,
  TimeNanosecond, TimeSecond, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, TimestampSecond,
  Uint16, Uint32, Uint64, Uint8, Utf8, Utf8View, Vector, makeData, tableFromIPC, tableToIPC, vectorFromArray,
} from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendFloatColumn } from '../src/arrow/append-column.js';
import { concatBatches } from '../src/arrow/concat.js';
import { takeFromBatches } from '../src/arrow/take-many.js';
import { takeRows } from '../src/arrow/take.js';

// ---------- reference helpers (tests only: row-by-row access is fine here) ----------

/** Comparable plain form of whatever `Vector.get` returns. */
function norm(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value;
  if (value instanceof Date) return value.getTime();
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, norm);
  if (value instanceof Vector) return [...value].map(norm);
  if (value instanceof MapRow) return [...(value as Iterable<[unknown, unknown]>)].map(([k, v]) => [norm(k), norm(v)]);
  if (value instanceof StructRow) return Object.entries(value.toJSON() as object).map(([k, v]) => [k, norm(v)]);
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => [k, norm(v)]);
  return value;
}

function column(batch: RecordBatch, c: number): Vector {
  return new Vector([batch.data.children[c] as Data]);
}

/** Every row k of `out` equals row `indices[k]` of `input`, column by column, plus null counts and schema. */
function expectGathered(input: RecordBatch, indices: ArrayLike<number>, out: RecordBatch): void {
  expect(out.numRows).toBe(indices.length);
  expect(out.numCols).toBe(input.numCols);
  expectSameSchema(out, input);
  for (let c = 0; c < input.numCols; c++) {
    const source = column(input, c);
    const target = column(out, c);
    const name = input.schema.fields[c]!.name;
    const expected = Array.from(indices, (i) => norm(source.get(i)));
    const actual = Array.from({ length: indices.length }, (_, k) => norm(target.get(k)));
    expect({ name, values: actual }).toEqual({ name, values: expected });
    // arrow-js reports Null-type rows as valid in isValid() but counts them all in nullCount
    const nulls = source.type instanceof Null
      ? indices.length
      : Array.from(indices, (i) => (source.isValid(i) ? 0 : 1)).reduce<number>((a, b) => a + b, 0);
    expect({ name, nulls: target.nullCount }).toEqual({ name, nulls });
    expect(target.data[0]!.offset).toBe(0);
  }
}

function expectSameSchema(out: RecordBatch, input: RecordBatch): void {
  const describeSchema = (batch: RecordBatch) => ({
    fields: batch.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable, metadata: [...f.metadata] })),
    metadata: [...batch.schema.metadata],
  });
  expect(describeSchema(out)).toEqual(describeSchema(input));
}

// ---------- building test batches ----------

function nullBits(rows: number, isNull: (i: number) => boolean): Uint8Array {
  const bits = new Uint8Array((rows + 7) >> 3);
  for (let i = 0; i < rows; i++) if (!isNull(i)) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

function fixed(type: DataType, data: ArrayBufferView, rows: number, every: number): Data {
  const props = { type, data, length: rows, nullBitmap: nullBits(rows, (i) => i % every === 1) };
  return makeData(props as Parameters<typeof makeData>[0]);
}

function fromValues(type: DataType, values: unknown[]): Data {
  const vector = vectorFromArray(values as never[], type as never) as Vector;
  expect(vector.data.length).toBe(1);
  return vector.data[0]!;
}

function maybe<T>(i: number, every: number, value: T): T | null {
  return i % every === 2 ? null : value;
}

const ROWS = 53;

function wordsOf(rows: number, perRow: number, seed: number): Int32Array {
  return Int32Array.from({ length: rows * perRow }, (_, i) => ((i * 2654435761 + seed) | 0) ^ (i << 3));
}

/** A batch with every column type a Parquet reader produces, nulls in each, field and schema metadata. */
function allTypesBatch(rows = ROWS): RecordBatch {
  const r = Array.from({ length: rows }, (_, i) => i);
  const big = (i: number) => BigInt(i) * 9007199254740993n - 77n; // beyond 2^53
  const columns: Array<[string, Data]> = [
    ['int8', fixed(new Int8(), Int8Array.from(r, (i) => (i * 37) % 256 - 128), rows, 3)],
    ['int16', fixed(new Int16(), Int16Array.from(r, (i) => i * 1000 - 30000), rows, 4)],
    ['int32', fixed(new Int32(), Int32Array.from(r, (i) => i * 40000001), rows, 5)],
    ['int64', fixed(new Int64(), BigInt64Array.from(r, big), rows, 3)],
    ['uint8', fixed(new Uint8(), Uint8Array.from(r, (i) => i * 5), rows, 6)],
    ['uint16', fixed(new Uint16(), Uint16Array.from(r, (i) => i * 1234), rows, 3)],
    ['uint32', fixed(new Uint32(), Uint32Array.from(r, (i) => 4294967295 - i * 3), rows, 3)],
    ['uint64', fixed(new Uint64(), BigUint64Array.from(r, (i) => 18446744073709551615n - BigInt(i)), rows, 3)],
    ['float16', fixed(new Float16(), Uint16Array.from(r, (i) => 0x3c00 + i), rows, 3)],
    ['float32', fixed(new Float32(), Float32Array.from(r, (i) => i / 3), rows, 4)],
    ['float64', fixed(new Float64(), Float64Array.from(r, (i) => (i === 7 ? NaN : i * Math.PI)), rows, 3)],
    ['bool', fixed(new Bool(), nullBits(rows, (i) => i % 3 === 0), rows, 5)],
    ['decimal128', fixed(new Decimal(2, 10, 128), new Uint32Array(wordsOf(rows, 4, 1).buffer), rows, 3)],
    ['decimal256', fixed(new Decimal(9, 60, 256), new Uint32Array(wordsOf(rows, 8, 2).buffer), rows, 4)],
    ['dateDay', fixed(new DateDay(), Int32Array.from(r, (i) => 19000 + i), rows, 3)],
    ['dateMs', fixed(new DateMillisecond(), BigInt64Array.from(r, (i) => BigInt(i) * 86400000n), rows, 3)],
    ['timeS', fixed(new TimeSecond(), Int32Array.from(r, (i) => i * 60), rows, 3)],
    ['timeMs', fixed(new TimeMillisecond(), Int32Array.from(r, (i) => i * 60000), rows, 3)],
    ['timeUs', fixed(new TimeMicrosecond(), BigInt64Array.from(r, (i) => BigInt(i) * 60000000n), rows, 3)],
    ['timeNs', fixed(new TimeNanosecond(), BigInt64Array.from(r, (i) => BigInt(i) * 60000000000n), rows, 3)],
    ['tsS', fixed(new TimestampSecond(), BigInt64Array.from(r, (i) => 1700000000n + BigInt(i)), rows, 3)],
    ['tsMs', fixed(new TimestampMillisecond('UTC'), BigInt64Array.from(r, (i) => 1700000000000n + BigInt(i)), rows, 4)],
    ['tsUs', fixed(new TimestampMicrosecond('Europe/Paris'), BigInt64Array.from(r, (i) => 1700000000000000n + BigInt(i)), rows, 3)],
    ['tsNs', fixed(new TimestampNanosecond(), BigInt64Array.from(r, big), rows, 3)],
    ['durS', fixed(new DurationSecond(), BigInt64Array.from(r, (i) => BigInt(i)), rows, 3)],
    ['durMs', fixed(new DurationMillisecond(), BigInt64Array.from(r, (i) => BigInt(i) * 7n), rows, 3)],
    ['durUs', fixed(new DurationMicrosecond(), BigInt64Array.from(r, (i) => -BigInt(i)), rows, 3)],
    ['durNs', fixed(new DurationNanosecond(), BigInt64Array.from(r, big), rows, 3)],
    ['ivYM', fixed(new IntervalYearMonth(), Int32Array.from(r, (i) => i * 13), rows, 3)],
    ['ivDT', fixed(new IntervalDayTime(), wordsOf(rows, 2, 3), rows, 3)],
    ['ivMDN', fixed(new IntervalMonthDayNano(), wordsOf(rows, 4, 4), rows, 3)],
    ['fsb', fixed(new FixedSizeBinary(3), Uint8Array.from({ length: rows * 3 }, (_, i) => (i * 31) & 255), rows, 3)],
    ['null', makeData({ type: new Null(), length: rows })],
    ['utf8', fromValues(new Utf8(), r.map((i) => maybe(i, 3, i % 4 === 0 ? '' : `s${i}-é${'x'.repeat(i % 30)}`)))],
    ['largeUtf8', fromValues(new LargeUtf8(), r.map((i) => maybe(i, 4, `L${i}`)))],
    ['binary', fromValues(new Binary(), r.map((i) => maybe(i, 3, Uint8Array.from({ length: i % 5 }, (_, b) => b + i))))],
    ['largeBinary', fromValues(new LargeBinary(), r.map((i) => maybe(i, 3, Uint8Array.of(i, 255 - i))))],
    ['utf8View', fromValues(new Utf8View(), r.map((i) => maybe(i, 3, i % 2 === 0 ? `short${i}` : `a long string value number ${i}`)))],
    ['binaryView', fromValues(new BinaryView(), r.map((i) => maybe(i, 5, Uint8Array.from({ length: (i * 3) % 20 }, (_, b) => b ^ i))))],
    ['list', fromValues(new List(new Field('item', new Utf8(), true)), r.map((i) => maybe(i, 3, Array.from({ length: i % 4 }, (_, e) => (e === 1 ? null : `v${i}.${e}`)))))],
    ['largeList', fromValues(new LargeList(new Field('item', new Int32(), true)), r.map((i) => maybe(i, 4, Array.from({ length: i % 3 }, (_, e) => i * 10 + e))))],
    ['fixedList', fromValues(new FixedSizeList(2, new Field('item', new Float64(), true)), r.map((i) => maybe(i, 3, [i, i % 5 === 0 ? null : -i])))],
    ['struct', fromValues(
      new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true), new Field('c', new List(new Field('item', new Int16(), true)), true)]),
      r.map((i) => maybe(i, 3, { a: i % 4 === 0 ? null : i, b: `b${i}`, c: [i, i + 1] })),
    )],
    ['map', fromValues(
      new Map_(new Field('entries', new Struct<{ key: Utf8; value: Int32 }>([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]), false)),
      r.map((i) => maybe(i, 3, new Map(Array.from({ length: i % 3 }, (_, e) => [`k${e}`, i * e] as [string, number])))),
    )],
    ['dict', fromValues(new Dictionary(new Utf8(), new Int32()), r.map((i) => maybe(i, 3, ['low', 'mid', 'high'][i % 3])))],
    ['dictInt8', fromValues(new Dictionary(new Int64(), new Int8()), r.map((i) => maybe(i, 4, BigInt(i % 5) * 10000000000n)))],
  ];
  const fields = columns.map(([name, data], c) =>
    new Field(name, data.type, true, c % 5 === 0 ? new Map([['origin', `col-${c}`]]) : null));
  const schema = new Schema(fields, new Map([['source', 'arrow-take.test'], ['version', '1']]));
  const data = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: columns.map(([, d]) => d) });
  return new RecordBatch(schema, data);
}

function pseudoRandomIndices(count: number, rows: number, seed: number): Int32Array {
  let x = seed >>> 0 || 1;
  return Int32Array.from({ length: count }, () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % rows;
  });
}

// ---------- takeRows ----------

describe('takeRows', () => {
  const batch = allTypesBatch();

  it('gathers every column type with nulls, repeats and any order', () => {
    const indices = Int32Array.of(5, 0, 0, 52, 7, 1, 2, 2, 33, 13, 8, 9, 10, 51, 3, 4, 6, 5);
    const out = takeRows(batch, indices);
    expectGathered(batch, indices, out);
    // the reference really varies across rows (a broken gather cannot pass by accident)
    expect(norm(column(out, 3).get(0))).not.toEqual(norm(column(out, 3).get(3)));
  });

  it('keeps schema metadata, field metadata, batch metadata, type objects and the dictionary object', () => {
    const withMeta = new RecordBatch(batch.schema, batch.data, new Map([['batch', 'm']]));
    const out = takeRows(withMeta, Int32Array.of(1, 2));
    expect([...out.schema.metadata]).toEqual([['source', 'arrow-take.test'], ['version', '1']]);
    expect([...out.schema.fields[0]!.metadata]).toEqual([['origin', 'col-0']]);
    expect([...out.metadata]).toEqual([['batch', 'm']]);
    const dict = batch.schema.fields.findIndex((f) => f.name === 'dict');
    expect(out.data.children[dict]!.dictionary).toBe(batch.data.children[dict]!.dictionary);
    out.schema.fields.forEach((f, c) => expect(f.type).toBe(batch.schema.fields[c]!.type));
  });

  it('copies 64-bit integers beyond 2^53 and NaN payloads bit for bit', () => {
    const bits = new BigInt64Array([0x7ff8dead_beef0001n, -1n, 9007199254740993n]);
    const floats = new Float64Array(bits.buffer);
    const b = new RecordBatch(new Schema([new Field('f', new Float64()), new Field('i', new Int64())]), makeData({
      type: new Struct([new Field('f', new Float64()), new Field('i', new Int64())]),
      length: 3,
      nullCount: 0,
      children: [makeData({ type: new Float64(), data: floats }), makeData({ type: new Int64(), data: bits })],
    }));
    const out = takeRows(b, Int32Array.of(2, 0, 1, 0));
    const f = out.data.children[0]!.values as Float64Array;
    expect([...new BigInt64Array(f.buffer, f.byteOffset, 4)]).toEqual([9007199254740993n, 0x7ff8dead_beef0001n, -1n, 0x7ff8dead_beef0001n]);
    expect([...(out.data.children[1]!.values as BigInt64Array)]).toEqual([9007199254740993n, 0x7ff8dead_beef0001n, -1n, 0x7ff8dead_beef0001n]);
  });

  it('gathers 8-byte rows from buffers aligned to 8 bytes or only to 4 (takeRows, takeFromBatches)', () => {
    // Two 32-bit words a row (IntervalDayTime) starting 4 bytes into a buffer cannot be read as 64-bit
    // integers, so they take the word-pair path; the same words 8 bytes in take the 64-bit path.
    for (const start of [1, 2]) {
      const words = new Int32Array(new ArrayBuffer(4 * (start + 10)), 4 * start, 10);
      words.forEach((_, i) => (words[i] = i % 2 === 0 ? -1 - i : 0x7fff0000 + i));
      const column = makeData({ type: new IntervalDayTime(), data: words, length: 5 });
      const b = new RecordBatch(new Schema([new Field('iv', new IntervalDayTime())]), makeData({
        type: new Struct([new Field('iv', new IntervalDayTime())]), length: 5, nullCount: 0, children: [column],
      }));
      const expected = [4, 0, 4, 2].flatMap((r) => [words[2 * r], words[2 * r + 1]]);
      const values = takeRows(b, Int32Array.of(4, 0, 4, 2)).data.children[0]!.values as Int32Array;
      expect([...values]).toEqual(expected);
      const many = takeFromBatches([b, b], Int32Array.of(0, 2, 4), Int32Array.of(4, 0, 4, 2)).data.children[0]!.values as Int32Array;
      expect([...many]).toEqual(expected);
    }
  });

  it('reads sliced batches (offsets not on byte boundaries, slices of slices)', () => {
    for (const [begin, end] of [[3, 40], [8, 53], [1, 2], [13, 13]] as const) {
      const sliced = batch.slice(begin, end);
      expect(sliced.data.children[0]!.offset).toBe(begin);
      const rows = end - begin;
      const indices = rows === 0 ? new Int32Array(0) : pseudoRandomIndices(rows * 2 + 1, rows, begin + 1);
      const out = takeRows(sliced, indices);
      expectGathered(sliced, indices, out);
      expectGathered(batch, Array.from(indices, (i) => i + begin), out);
    }
    const twice = batch.slice(5, 50).slice(6, 30);
    const indices = Int32Array.of(23, 0, 11, 11, 1);
    expectGathered(batch, Array.from(indices, (i) => i + 11), takeRows(twice, indices));
  });

  it('returns an empty batch with the same schema for an empty index array', () => {
    const out = takeRows(batch, new Int32Array(0));
    expect(out.numRows).toBe(0);
    expectSameSchema(out, batch);
    out.data.children.forEach((child) => expect(child.length).toBe(0));
  });

  it('produces buffers the Arrow IPC writer accepts, round-tripping every value', () => {
    const indices = pseudoRandomIndices(40, ROWS, 99);
    const out = takeRows(batch.slice(0, ROWS), indices);
    const ipcColumns = out.schema.fields.map((f, c) => [f, c] as const).filter(([f]) => !/View$/.test(String(f.type)));
    const subset = out.schema.select(ipcColumns.map(([f]) => f.name));
    const subsetBatch = new RecordBatch(subset, makeData({
      type: new Struct(subset.fields), length: out.numRows, nullCount: 0,
      children: ipcColumns.map(([, c]) => out.data.children[c]!),
    }));
    const back = tableFromIPC(tableToIPC(new Table(subsetBatch)));
    expect(back.numRows).toBe(40);
    subset.fields.forEach((f, c) => {
      const expected = Array.from({ length: 40 }, (_, k) => norm(new Vector([subsetBatch.data.children[c]!]).get(k)));
      const actual = Array.from({ length: 40 }, (_, k) => norm(back.getChildAt(c)!.get(k)));
      expect({ name: f.name, actual }).toEqual({ name: f.name, actual: expected });
    });
  });

  it('rejects indices outside the batch with a RangeError naming the index', () => {
    expect(() => takeRows(batch, Int32Array.of(0, 53))).toThrow(RangeError);
    expect(() => takeRows(batch, Int32Array.of(0, 53))).toThrow(
      'arrow-balance: row index 53 (position 1) is outside the batch of 53 rows; indices must be in [0, 53)');
    expect(() => takeRows(batch, Int32Array.of(-1))).toThrow(/row index -1 \(position 0\)/);
  });

  it('names the column and type of an unsupported column (union)', () => {
    const unionType = new SparseUnion([0], [new Field('x', new Int32(), true)]);
    const union = makeData({ type: unionType, length: 2, typeIds: Int8Array.of(0, 0), children: [makeData({ type: new Int32(), data: Int32Array.of(1, 2) })] });
    const fields = [new Field('u', unionType, true)];
    const b = new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: 2, nullCount: 0, children: [union] }));
    expect(() => takeRows(b, Int32Array.of(0))).toThrow(TypeError);
    expect(() => takeRows(b, Int32Array.of(0))).toThrow(/^arrow-balance: cannot gather rows of column "u" of type .*\(Type\.Union\); supported types are: Null, Int/);
  });

  it('property: any index array over a random multi-type batch, sliced or not, matches the reference', () => {
    const row = fc.record({
      i: fc.option(fc.integer({ min: -2147483648, max: 2147483647 }), { nil: null }),
      big: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null }),
      f: fc.option(fc.double(), { nil: null }),
      b: fc.option(fc.boolean(), { nil: null }),
      s: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
      l: fc.option(fc.array(fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }), { maxLength: 4 }), { nil: null }),
      d: fc.option(fc.constantFrom('a', 'bb', 'ccc'), { nil: null }),
      st: fc.option(fc.record({ x: fc.option(fc.integer(), { nil: null }), y: fc.string({ maxLength: 3 }) }), { nil: null }),
    });
    const types = {
      i: new Int32(), big: new Int64(), f: new Float64(), b: new Bool(), s: new Utf8(),
      l: new List(new Field('item', new Int16(), true)), d: new Dictionary(new Utf8(), new Int16()),
      st: new Struct([new Field('x', new Int32(), true), new Field('y', new Utf8(), true)]),
    } as const;
    fc.assert(fc.property(
      fc.array(row, { minLength: 1, maxLength: 40 }),
      fc.nat(), fc.nat(),
      fc.array(fc.nat(), { maxLength: 60 }),
      (rows, a, b, raw) => {
        const names = Object.keys(types) as Array<keyof typeof types>;
        const fields = names.map((n) => new Field(n, types[n], true));
        const children = names.map((n) => fromValues(types[n], rows.map((x) => x[n])));
        const full = new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children }));
        const begin = a % rows.length;
        const end = begin + 1 + (b % (rows.length - begin));
        const sliced = full.slice(begin, end);
        const indices = Int32Array.from(raw, (x) => x % sliced.numRows);
        expectGathered(sliced, indices, takeRows(sliced, indices));
      },
    ), { seed: 42, numRuns: 150 });
  });
});

// ---------- concatBatches ----------

describe('concatBatches', () => {
  const batch = allTypesBatch();

  it('joins sliced pieces back into the original rows, for every type', () => {
    const pieces = [batch.slice(0, 11), batch.slice(11, 11), batch.slice(11, 30), batch.slice(30)];
    const out = concatBatches(pieces);
    expectGathered(batch, Array.from({ length: ROWS }, (_, i) => i), out);
  });

  it('joins gathered batches in order (repeats, views with several variadic buffers)', () => {
    const a = takeRows(batch, Int32Array.of(4, 1, 1));
    const b = takeRows(batch.slice(7), Int32Array.of(0, 45, 3));
    const c = batch.slice(2, 6);
    const out = concatBatches([a, b, c]);
    expectGathered(batch, [4, 1, 1, 7, 52, 10, 2, 3, 4, 5], out);
  });

  it('rebases view columns onto the joined variadic buffers', () => {
    const views = (prefix: string) => {
      const fields = [new Field('v', new Utf8View(), true), new Field('b', new BinaryView(), true)];
      const strings = Array.from({ length: 6 }, (_, i) => (i === 2 ? null : `${prefix} long enough to leave the view ${i}`));
      const bytes = strings.map((x) => (x === null ? null : new TextEncoder().encode(x)));
      return new RecordBatch(new Schema(fields), makeData({
        type: new Struct(fields), length: 6, nullCount: 0,
        children: [fromValues(new Utf8View(), strings), fromValues(new BinaryView(), bytes)],
      }));
    };
    const a = views('first');
    const b = views('second');
    expect(a.data.children[0]!.variadicBuffers.length).toBeGreaterThan(0);
    const out = concatBatches([a.slice(1), takeRows(b, Int32Array.of(5, 0, 2)), b.slice(3, 5)]);
    expect([...column(out, 0)]).toEqual([
      ...[1, 2, 3, 4, 5].map((i) => (i === 2 ? null : `first long enough to leave the view ${i}`)),
      ...[5, 0, 2, 3, 4].map((i) => (i === 2 ? null : `second long enough to leave the view ${i}`)),
    ]);
    expect(Array.from({ length: 10 }, (_, k) => norm(column(out, 1).get(k)))).toEqual(
      Array.from({ length: 10 }, (_, k) => norm(column(k < 5 ? a : b, 1).get([1, 2, 3, 4, 5, 5, 0, 2, 3, 4][k]!))));
  });

  it('always returns fresh buffers, also for a single sliced batch', () => {
    const sliced = batch.slice(20, 25);
    const out = concatBatches([sliced]);
    expectGathered(sliced, [0, 1, 2, 3, 4], out);
    const int32 = out.data.children[2]!.values as Int32Array;
    expect(int32.length).toBe(5);
    expect(int32.buffer).not.toBe((batch.data.children[2]!.values as Int32Array).buffer);
  });

  it('shares one dictionary object when all pieces share it', () => {
    const dict = batch.schema.fields.findIndex((f) => f.name === 'dict');
    const out = concatBatches([batch.slice(0, 5), batch.slice(9, 12)]);
    expect(out.data.children[dict]!.dictionary).toBe(batch.data.children[dict]!.dictionary);
  });

  it('rebuilds differing dictionaries from the entries the rows use', () => {
    const type = new Dictionary(new Utf8(), new Int32(), 0);
    const one = dictBatch(type, ['x', 'y', null, 'x', 'zz']);
    const two = dictBatch(type, ['zz', 'q', 'q']);
    const out = concatBatches([one.slice(1), two]);
    expect([...column(out, 0)]).toEqual(['y', null, 'x', 'zz', 'zz', 'q', 'q']);
    expect([...out.data.children[0]!.dictionary!]).toEqual(['y', 'x', 'zz', 'zz', 'q']);
    expect(out.data.children[0]!.nullCount).toBe(1);
  });

  it('fails clearly when rebuilt dictionaries overflow the index type', () => {
    const type = new Dictionary(new Utf8(), new Int8(), 1);
    const one = dictBatch(type, Array.from({ length: 100 }, (_, i) => `a${i}`));
    const two = dictBatch(type, Array.from({ length: 100 }, (_, i) => `b${i}`));
    expect(() => concatBatches([one, two])).toThrow(
      'arrow-balance: dictionary column "d" would need 200 dictionary entries after joining batches with different dictionaries, '
      + 'more than its Int8 indices address (127); cast the column to a wider index type or to plain strings');
  });

  it('rejects different schemas and an empty list', () => {
    const other = takeRows(batch, Int32Array.of(0));
    const renamed = new RecordBatch(
      new Schema(other.schema.fields.map((f, c) => (c === 2 ? new Field('other', f.type, true) : f))),
      other.data,
    );
    expect(() => concatBatches([batch, renamed])).toThrow(
      'arrow-balance: cannot concatenate batches with different schemas: field 2 is "int32" (Int32) in batch 0 but "other" (Int32) in batch 1; give every batch the same columns');
    expect(() => concatBatches([])).toThrow(RangeError);
  });
});

function dictBatch(type: Dictionary, values: Array<string | null>): RecordBatch {
  const fields = [new Field('d', type, true)];
  const data = fromValues(type, values);
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: values.length, nullCount: 0, children: [data] }));
}

// ---------- takeFromBatches ----------

/**
 * Fixed-width columns without nulls (the direct path; five of 8 bytes a row, gathered four then one at a
 * time), `rows` rows; with `nulls`, float64 gets some.
 */
function fixedBatch(rows: number, nulls = false): RecordBatch {
  const r = Array.from({ length: rows }, (_, i) => i);
  const plain = (type: DataType, data: ArrayBufferView) => makeData({ type, data, length: rows } as Parameters<typeof makeData>[0]);
  const f64 = Float64Array.from(r, (i) => i * Math.E);
  new BigInt64Array(f64.buffer)[1] = 0x7ff8dead_beef0001n; // a NaN payload
  const columns: Array<[string, Data]> = [
    ['f64', nulls ? fixed(new Float64(), f64, rows, 4) : plain(new Float64(), f64)],
    ['i64', plain(new Int64(), BigInt64Array.from(r, (i) => BigInt(i) * 9007199254740993n))],
    ['i32', plain(new Int32(), Int32Array.from(r, (i) => i * 7 - 100))],
    ['i8', plain(new Int8(), Int8Array.from(r, (i) => (i * 37) % 256 - 128))],
    ['f16', plain(new Float16(), Uint16Array.from(r, (i) => 0x3c00 + i))],
    ['dec', plain(new Decimal(2, 10, 128), new Uint32Array(wordsOf(rows, 4, 5).buffer))],
    ['fsb', plain(new FixedSizeBinary(3), Uint8Array.from({ length: rows * 3 }, (_, i) => (i * 29) & 255))],
    ['ivDT', plain(new IntervalDayTime(), wordsOf(rows, 2, 7))],
    ['ts', plain(new TimestampMillisecond(), BigInt64Array.from(r, (i) => BigInt(i) * 86400000n - 5n))],
    ['dur', plain(new DurationMicrosecond(), BigInt64Array.from(r, (i) => -BigInt(i) * 1000003n))],
  ];
  const fields = columns.map(([name, data]) => new Field(name, data.type, true));
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: columns.map(([, d]) => d) }));
}

describe('takeFromBatches', () => {
  /** Gathers `parts` (rows of each piece of `whole`, cut at `cuts`) and checks them against `whole`. */
  function check(whole: RecordBatch, cuts: readonly number[], parts: readonly (readonly number[])[]): void {
    const pieces = cuts.slice(0, -1).map((at, b) => whole.slice(at, cuts[b + 1]));
    const offsets = Int32Array.from([0, ...parts.map((_, b) => parts.slice(0, b + 1).flat().length)]);
    const out = takeFromBatches(pieces, offsets, Int32Array.from(parts.flat()));
    expectGathered(whole, parts.flatMap((rows, b) => rows.map((r) => r + (cuts[b] as number))), out);
    const reference = concatBatches(pieces.map((piece, b) => takeRows(piece, Int32Array.from(parts[b] ?? []))));
    expect(tableToIPC(new Table([out]))).toEqual(tableToIPC(new Table([reference])));
  }

  it('gathers every column type with nulls from several sliced batches, as takeRows + concatBatches do', () => {
    check(allTypesBatch(), [0, 20, 20, 53], [[19, 0, 0, 5], [], [32, 1, 1, 20]]);
  });

  it('gathers fixed-width columns without nulls straight into the output, bit for bit', () => {
    const whole = fixedBatch(40);
    check(whole, [0, 13, 40], [[12, 1, 1, 0], [26, 0, 3]]);
    check(whole, [0, 40], [[39, 0, 1]]);
    const out = takeFromBatches([whole, whole], Int32Array.of(0, 1, 2), Int32Array.of(1, 1));
    const f64 = out.data.children[0]!.values as Float64Array;
    expect([...new BigInt64Array(f64.buffer, f64.byteOffset, 2)]).toEqual([0x7ff8dead_beef0001n, 0x7ff8dead_beef0001n]);
  });

  it('falls back per column when one batch has nulls there', () => {
    const mixed = [fixedBatch(10, true), fixedBatch(10)];
    const out = takeFromBatches(mixed, Int32Array.of(0, 2, 4), Int32Array.of(1, 2, 1, 2));
    expect(out.getChild('f64')?.nullCount).toBe(1); // row 1 of the first batch is null (1 % 4 === 1)
    expect(Array.from(out.getChild('i32')?.toArray() as Int32Array)).toEqual([-93, -86, -93, -86]);
    expect(out.getChild('f64')?.get(1)).toBe(2 * Math.E);
  });

  it('rejects rows outside their batch, offsets that do not fit and different schemas', () => {
    const b = fixedBatch(5);
    expect(() => takeFromBatches([b, b], Int32Array.of(0, 1, 2), Int32Array.of(0, 5))).toThrow(/row index 5 .*outside the batch of 5 rows/);
    expect(() => takeFromBatches([b], Int32Array.of(0, 1, 2), Int32Array.of(0, 1))).toThrow(RangeError);
    expect(() => takeFromBatches([b, allTypesBatch()], Int32Array.of(0, 1, 2), Int32Array.of(0, 1))).toThrow(/different schemas/);
  });
});

// ---------- appendFloatColumn ----------

describe('appendFloatColumn', () => {
  const fields = [new Field('a', new Int32(), false, new Map([['m', '1']])), new Field('label', new Utf8(), true)];
  const base = new RecordBatch(new Schema(fields, new Map([['k', 'v']])), makeData({
    type: new Struct(fields), length: 3, nullCount: 0,
    children: [makeData({ type: new Int32(), data: Int32Array.of(1, 2, 3) }), fromValues(new Utf8(), ['x', 'y', null])],
  }));

  it('appends a Float32 column and keeps the other columns and all metadata', () => {
    const out = appendFloatColumn(base, 'weight', Float32Array.of(0.5, 1.5, 2));
    expect(out.schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`)).toEqual(['a:Int32:false', 'label:Utf8:true', 'weight:Float32:false']);
    expect([...out.schema.metadata]).toEqual([['k', 'v']]);
    expect([...out.schema.fields[0]!.metadata]).toEqual([['m', '1']]);
    expect([...out.getChild('weight')!.toArray()]).toEqual([0.5, 1.5, 2]);
    expect([...out.getChild('label')!]).toEqual(['x', 'y', null]);
  });

  it('appends Float64 and replaces in place only when asked', () => {
    const once = appendFloatColumn(base, 'w', Float64Array.of(1, 2, 3));
    expect(String(once.schema.fields[2]!.type)).toBe('Float64');
    expect(() => appendFloatColumn(once, 'w', Float64Array.of(1, 2, 3))).toThrow(
      'arrow-balance: column "w" already exists; choose another name for the new column');
    const replaced = appendFloatColumn(once, 'a', Float32Array.of(9, 8, 7), { replace: true });
    expect(replaced.schema.fields.map((f) => f.name)).toEqual(['a', 'label', 'w']);
    expect(String(replaced.schema.fields[0]!.type)).toBe('Float32');
    expect([...replaced.getChild('a')!.toArray()]).toEqual([9, 8, 7]);
    expect([...replaced.schema.metadata]).toEqual([['k', 'v']]);
  });

  it('rejects a value count different from the row count', () => {
    expect(() => appendFloatColumn(base, 'w', Float32Array.of(1))).toThrow(
      'arrow-balance: column "w" has 1 values but the batch has 3 rows; give one value per row');
  });
});
