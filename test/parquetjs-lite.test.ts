import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Binary, Bool, DataType, DateDay, DateMillisecond, Decimal, Dictionary, Field, Float32, Float64, Int16, Int32, Int64, Int8, LargeUtf8, List,
  makeData, makeVector, RecordBatch, Schema, Struct, Table, TimeMicrosecond, TimeMillisecond, TimestampMicrosecond, TimestampMillisecond, Uint16,
  Uint32, Uint64, Uint8, Utf8, vectorFromArray, type Vector,
} from 'apache-arrow';
import parquetjs from 'parquetjs-lite';
import { concat, from, lastValueFrom, Observable, throwError, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet, toParquet } from '../operators/index.js';
import type { ParquetReadOptions } from '../src/parquet/open-reader.js';
import type { ParquetWriteOptions } from '../src/parquet/write-options.js';
import { writeAllTypesParquet } from './support/fixtures.js';

const LITE = { engine: 'parquetjs-lite' } as const;
const ROWS = 1000;
const DAY_MS = 86_400_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-lite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Row i is null in every nullable column when i % 7 === 3. */
function column<T extends DataType>(type: T, value: (i: number) => unknown, rows = ROWS): Vector<T> {
  return vectorFromArray(Array.from({ length: rows }, (_, i) => (i % 7 === 3 ? null : value(i))), type) as Vector<T>;
}

/** A 64-bit column built from raw stored values (apache-arrow's builders take timestamps in milliseconds). */
function rawColumn<T extends DataType>(type: T, value: (i: number) => bigint, rows = ROWS): Vector<T> {
  const values = BigInt64Array.from({ length: rows }, (_, i) => (i % 7 === 3 ? 0n : value(i)));
  const nullBitmap = new Uint8Array((rows + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < rows; i += 1) {
    if (i % 7 === 3) nullCount += 1;
    else nullBitmap[i >> 3] = (nullBitmap[i >> 3] ?? 0) | (1 << (i & 7));
  }
  return makeVector(makeData({ type, length: rows, nullCount, nullBitmap, data: values } as Parameters<typeof makeData>[0])) as Vector<T>;
}

/** One batch with every type the lite writer supports, nulls in each nullable column, and edge values. */
function everyTypeBatch(rows = ROWS): RecordBatch {
  const maxExact = BigInt(Number.MAX_SAFE_INTEGER);
  const edge = <V>(i: number, values: readonly V[], otherwise: V): V => (i < values.length ? (values[i] as V) : otherwise);
  const columns: Record<string, Vector> = {
    i8: column(new Int8(), (i) => edge(i, [127, -128], (i % 200) - 100), rows),
    i16: column(new Int16(), (i) => edge(i, [32767, -32768], i - 500), rows),
    i32: column(new Int32(), (i) => edge(i, [2147483647, -2147483648], i * 1000 - 7), rows),
    i64: column(new Int64(), (i) => edge(i, [maxExact, -maxExact], BigInt(i) * 1_000_000_007n - 3n), rows),
    u8: column(new Uint8(), (i) => edge(i, [255, 0], i % 256), rows),
    u16: column(new Uint16(), (i) => edge(i, [65535, 0], i * 60), rows),
    u32: column(new Uint32(), (i) => edge(i, [2 ** 31 - 1, 0], i * 100_000), rows),
    u64: column(new Uint64(), (i) => edge(i, [maxExact, 0n], BigInt(i) * 9_000_000_000n), rows),
    f32: column(new Float32(), (i) => edge(i, [Infinity, -Infinity], Math.fround(i / 3)), rows),
    f64: column(new Float64(), (i) => edge(i, [Number.MAX_VALUE, -Number.MIN_VALUE], i / 7), rows),
    bool: column(new Bool(), (i) => i % 3 === 0, rows),
    str: column(new Utf8(), (i) => edge(i, ['', 'héllo wörld 🦆'], `row-${i}`), rows),
    large_str: column(new LargeUtf8(), (i) => `large-${i % 11}`, rows),
    bytes: column(new Binary(), (i) => Uint8Array.from([i % 256, 0, 255, 128]), rows),
    dict: column(new Dictionary(new Utf8(), new Int32()), (i) => ['buy', 'sell', 'hold'][i % 3], rows),
    date: column(new DateDay(), (i) => edge(i, [-719_162 * DAY_MS, 0], (i - 500) * 37 * DAY_MS), rows),
    date_ms: column(new DateMillisecond(), (i) => (i - 500) * DAY_MS, rows),
    ts_ms: column(new TimestampMillisecond(), (i) => edge(i, [-62_135_596_800_000], (i - 500) * 123_456_789), rows),
    ts_us: rawColumn(new TimestampMicrosecond(), (i) => (i < 500 ? BigInt(i - 500) * 123_456_000n : BigInt(i) * 123_456_789_123n + 7n), rows),
    time_ms: column(new TimeMillisecond(), (i) => edge(i, [DAY_MS - 1, 0], i * 86_399), rows),
  };
  const fields = Object.entries(columns).map(([name, vector]) => new Field(name, vector.type, true, new Map([['about', name]])));
  const required = new Field('id', new Int32(), false);
  const schema = new Schema([required, ...fields], new Map([['origin', 'lite test']]));
  const id = makeData({ type: new Int32(), length: rows, nullCount: 0, data: Int32Array.from({ length: rows }, (_, i) => i) });
  const children = [id, ...Object.values(columns).map((vector) => vector.data[0]!)];
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children }));
}

