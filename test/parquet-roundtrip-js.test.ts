import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Float64, Int32, RecordBatch, Schema, Utf8, tableFromArrays, vectorFromArray, makeData, Struct } from 'apache-arrow';
import { firstValueFrom, from, lastValueFrom, tap, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet, toParquet } from '../operators/index.js';
import { liveWorkerCount } from '../src/parquet/wasm/worker-pool.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-rt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sampleBatch(start: number, rows: number): RecordBatch {
  const ids = Int32Array.from({ length: rows }, (_, i) => start + i);
  const table = tableFromArrays({
    id: ids,
    x: Float64Array.from(ids, (i) => i / 7),
    name: Array.from(ids, (i) => (i % 5 === 0 ? null : `row-${i}`)),
  });
  return table.batches[0] as RecordBatch;
}

async function readAll(path: string, options = {}): Promise<RecordBatch[]> {
  return lastValueFrom(fromParquet(path, options).pipe(toArray()));
}

function columnValues(batches: RecordBatch[], name: string): unknown[] {
  return batches.flatMap((batch) => [...(batch.getChild(name)?.toArray() ?? [])].map((v) => v));
}

describe('toParquet then fromParquet', () => {
  it('writes every row and reads them back in order, with a summary of what was written', async () => {
    const path = join(dir, 'simple.parquet');
    const summary = await firstValueFrom(from([sampleBatch(0, 1000), sampleBatch(1000, 500)]).pipe(toParquet(path, { rowGroupSize: 400 })));
    expect(summary).toMatchObject({ path, rows: 1500, rowGroups: 4 });
    expect(summary.bytes).toBe((await readFile(path)).byteLength);
    const batches = await readAll(path);
    expect(batches.map((b) => b.numRows)).toEqual([400, 400, 400, 300]);
    expect(columnValues(batches, 'id')).toEqual(Array.from({ length: 1500 }, (_, i) => i));
    const names = batches.flatMap((b) => { const v = b.getChild('name'); return Array.from({ length: b.numRows }, (_, i) => v?.get(i)); });
    expect(names[0]).toBeNull();
    expect(names[1]).toBe('row-1');
    expect(names.filter((n) => n === null)).toHaveLength(300);
  });

  it('keeps schema metadata, field metadata and nullability', async () => {
    const path = join(dir, 'meta.parquet');
    const schema = new Schema(
      [new Field('a', new Int32(), false, new Map([['unit', 'count']])), new Field('b', new Utf8(), true)],
      new Map([['origin', 'test']]),
    );
    const a = makeData({ type: new Int32(), length: 3, nullCount: 0, data: Int32Array.from([1, 2, 3]) });
    const b = vectorFromArray(['x', null, 'z'], new Utf8()).data[0];
    const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 3, nullCount: 0, children: [a, b!] }));
    await lastValueFrom(from([batch]).pipe(toParquet(path)));
    const [back] = await readAll(path);
    expect(back?.schema.metadata.get('origin')).toBe('test');
    expect(back?.schema.fields[0]?.metadata.get('unit')).toBe('count');
    expect(back?.schema.fields[0]?.nullable).toBe(false);
    expect(back?.schema.fields[1]?.nullable).toBe(true);
  });

  it('stores extra key-value metadata', async () => {
    const path = join(dir, 'kv.parquet');
    await lastValueFrom(from([sampleBatch(0, 10)]).pipe(toParquet(path, { metadata: { 'arrow-balance-test': '{"ok":true}' } })));
    const text = (await readFile(path)).toString('latin1');
    expect(text).toContain('arrow-balance-test');
    expect(text).toContain('{"ok":true}');
  });

  it.each(['snappy', 'zstd', 'gzip', 'brotli', 'lz4_raw', 'none'] as const)('round-trips with %s compression', async (compression) => {
    const path = join(dir, `codec-${compression}.parquet`);
    await lastValueFrom(from([sampleBatch(0, 3000)]).pipe(toParquet(path, { compression })));
    const batches = await readAll(path);
    expect(columnValues(batches, 'x')).toEqual(Array.from({ length: 3000 }, (_, i) => i / 7));
  });

  it('projects columns and cuts batches to batchSize', async () => {
    const path = join(dir, 'project.parquet');
    await lastValueFrom(from([sampleBatch(0, 1000)]).pipe(toParquet(path, { rowGroupSize: 600 })));
    const batches = await readAll(path, { columns: ['x', 'id'], batchSize: 250 });
    expect(batches.map((b) => b.numRows)).toEqual([250, 250, 100, 250, 150]);
    expect(batches[0]?.schema.fields.map((f) => f.name)).toEqual(['id', 'x']);
  });

  it('emits batches of at most 65,536 rows by default, whatever the row-group size', async () => {
    const path = join(dir, 'big-group.parquet');
    await lastValueFrom(from([sampleBatch(0, 100_000)]).pipe(toParquet(path, { rowGroupSize: 100_000 })));
    expect((await readAll(path)).map((batch) => batch.numRows)).toEqual([65_536, 34_464]);
  });

  it('reads a projection of scattered columns over several row groups with the same values as a full read', async () => {
    // A projection makes parquet-wasm fetch several byte ranges per request; each must get its own read buffer.
    const path = join(dir, 'scattered.parquet');
    const wide = tableFromArrays({
      a: Float64Array.from({ length: 30_000 }, (_, i) => i * 1.5),
      b: Int32Array.from({ length: 30_000 }, (_, i) => -i),
      c: Float64Array.from({ length: 30_000 }, (_, i) => Math.sqrt(i)),
      d: Array.from({ length: 30_000 }, (_, i) => `s${i % 97}`),
      e: Int32Array.from({ length: 30_000 }, (_, i) => i * 7),
    }).batches[0] as RecordBatch;
    await lastValueFrom(from([wide]).pipe(toParquet(path, { rowGroupSize: 7000 })));
    const values = (batches: RecordBatch[], column: string): unknown[] => batches.flatMap((batch) => [...(batch.getChild(column)?.toArray() ?? [])]);
    const full = await readAll(path);
    const projected = await readAll(path, { columns: ['a', 'c', 'e'] });
    for (const column of ['a', 'c', 'e']) expect(values(projected, column)).toEqual(values(full, column));
  });

  it('decodes with two workers into the same batches, in the same order, as with one', async () => {
    const path = join(dir, 'decoders.parquet');
    await lastValueFrom(from([sampleBatch(0, 9000), sampleBatch(9000, 8000)]).pipe(toParquet(path, { rowGroupSize: 1000 })));
    const one = await readAll(path);
    const two = await readAll(path, { decoders: 2 });
    expect(two.map((batch) => batch.numRows)).toEqual(one.map((batch) => batch.numRows));
    expect(two.flatMap((batch) => [...(batch.getChild('id')?.toArray() as Int32Array)])).toEqual(Array.from({ length: 17_000 }, (_, i) => i));
    const bytes = await readFile(path);
    const fromBytes = await lastValueFrom(fromParquet(new Uint8Array(bytes), { decoders: 2 }).pipe(toArray()));
    expect(fromBytes.reduce((sum, batch) => sum + batch.numRows, 0)).toBe(17_000);
    expect(() => fromParquet(path, { decoders: 0 })).toThrow(/decoders must be an integer from 1 to 16, got 0/);
  });

  it('reads and writes a pipeline through one shared worker thread', async () => {
    const input = join(dir, 'shared-in.parquet');
    await lastValueFrom(from([sampleBatch(0, 5000)]).pipe(toParquet(input, { rowGroupSize: 500 })));
    // Workers of earlier tests stop after a second of idleness; start from none.
    await expect.poll(liveWorkerCount, { timeout: 5000 }).toBe(0);
    const seen: number[] = [];
    const summary = await lastValueFrom(
      fromParquet(input).pipe(
        tap(() => seen.push(liveWorkerCount())),
        toParquet(join(dir, 'shared-out.parquet')),
      ),
    );
    expect(summary.rows).toBe(5000);
    expect(seen.length).toBe(10);
    expect(Math.max(...seen)).toBe(1);
  });

  it('reads from bytes in memory, a list of files and a directory', async () => {
    const sub = join(dir, 'parts');
    await import('node:fs/promises').then((fs) => fs.mkdir(sub));
    await lastValueFrom(from([sampleBatch(100, 10)]).pipe(toParquet(join(sub, 'b.parquet'))));
    await lastValueFrom(from([sampleBatch(0, 10)]).pipe(toParquet(join(sub, 'a.parquet'))));
    const fromDir = columnValues(await readAll(sub), 'id');
    expect(fromDir).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 100 + i)]);
    const fromList = columnValues(await lastValueFrom(fromParquet([join(sub, 'b.parquet'), join(sub, 'a.parquet')]).pipe(toArray())), 'id');
    expect(fromList.slice(0, 1)).toEqual([100]);
    const bytes = new Uint8Array(await readFile(join(sub, 'a.parquet')));
    const fromBytes = columnValues(await lastValueFrom(fromParquet(bytes).pipe(toArray())), 'id');
    expect(fromBytes).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it('emits one empty batch carrying the schema for a file with no rows, and writes it back', async () => {
    const path = join(dir, 'empty.parquet');
    await lastValueFrom(from([sampleBatch(0, 0)]).pipe(toParquet(path)));
    const batches = await readAll(path);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.numRows).toBe(0);
    expect(batches[0]?.schema.fields.map((f) => f.name)).toEqual(['id', 'x', 'name']);
    const copy = join(dir, 'empty-copy.parquet');
    const summary = await lastValueFrom(fromParquet(path).pipe(toParquet(copy)));
    expect(summary.rows).toBe(0);
  });

  it('leaves no temporary files behind', async () => {
    const names = await readdir(dir);
    expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('schema checks', () => {
  it('rejects files with different schemas, naming both files and the field', async () => {
    const a = join(dir, 'schema-a.parquet');
    const b = join(dir, 'schema-b.parquet');
    await lastValueFrom(from([sampleBatch(0, 5)]).pipe(toParquet(a)));
    const other = tableFromArrays({ id: Int32Array.from([1]), x: ['not a number'], name: ['n'] }).batches[0] as RecordBatch;
    await lastValueFrom(from([other]).pipe(toParquet(b)));
    await expect(readAll.call(null, [a, b] as unknown as string)).rejects.toThrow(
      /arrow-balance: .*schema-b\.parquet and .*schema-a\.parquet have different schemas: "x" is Float64 in one and .*Utf8.* in the other/,
    );
  });

  it('rejects a batch whose schema differs from the first one written', async () => {
    const path = join(dir, 'mixed.parquet');
    const other = tableFromArrays({ id: Float64Array.from([1]) }).batches[0] as RecordBatch;
    await expect(lastValueFrom(from([sampleBatch(0, 5), other]).pipe(toParquet(path)))).rejects.toThrow(/different schema than the first/);
    expect((await readdir(dir)).filter((name) => name.includes('mixed'))).toEqual([]);
  });

  it('names an unknown projected column and lists the columns', async () => {
    const path = join(dir, 'simple.parquet');
    await expect(readAll(path, { columns: ['nope'] })).rejects.toThrow(/column "nope" not found; columns are: id, x, name/);
  });
});
