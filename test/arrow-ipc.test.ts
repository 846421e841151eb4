import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { tableFromIPC, type RecordBatch } from 'apache-arrow';
import { lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { fromArrow } from '../operators/from-arrow.js';
import { fromParquet } from '../operators/from-parquet.js';
import { toArrow } from '../operators/to-arrow.js';
import { balanceParquet } from '../src/jobs/balance-parquet.js';
import { arrowRsStream, type ArrowRsFixture } from './support/arrow-rs-ipc.js';

let dir: string;
let fixture: ArrowRsFixture;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrow-ipc-'));
  fixture = arrowRsStream();
  await writeFile(join(dir, 'rs.arrows'), fixture.stream);
  await writeFile(join(dir, 'rs.parquet'), fixture.parquet);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The rows of batches as plain objects (dictionary values decoded), for comparisons. */
function rowsOf(batches: readonly RecordBatch[]): unknown[] {
  return batches.flatMap((batch) => batch.toArray().map((row) => ({ ...(row as { toJSON(): object }).toJSON() })));
}

/** The one-line error an Observable ends with. */
async function errorOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught as Error);
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe('fromArrow on IPC written by arrow-rs', () => {
  it('reads a stream with a dictionary column, nulls and several batches, from bytes, a Node stream and a path', async () => {
    const expected = rowsOf(await lastValueFrom(fromParquet(fixture.parquet).pipe(toArray())));
    for (const source of [fixture.stream, Readable.from([fixture.stream.subarray(0, 1000), fixture.stream.subarray(1000)]), join(dir, 'rs.arrows')]) {
      const batches = await lastValueFrom(fromArrow(source).pipe(toArray()));
      expect(batches.length).toBe(5);
      expect(batches[0]?.schema.fields.map(String)).toEqual(['id: Int32', 'label: Int32', 'color: Dictionary<Int32, Utf8>', 'x: Float64']);
      expect(batches.reduce((n, batch) => n + (batch.getChild('color')?.nullCount ?? 0), 0)).toBe(Math.ceil(fixture.rows / 11));
      expect(batches.reduce((n, batch) => n + (batch.getChild('x')?.nullCount ?? 0), 0)).toBe(Math.ceil(fixture.rows / 13));
      expect(rowsOf(batches)).toEqual(expected);
    }
  });

  it('keeps only the columns asked for, and names a missing one', async () => {
    const batches = await lastValueFrom(fromArrow(fixture.stream, { columns: ['x', 'label'] }).pipe(toArray()));
    expect(batches[0]?.schema.fields.map((field) => field.name)).toEqual(['x', 'label']);
    expect(batches[0]?.getChild('label')?.get(0)).toBe(0);
    expect(await errorOf(lastValueFrom(fromArrow(fixture.stream, { columns: ['y'] })))).toBe('arrow-balance: <buffer>: column "y" not found; columns are: id, label, color, x');
  });

  it('stops reading when unsubscribed (take), in a pipeline that writes what it got', async () => {
    expect((await lastValueFrom(fromArrow(join(dir, 'rs.arrows')).pipe(take(2), toArray()))).length).toBe(2);
    const empty = await lastValueFrom(fromArrow(join(dir, 'rs.arrows')).pipe(take(1), toArrow(join(dir, 'first.arrows'))));
    expect(empty.rows).toBe(1024);
  });

  it('refuses a stream cut before its end-of-stream marker, cut mid-message, or not Arrow, in one line', async () => {
    const noEos = fixture.stream.subarray(0, fixture.stream.byteLength - 8);
    const midMessage = fixture.stream.subarray(0, Math.floor(fixture.stream.byteLength / 2));
    for (const bytes of [noEos, midMessage]) {
      const message = await errorOf(lastValueFrom(fromArrow(Readable.from([bytes]), { name: 'stdin' })));
      expect(message).toMatch(/^arrow-balance: stdin: the Arrow IPC stream ends after [\d,]+ bytes without its end-of-stream marker: it was cut short/);
      expect(message).not.toContain('\n');
    }
    expect(await errorOf(lastValueFrom(fromArrow(Readable.from([Buffer.from('label,x\n1,2\n')]), { name: 'stdin' })))).toMatch(/^arrow-balance: stdin: is not Arrow IPC data/);
    expect(await errorOf(lastValueFrom(fromArrow(Readable.from([]), { name: 'stdin' })))).toMatch(/^arrow-balance: stdin: is empty; expected an Arrow IPC stream/);
    expect(await errorOf(lastValueFrom(fromArrow(fixture.parquet)))).toMatch(/^arrow-balance: <buffer>: is a Parquet file, not Arrow IPC/);
  });
});