/**
 * Every value of a column as comparable text, nulls as null: dates, times and timestamps as their stored
 * integers (apache-arrow's `get` rounds them to milliseconds), bytes as their numbers.
 */
function valuesOf(batches: readonly RecordBatch[], name: string): Array<string | null> {
  return batches.flatMap((batch) => {
    const vector = batch.getChild(name);
    if (vector === null) throw new Error(`no column ${name}`);
    return vector.data.flatMap((data) => {
      const stored = DataType.isTimestamp(data.type) || DataType.isTime(data.type) || DataType.isDate(data.type);
      const chunk = makeVector(data);
      return Array.from({ length: data.length }, (_, i) => {
        if (!data.getValid(i)) return null;
        const value: unknown = stored ? (data.values as ArrayLike<unknown>)[i] : chunk.get(i);
        return value instanceof Uint8Array ? `[${Array.from(value).join(',')}]` : String(value);
      });
    });
  });
}

async function readAll(source: string | string[], options: ParquetReadOptions = {}): Promise<RecordBatch[]> {
  return lastValueFrom(fromParquet(source, options).pipe(toArray()));
}

async function writeBatches(path: string, batches: readonly RecordBatch[], options: ParquetWriteOptions = {}) {
  return lastValueFrom(from(batches).pipe(toParquet(path, options)));
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
}

describe('parquetjs-lite writes, parquetjs-lite reads', () => {
  let path: string;
  let written: RecordBatch;
  beforeAll(async () => {
    path = join(dir, 'every-type.parquet');
    written = everyTypeBatch();
    const summary = await writeBatches(path, [written.slice(0, 400), written.slice(400)], { ...LITE, rowGroupSize: 300, metadata: { extra: 'kv' } });
    expect(summary).toEqual({ path, rows: ROWS, rowGroups: 4, bytes: (await stat(path)).size });
  });

  it('gives back identical values, types and nullability for every supported type, one batch per row group', async () => {
    const batches = await readAll(path, LITE);
    expect(batches.map((batch) => batch.numRows)).toEqual([300, 300, 300, 100]);
    const back = batches[0]!.schema;
    expect(back.fields.map((field) => `${field.name}:${String(field.type)}:${field.nullable}`)).toEqual(
      written.schema.fields.map((field) => `${field.name}:${String(field.type)}:${field.nullable}`),
    );
    for (const field of written.schema.fields) expect(valuesOf(batches, field.name), field.name).toEqual(valuesOf([written], field.name));
    expect(valuesOf(batches, 'str').filter((value) => value === null)).toHaveLength(143);
  });

  it('keeps field metadata, schema metadata and the extra key-value metadata', async () => {
    const [batch] = await readAll(path, LITE);
    expect(batch?.schema.fields.find((field) => field.name === 'ts_us')?.metadata.get('about')).toBe('ts_us');
    expect(batch?.schema.metadata.get('origin')).toBe('lite test');
    expect(batch?.schema.metadata.get('extra')).toBe('kv');
  });

  it('projects columns in file order and cuts row groups to batchSize', async () => {
    const batches = await readAll(path, { ...LITE, columns: ['str', 'i64'], batchSize: 128 });
    expect(batches.map((batch) => batch.numRows)).toEqual([128, 128, 44, 128, 128, 44, 128, 128, 44, 100]);
    expect(batches[0]?.schema.fields.map((field) => field.name)).toEqual(['i64', 'str']);
    expect(valuesOf(batches, 'i64')).toEqual(valuesOf([written], 'i64'));
  });

  it('reads from bytes in memory and from several files, checking that their schemas agree', async () => {
    const bytes = new Uint8Array(await readFile(path));
    expect(valuesOf(await lastValueFrom(fromParquet(bytes, LITE).pipe(toArray())), 'i32')).toEqual(valuesOf([written], 'i32'));
    const other = join(dir, 'other-schema.parquet');
    await writeBatches(other, [new Table({ id: vectorFromArray(['not a number']) }).batches[0]!], LITE);
    const message = await errorOf(readAll([path, other], { ...LITE, columns: ['id'] }));
    expect(message).toMatch(/^arrow-balance: .*other-schema\.parquet and .*every-type\.parquet have different schemas: "id" is Int32 in one and .*Utf8.* in the other/);
  });

  it('emits one empty batch carrying the schema for a file without rows', async () => {
    const empty = join(dir, 'empty.parquet');
    const summary = await writeBatches(empty, [written.slice(0, 0)], LITE);
    expect(summary).toMatchObject({ rows: 0, rowGroups: 0 });
    const batches = await readAll(empty, LITE);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.numRows).toBe(0);
    expect(batches[0]?.schema.fields.map((field) => field.name)).toEqual(written.schema.fields.map((field) => field.name));
  });
});

describe('parquetjs-lite and parquet-wasm read what the other writes', () => {
  it('parquet-wasm reads what parquetjs-lite wrote: identical values (timestamps gain the zone "UTC")', async () => {
    const path = join(dir, 'lite-for-wasm.parquet');
    const written = everyTypeBatch(500);
    await writeBatches(path, [written], { ...LITE, rowGroupSize: 200, compression: 'gzip' });
    const batches = await readAll(path);
    expect(batches.map((batch) => batch.numRows)).toEqual([200, 200, 100]);
    const typeOf = (schema: Schema, name: string): string => String(schema.fields.find((field) => field.name === name)?.type);
    for (const field of written.schema.fields) {
      expect(valuesOf(batches, field.name), field.name).toEqual(valuesOf([written], field.name));
      const expected = String(field.type).replace(/^(Timestamp<\w+)>$/, '$1, UTC>');
      expect(typeOf(batches[0]!.schema, field.name), field.name).toBe(expected);
    }
  });

  it('parquetjs-lite reads the plain-encoded columns parquet-wasm writes, and names RLE_DICTIONARY for the others', async () => {
    const path = join(dir, 'wasm.parquet');
    const table = new Table({
      x: vectorFromArray(Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? null : i / 3)), new Float64()),
      y: vectorFromArray(Array.from({ length: 3000 }, (_, i) => i % 4), new Int32()),
    });
    const schema = new Schema(table.schema.fields.map((field) => new Field(field.name, field.type, true, new Map([['unit', 'cm']]))), new Map([['origin', 'wasm']]));
    await writeBatches(path, table.batches.map((batch) => new RecordBatch(schema, batch.data)), { rowGroupSize: 1000 });
    const floats = await readAll(path, { ...LITE, columns: ['x'] });
    expect(floats.map((batch) => batch.numRows)).toEqual([1000, 1000, 1000]);
    expect(valuesOf(floats, 'x')).toEqual(valuesOf(table.batches, 'x'));
    expect(floats[0]?.schema.metadata.get('origin')).toBe('wasm');
    expect(floats[0]?.schema.fields[0]?.metadata.get('unit')).toBe('cm');
    expect(await errorOf(readAll(path, LITE))).toBe(
      `arrow-balance: ${path}: the parquetjs-lite engine cannot read RLE_DICTIONARY encoding (column "y"); use the default engine parquet-wasm`,
    );
  });

  it('names ZSTD compression for a ZSTD file', async () => {
    const path = join(dir, 'zstd.parquet');
    await writeBatches(path, [new Table({ x: vectorFromArray([1.5, 2.5], new Float64()) }).batches[0]!], { compression: 'zstd' });
    expect(await errorOf(readAll(path, LITE))).toBe(
      `arrow-balance: ${path}: the parquetjs-lite engine cannot read ZSTD compression (column "x"); use the default engine parquet-wasm`,
    );
  });

  it('names DECIMAL for a decimal column', async () => {
    const path = join(dir, 'decimal.parquet');
    const words = new Uint32Array(8);
    words[0] = 12_345;
    words[4] = 99;
    const schema = new Schema([new Field('x', new Float64(), false), new Field('price', new Decimal(2, 10, 128), false)]);
    const x = makeData({ type: new Float64(), length: 2, nullCount: 0, data: Float64Array.from([1, 2]) });
    const price = makeData({ type: new Decimal(2, 10, 128), length: 2, nullCount: 0, data: words });
    await writeBatches(path, [new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 2, nullCount: 0, children: [x, price] }))]);
    expect(await errorOf(readAll(path, LITE))).toMatch(/^arrow-balance: .*decimal\.parquet: the parquetjs-lite engine cannot read DECIMAL columns \(column "price"\); use the default engine parquet-wasm$/);
    expect(valuesOf(await readAll(path, { ...LITE, columns: ['x'] }), 'x')).toEqual(['1', '2']);
  });

  it('names data page v2, which parquetjs-lite writes by default', async () => {
    const path = join(dir, 'v2-pages.parquet');
    const writer = await parquetjs.ParquetWriter.openFile(new parquetjs.ParquetSchema({ a: { type: 'INT32', optional: true } }), path);
    for (let i = 0; i < 10; i += 1) await writer.appendRow({ a: i });
    await writer.close();
    expect(await errorOf(readAll(path, LITE))).toMatch(/v2-pages\.parquet: the parquetjs-lite engine cannot read data page v2 \(column "a"\); use the default engine parquet-wasm$/);
  });
});