describe('toArrow', () => {
  it('writes an IPC stream that reads back the same, dictionaries and nulls included', async () => {
    const batches = await lastValueFrom(fromArrow(fixture.stream).pipe(toArray()));
    const summary = await lastValueFrom(fromArrow(fixture.stream).pipe(toArrow(join(dir, 'copy.arrows'))));
    expect(summary).toMatchObject({ format: 'arrows', rows: fixture.rows, batches: 5 });
    expect(rowsOf(await lastValueFrom(fromArrow(join(dir, 'copy.arrows')).pipe(toArray())))).toEqual(rowsOf(batches));
  });

  it('writes a Feather v2 (IPC file) that reads back the same, by random access', async () => {
    const plain = fromArrow(fixture.stream, { columns: ['id', 'label', 'x'] });
    const summary = await lastValueFrom(plain.pipe(toArrow(join(dir, 'copy.feather'), { metadata: { source: 'test' } })));
    expect(summary.format).toBe('arrow');
    const back = await lastValueFrom(fromArrow(join(dir, 'copy.feather')).pipe(toArray()));
    expect(back[0]?.schema.metadata.get('source')).toBe('test');
    expect(rowsOf(back)).toEqual(rowsOf(await lastValueFrom(plain.pipe(toArray()))));
    // The file's bytes, read whole by apache-arrow's own file reader, agree.
    expect(tableFromIPC(await import('node:fs').then((fs) => fs.readFileSync(join(dir, 'copy.feather')))).numRows).toBe(fixture.rows);
  });

  it('refuses, in one line and leaving no file, dictionaries that change where the IPC file format cannot hold them', async () => {
    const message = await errorOf(lastValueFrom(fromArrow(fixture.stream).pipe(toArrow(join(dir, 'dict.arrow')))));
    expect(message).toMatch(/^arrow-balance: .*dict\.arrow: a dictionary-encoded column changes its dictionary from one batch to the next, .*write an IPC stream instead/);
    expect((await readdir(dir)).filter((name) => name.startsWith('dict') || name.startsWith('.dict'))).toEqual([]);
  });

  it('refuses an existing file without overwrite and a bad format when created', () => {
    expect(() => toArrow(join(dir, 'x.arrow'), { format: 'csv' as 'arrow' })).toThrow(/unknown format "csv"; use one of: parquet, arrow, arrows/);
    expect(() => toArrow('')).toThrow(/must be a file path or a writable stream/);
  });
});

describe('balanceParquet with Arrow IPC', () => {
  it('writes the rows a Parquet output holds for the same seed (exact mode, Parquet input)', async () => {
    const options = { label: 'label', strategy: 'under' as const, seed: 11, overwrite: true };
    await balanceParquet(join(dir, 'rs.parquet'), join(dir, 'b.parquet'), options);
    const report = await balanceParquet(join(dir, 'rs.parquet'), join(dir, 'b.arrows'), options);
    const parquetRows = rowsOf(await lastValueFrom(fromParquet(join(dir, 'b.parquet')).pipe(toArray())));
    const ipcBatches = await lastValueFrom(fromArrow(join(dir, 'b.arrows')).pipe(toArray()));
    expect(rowsOf(ipcBatches)).toEqual(parquetRows);
    expect(report.outputCounts?.classes.map((entry) => entry.count)).toEqual([150, 150, 150]);
    // The report is in the schema's metadata, as in a Parquet footer.
    expect(JSON.parse(ipcBatches[0]?.schema.metadata.get('arrow-balance') ?? '{}')).toMatchObject({ seed: 11, mode: 'exact' });
  });

  it('balances an IPC stream read once, exactly, the same rows however the stream is cut into chunks', async () => {
    // The copy of the stream kept for the second pass goes to TMPDIR, and is gone afterwards.
    const spools = join(dir, 'spools');
    await mkdir(spools);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = spools;
    onTestFinished(() => {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    });
    const once = async (chunks: Uint8Array[], output: string): Promise<unknown[]> => {
      const report = await balanceParquet({ arrow: Readable.from(chunks), name: 'stdin' }, join(dir, output), { label: 'label', strategy: 'over', seed: 5 });
      expect(report.input).toEqual(['stdin']);
      expect(report.outputCounts?.classes.map((entry) => entry.count)).toEqual([4250, 4250, 4250]);
      return rowsOf(await lastValueFrom(fromArrow(join(dir, output)).pipe(toArray())));
    };
    const whole = await once([fixture.stream], 'o1.arrows');
    const cut = await once([fixture.stream.subarray(0, 333), fixture.stream.subarray(333, 9000), fixture.stream.subarray(9000)], 'o2.arrows');
    expect(cut).toEqual(whole);
    expect(whole.length).toBe(3 * 4250);
    expect(await readdir(spools)).toEqual([]);
  });
});