describe('parquetjs-lite reads files DuckDB writes', () => {
  const readable = ['id', 'i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'f32', 'f64', 'bool', 'str', 'str_dict', 'date', 'time', 'ts', 'ts_tz'];

  it('reads every flat plain or PLAIN_DICTIONARY column exactly as parquet-wasm does, INT64 over its full range', async () => {
    const path = join(dir, 'duckdb-v1.parquet');
    await writeAllTypesParquet(path, { rows: 3000, rowGroupSize: 1024, compression: 'gzip' });
    const lite = await readAll(path, { ...LITE, columns: readable });
    const wasm = await readAll(path, { columns: readable });
    expect(lite.map((batch) => batch.numRows)).toEqual(wasm.map((batch) => batch.numRows));
    expect(lite[0]?.schema.fields.map((field) => `${field.name}:${String(field.type)}`)).toEqual(wasm[0]?.schema.fields.map((field) => `${field.name}:${String(field.type)}`));
    for (const name of readable) expect(valuesOf(lite, name), name).toEqual(valuesOf(wasm, name));
    expect(valuesOf(lite, 'i64')).toContain('9223372036854775807');
    expect(valuesOf(lite, 'u64')).toContain('18446744073709551615');
    expect(await errorOf(readAll(path, LITE))).toMatch(/duckdb-v1\.parquet: the parquetjs-lite engine cannot read DECIMAL columns \(column "dec_10_2"\)/);
    expect(await errorOf(readAll(path, { ...LITE, columns: ['list_str'] }))).toMatch(/cannot read nested columns \(structs, lists, maps\) \(column "list_str"\)/);
    expect(await errorOf(readAll(path, { ...LITE, columns: ['enum'] }))).toMatch(/cannot read RLE_DICTIONARY encoding \(column "enum"\)/);
  });

  it('names the DELTA encodings of a DuckDB v2 file', async () => {
    const path = join(dir, 'duckdb-v2.parquet');
    await writeAllTypesParquet(path, { rows: 500, parquetVersion: 'v2', columns: ['id', 'str', 'bool'] });
    expect(await errorOf(readAll(path, LITE))).toMatch(/duckdb-v2\.parquet: the parquetjs-lite engine cannot read DELTA_BINARY_PACKED encoding \(column "id"\); use the default engine parquet-wasm$/);
    expect(await errorOf(readAll(path, { ...LITE, columns: ['str'] }))).toMatch(/cannot read DELTA_LENGTH_BYTE_ARRAY encoding \(column "str"\)/);
    expect(valuesOf(await readAll(path, { ...LITE, columns: ['bool'] }), 'bool')).toEqual(valuesOf(await readAll(path, { columns: ['bool'] }), 'bool'));
  });
});

describe('parquetjs-lite reading bad input', () => {
  it('gives the default engine messages for a missing, non-Parquet, empty or truncated file', async () => {
    const text = join(dir, 'text.parquet');
    await writeFile(text, 'label,x\n1,2\n');
    const zero = join(dir, 'zero.parquet');
    await writeFile(zero, '');
    const good = join(dir, 'good.parquet');
    await writeBatches(good, [everyTypeBatch(50)], LITE);
    const truncated = join(dir, 'truncated.parquet');
    await writeFile(truncated, (await readFile(good)).subarray(0, 3000));
    expect(await errorOf(readAll(join(dir, 'missing.parquet'), LITE))).toMatch(/^arrow-balance: .*missing\.parquet: no such file or directory/);
    expect(await errorOf(readAll(text, LITE))).toMatch(/^arrow-balance: .*text\.parquet: not a Parquet file/);
    expect(await errorOf(readAll(zero, LITE))).toMatch(/zero\.parquet: empty file/);
    expect(await errorOf(readAll(truncated, LITE))).toMatch(/^arrow-balance: .*truncated\.parquet: truncated or not a Parquet file/);
  });

  it('reports a corrupt footer as a parquetjs-lite failure naming the file', async () => {
    const good = join(dir, 'footer-source.parquet');
    await writeBatches(good, [everyTypeBatch(50)], LITE);
    const bytes = Buffer.from(await readFile(good));
    const footerStart = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
    bytes.fill(0xff, footerStart, footerStart + 40);
    const corrupt = join(dir, 'footer.parquet');
    await writeFile(corrupt, bytes);
    expect(await errorOf(readAll(corrupt, LITE))).toMatch(/^arrow-balance: .*footer\.parquet: parquetjs-lite could not read the file \(.+\); use the default engine parquet-wasm$/);
  });
});

describe('parquetjs-lite reading corrupt pages', () => {
  it('ends each read with rows or a clear error naming the input, never a crash or hang (seeded fuzz)', async () => {
    const good = join(dir, 'fuzz-source.parquet');
    await writeBatches(good, [everyTypeBatch(400)], { ...LITE, rowGroupSize: 150 });
    const bytes = await readFile(good);
    const dataEnd = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
    let seed = 2024;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const outcomes = new Set<string>();
    for (let trial = 0; trial < 100; trial += 1) {
      const flipped = Buffer.from(bytes);
      for (let k = 0; k < 3; k += 1) {
        const at = 4 + Math.floor(random() * (dataEnd - 4));
        flipped[at] = (flipped[at] ?? 0) ^ (1 + Math.floor(random() * 255));
      }
      try {
        await lastValueFrom(fromParquet(new Uint8Array(flipped), LITE).pipe(toArray()));
        outcomes.add('rows');
      } catch (error) {
        expect((error as Error).message).toMatch(/^arrow-balance: <buffer>: [^\n]+$/);
        outcomes.add('error');
      }
    }
    expect(outcomes.has('error')).toBe(true);
  });
});

describe('parquetjs-lite writer limits', () => {
  const nested = (): RecordBatch => {
    const tags = vectorFromArray([['a'], ['b', 'c']], new List(new Field('item', new Utf8(), true)));
    return new Table({ id: vectorFromArray([1, 2], new Int32()), tags }).batches[0]!;
  };

  it('refuses zstd, brotli and lz4_raw before creating any file', async () => {
    for (const compression of ['zstd', 'brotli', 'lz4_raw'] as const) {
      const path = join(dir, `codec-${compression}.parquet`);
      expect(await errorOf(writeBatches(path, [everyTypeBatch(5)], { ...LITE, compression }))).toBe(
        `arrow-balance: ${path}: the parquetjs-lite engine cannot write ${compression.toUpperCase()} compression (it writes snappy, gzip or none); use the default engine parquet-wasm`,
      );
      expect(existsSync(path)).toBe(false);
    }
    expect(await leftovers()).toEqual([]);
  });

  it('refuses List, Struct, Decimal, zoned timestamps and Time64 columns at the first batch, naming them', async () => {
    const path = join(dir, 'refused.parquet');
    expect(await errorOf(writeBatches(path, [nested()], LITE))).toMatch(/refused\.parquet: the parquetjs-lite engine cannot write List<Utf8> columns \(column "tags"\); use the default engine parquet-wasm$/);
    const struct = new Table({ s: vectorFromArray([{ x: 1 }], new Struct([new Field('x', new Float64())])) }).batches[0]!;
    expect(await errorOf(writeBatches(path, [struct], LITE))).toMatch(/cannot write Struct<\{x:Float64\}> columns \(column "s"\)/);
    const decimal = makeData({ type: new Decimal(2, 10, 128), length: 1, nullCount: 0, data: new Uint32Array(4) });
    const decimalSchema = new Schema([new Field('d', decimal.type, false)]);
    const decimalBatch = new RecordBatch(decimalSchema, makeData({ type: new Struct(decimalSchema.fields), length: 1, nullCount: 0, children: [decimal] }));
    expect(await errorOf(writeBatches(path, [decimalBatch], LITE))).toMatch(/cannot write Decimal\[10e\+2\] columns \(column "d"\)/);
    const zoned = new Table({ t: vectorFromArray([0], new TimestampMillisecond('UTC')) }).batches[0]!;
    expect(await errorOf(writeBatches(path, [zoned], LITE))).toMatch(/cannot write timestamps with a time zone \(Timestamp<MILLISECOND, UTC>\) \(column "t"\)/);
    const micros = new Table({ t: vectorFromArray([1n], new TimeMicrosecond()) }).batches[0]!;
    expect(await errorOf(writeBatches(path, [micros], LITE))).toMatch(/cannot write Time64<MICROSECOND> columns .*\(column "t"\)/);
    expect(existsSync(path)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses values it cannot write exactly, naming the column, and leaves no file', async () => {
    const path = join(dir, 'values.parquet');
    const nan = new Table({ x: vectorFromArray([1, Number.NaN], new Float64()) }).batches[0]!;
    expect(await errorOf(writeBatches(path, [nan], LITE))).toMatch(/cannot write NaN \(column "x"\); use the default engine parquet-wasm$/);
    const wide = new Table({ n: vectorFromArray([1n, 2n ** 53n], new Int64()) }).batches[0]!;
    expect(await errorOf(writeBatches(path, [wide], LITE))).toMatch(/cannot write 64-bit integers beyond ±2\^53 \(exactly\), such as 9007199254740992 \(column "n"\)/);
    const unsigned = new Table({ u: vectorFromArray([2 ** 31], new Uint32()) }).batches[0]!;
    expect(await errorOf(writeBatches(path, [unsigned], LITE))).toMatch(/cannot write UINT32 values above 2147483647, such as 2147483648 \(column "u"\)/);
    expect(existsSync(path)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });
});

describe('parquetjs-lite writes atomically', () => {
  it('leaves no file and no temporary file when the source fails after batches were written', async () => {
    const path = join(dir, 'atomic.parquet');
    const source = concat(from([everyTypeBatch(300), everyTypeBatch(300)]), throwError(() => new Error('source broke')));
    expect(await errorOf(lastValueFrom(source.pipe(toParquet(path, { ...LITE, rowGroupSize: 100 }))))).toMatch(/source broke/);
    expect(existsSync(path)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('leaves nothing when a later batch fails while appending', async () => {
    const path = join(dir, 'late-failure.parquet');
    const good = new Table({ x: vectorFromArray(Array.from({ length: 500 }, (_, i) => i), new Float64()) }).batches[0]!;
    const bad = new Table({ x: vectorFromArray([1, Number.NaN], new Float64()) }).batches[0]!;
    expect(await errorOf(writeBatches(path, [good, good, bad, good], { ...LITE, rowGroupSize: 200 }))).toMatch(/cannot write NaN \(column "x"\)/);
    expect(existsSync(path)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('removes the temporary file when unsubscribed mid-write, and writes nothing more', async () => {
    const path = join(dir, 'unsubscribed.parquet');
    const source = new Observable<RecordBatch>((subscriber) => {
      subscriber.next(everyTypeBatch(200));
      // Never completes: the consumer unsubscribes.
    });
    const subscription = source.pipe(toParquet(path, LITE)).subscribe({ error: () => undefined });
    expect((await readdir(dir)).some((name) => name.startsWith('.unsubscribed.parquet.'))).toBe(true);
    subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(existsSync(path)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses an existing output without overwrite, and replaces it with overwrite', async () => {
    const path = join(dir, 'exists.parquet');
    await writeBatches(path, [everyTypeBatch(10)], LITE);
    expect(await errorOf(writeBatches(path, [everyTypeBatch(10)], LITE))).toMatch(/output file already exists/);
    const summary = await writeBatches(path, [everyTypeBatch(20)], { ...LITE, overwrite: true });
    expect(summary.rows).toBe(20);
    expect((await readAll(path, LITE)).reduce((sum, batch) => sum + batch.numRows, 0)).toBe(20);
  });
});
