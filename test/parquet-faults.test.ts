import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatch, tableFromArrays } from 'apache-arrow';
import { concat, from, lastValueFrom, Observable, take, throwError, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet, toParquet } from '../operators/index.js';
import { createParquetWriter } from '../src/parquet/file-writer.js';
import { leaseWorkers, liveWorkerCount, type ParquetWorker } from '../src/parquet/wasm/worker-pool.js';
import { resolveWriteOptions } from '../src/parquet/write-options.js';
import { applyDamage } from './support/parquet-damage.js';

let dir: string;
let good: string;
let goodBytes: Buffer;

function batchOf(start: number, rows: number): RecordBatch {
  const ids = Float64Array.from({ length: rows }, (_, i) => start + i);
  return tableFromArrays({ id: ids, y: Int32Array.from(ids, (i) => i % 3), s: Array.from(ids, (i) => `v${i % 17}`) }).batches[0] as RecordBatch;
}

/** Everything fromParquet emits, or the error message it ends with. */
async function outcome(source: string, options: Parameters<typeof fromParquet>[1] = {}): Promise<{ rows: number } | { error: string }> {
  try {
    const batches = await lastValueFrom(fromParquet(source, options).pipe(toArray()));
    return { rows: batches.reduce((sum, b) => sum + b.numRows, 0) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const FUZZ_TRIALS = 24;

/** The good file with 1 to 16 random bytes flipped before its footer (seeded by `trial`), written to disk. */
async function fuzzed(trial: number): Promise<string> {
  const footerLength = goodBytes.readUInt32LE(goodBytes.length - 8);
  const dataEnd = goodBytes.length - 8 - footerLength;
  let seed = 12345 + trial * 7919;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const bytes = Buffer.from(goodBytes);
  const flips = 1 + Math.floor(next() * 16);
  for (let f = 0; f < flips; f += 1) {
    const at = 4 + Math.floor(next() * (dataEnd - 4));
    bytes[at] = (bytes[at] as number) ^ (1 + Math.floor(next() * 255));
  }
  const path = join(dir, `fuzz-${trial}.parquet`);
  await writeFile(path, bytes);
  return path;
}

/** How many descriptors of this process point at `path` (Linux /proc). */
function openDescriptorsOf(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)) === path;
    } catch {
      return false;
    }
  }).length;
}

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-faults-'));
  good = join(dir, 'good.parquet');
  await lastValueFrom(from([batchOf(0, 20_000)]).pipe(toParquet(good, { rowGroupSize: 5000, compression: 'snappy' })));
  goodBytes = await readFile(good);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reading bad input', () => {
  it('reports a missing file', async () => {
    expect(await outcome(join(dir, 'missing.parquet'))).toEqual({ error: expect.stringMatching(/^arrow-balance: .*missing\.parquet: no such file or directory/) });
  });

  it('reports a file that is not Parquet', async () => {
    const path = join(dir, 'text.parquet');
    await writeFile(path, 'label,x\n1,2\n');
    expect(await outcome(path)).toEqual({ error: expect.stringMatching(/^arrow-balance: .*text\.parquet: not a Parquet file/) });
  });

  it('reports an empty file', async () => {
    const path = join(dir, 'zero.parquet');
    await writeFile(path, '');
    expect(await outcome(path)).toEqual({ error: expect.stringMatching(/zero\.parquet: empty file/) });
  });

  it('reports a truncated file', async () => {
    const path = join(dir, 'truncated.parquet');
    await writeFile(path, goodBytes.subarray(0, Math.floor(goodBytes.length / 2)));
    expect(await outcome(path)).toEqual({ error: expect.stringMatching(/^arrow-balance: .*truncated\.parquet: truncated or not a Parquet file/) });
  });

  it('reports a corrupt footer', async () => {
    const path = join(dir, 'footer.parquet');
    const bytes = Buffer.from(goodBytes);
    const footerLength = bytes.readUInt32LE(bytes.length - 8);
    const footerStart = bytes.length - 8 - footerLength;
    for (let i = footerStart; i < footerStart + 40; i += 1) bytes[i] = 0xff;
    await writeFile(path, bytes);
    const result = await outcome(path);
    expect(result).toEqual({ error: expect.stringMatching(/^arrow-balance: .*footer\.parquet: /) });
  });

  it('reports a row group whose footer declares other rows than its pages hold (the plan of exact mode relies on them), with either engine', async () => {
    // The good file has 4 row groups of 5,000 rows; FileMetaData field 4 is row_groups, RowGroup field 3 num_rows.
    const path = join(dir, 'rows-moved.parquet');
    await writeFile(path, applyDamage({ kind: 'footer-value', base: 'good', edits: [{ path: [4, 1, 3], from: '5000', to: '5007' }] }, new Map([['good', goodBytes]])));
    expect(await outcome(path)).toEqual({ error: expect.stringMatching(/^arrow-balance: .*rows-moved\.parquet: row groups? [\d to]+ holds? 20000 rows but the footer says 20007; the file is corrupt$/) });
    // parquetjs-lite cannot read the dictionary-encoded columns: the id column alone.
    expect(await outcome(path, { engine: 'parquetjs-lite', columns: ['id'] })).toEqual({ error: expect.stringMatching(/^arrow-balance: .*rows-moved\.parquet: column "id" holds 5000 values for 5007 rows; the file is corrupt$/) });
  });

  it('reports a row group that declares a negative row count, with either engine (parquet-wasm trapped; parquetjs-lite skipped the group)', async () => {
    const path = join(dir, 'rows-negative.parquet');
    await writeFile(path, applyDamage({ kind: 'footer-value', base: 'good', edits: [{ path: [4, 2, 3], from: '5000', to: '-5000' }] }, new Map([['good', goodBytes]])));
    const refused = { error: expect.stringMatching(/^arrow-balance: .*rows-negative\.parquet: row group 2 declares -5000 rows; the file is corrupt$/) };
    expect(await outcome(path)).toEqual(refused);
    expect(await outcome(path, { engine: 'parquetjs-lite', columns: ['id'] })).toEqual(refused);
  });

  it('survives bytes flipped inside data pages (seeded fuzz): each read ends with rows or a clear error, never a crash or hang', async () => {
    const errors: string[] = [];
    for (let trial = 0; trial < FUZZ_TRIALS; trial += 1) {
      const path = await fuzzed(trial);
      const result = await outcome(path);
      if ('error' in result) {
        expect(result.error).toMatch(new RegExp(`^arrow-balance: .*fuzz-${trial}\\.parquet: `));
        expect(result.error).not.toContain('\n');
        errors.push(result.error);
      } else {
        expect(result.rows).toBe(20_000);
      }
    }
    // Flipping compressed page bytes must be noticed at least sometimes; if it never is, the test proves nothing.
    expect(errors.length).toBeGreaterThan(0);
    // Some flips make parquet-wasm trap (RuntimeError: unreachable); that must surface as an error too.
    expect(errors.some((error) => error.includes('the Parquet decoder crashed'))).toBe(true);
  }, 120_000);

  it('a decoder crash in a read -> write pipeline (one shared worker) fails the job cleanly, and the next job works', async () => {
    let crashing: string | undefined;
    for (let trial = 0; trial < FUZZ_TRIALS && crashing === undefined; trial += 1) {
      const path = await fuzzed(trial);
      const result = await outcome(path);
      if ('error' in result && result.error.includes('the Parquet decoder crashed')) crashing = path;
    }
    expect(crashing).toBeDefined();
    const output = join(dir, 'crash-out.parquet');
    await expect(lastValueFrom(fromParquet(crashing as string).pipe(toParquet(output)))).rejects.toThrow(/fuzz-\d+\.parquet: the Parquet decoder crashed/);
    expect(existsSync(output)).toBe(false);
    expect(await leftovers()).toEqual([]);
    const summary = await lastValueFrom(fromParquet(good).pipe(toParquet(output)));
    expect(summary.rows).toBe(20_000);
    await rm(output);
  }, 120_000);

  it('reports source errors from a list where one file is bad, naming that file', async () => {
    const bad = join(dir, 'bad-in-list.parquet');
    await writeFile(bad, 'nope');
    const result = await outcome([good, bad] as unknown as string);
    expect(result).toEqual({ error: expect.stringMatching(/bad-in-list\.parquet: not a Parquet file/) });
  });

  it('rejects bad options before reading', () => {
    expect(() => fromParquet(good, { batchSize: 0 })).toThrow(/arrow-balance: batchSize must be a positive integer/);
    expect(() => fromParquet(good, { engine: 'duck' as never })).toThrow(/arrow-balance: unknown engine "duck"; use one of: parquet-wasm, parquetjs-lite/);
    expect(() => fromParquet(good, { columns: [] })).toThrow(/columns is empty/);
  });

  it('is lazy: nothing is opened before subscription', async () => {
    const path = join(dir, 'later.parquet');
    const stream = fromParquet(path);
    await copyFile(good, path);
    expect((await lastValueFrom(stream.pipe(toArray()))).reduce((s, b) => s + b.numRows, 0)).toBe(20_000);
  });

  it('stops reading when unsubscribed (take) and completes', async () => {
    const batches = await lastValueFrom(fromParquet(good).pipe(take(1), toArray()));
    expect(batches).toHaveLength(1);
    expect(batches[0]?.numRows).toBe(5000);
  });

  it('closes the file once read to the end, unsubscribed early, or failed', async () => {
    const bad = join(dir, 'closes-bad.parquet');
    await writeFile(bad, goodBytes.subarray(0, goodBytes.length - 100));
    // Earlier tests' readers close theirs a moment after their streams ended.
    await expect.poll(() => openDescriptorsOf(good), { timeout: 5000 }).toBe(0);
    await lastValueFrom(fromParquet([good, good]).pipe(toArray()));
    await lastValueFrom(fromParquet(good).pipe(take(1), toArray()));
    await expect(lastValueFrom(fromParquet(bad))).rejects.toThrow(/closes-bad\.parquet/);
    // Descriptors close once the worker has stopped, a moment after each stream ends.
    await expect.poll(() => openDescriptorsOf(good) + openDescriptorsOf(bad), { timeout: 5000 }).toBe(0);
  });
});

describe('writing is atomic', () => {
  it('stops waiting for room, with an error, when the encoder\'s worker dies meanwhile (a blocked write could not see it)', async () => {
    const path = join(dir, 'encoder-died.parquet');
    const writer = createParquetWriter(path, resolveWriteOptions({}));
    // The first batch keeps the encoder busy, so the second waits in the queue and room() has to wait.
    writer.write(batchOf(0, 1_000_000));
    writer.write(batchOf(1_000_000, 1_000));
    const waiting = expect(writer.room()).rejects.toThrow(/^arrow-balance: .*encoder-died\.parquet: writing Parquet failed: the encoder stopped \(closed\)$/);
    // Every worker in the pool (toParquet's encoders may have left more than one), so the encoder too.
    const workers: ParquetWorker[] = leaseWorkers(liveWorkerCount());
    await Promise.all(workers.map((worker) => worker.terminate()));
    await waiting;
    writer.abort();
    for (const worker of workers) worker.release();
    expect(await leftovers()).toEqual([]);
  });

  it('refuses to overwrite an existing file unless asked, leaving it unchanged', async () => {
    const path = join(dir, 'exists.parquet');
    await writeFile(path, 'keep me');
    await expect(lastValueFrom(from([batchOf(0, 10)]).pipe(toParquet(path)))).rejects.toThrow(/exists\.parquet: output file already exists/);
    expect(await readFile(path, 'utf8')).toBe('keep me');
    const summary = await lastValueFrom(from([batchOf(0, 10)]).pipe(toParquet(path, { overwrite: true })));
    expect(summary.rows).toBe(10);
    expect(await leftovers()).toEqual([]);
  });

  it('leaves no file when the source fails after some batches were written, and removes the temp file before the error arrives', async () => {
    const path = join(dir, 'failed.parquet');
    const source = concat(from([batchOf(0, 50_000), batchOf(50_000, 50_000)]), throwError(() => new Error('source broke')));
    let seenAtError: string[] | undefined;
    await new Promise<void>((resolve) => {
      source.pipe(toParquet(path, { rowGroupSize: 10_000 })).subscribe({
        error: (error: Error) => {
          expect(error.message).toBe('arrow-balance: source broke');
          // Checked synchronously inside the error callback: cleanup must already be done.
          seenAtError = readdirSync(dir).filter((name) => name.endsWith('.tmp') || name === 'failed.parquet');
          resolve();
        },
      });
    });
    expect(seenAtError).toEqual([]);
    expect(existsSync(path)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('leaves no file when unsubscribed mid-write', async () => {
    const path = join(dir, 'cancelled.parquet');
    const endless = new Observable<RecordBatch>((subscriber) => {
      let i = 0;
      const timer = setInterval(() => subscriber.next(batchOf(i++ * 1000, 1000)), 1);
      return () => clearInterval(timer);
    });
    const subscription = endless.pipe(toParquet(path)).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await leftovers()).length).toBe(1);
    subscription.unsubscribe();
    expect(await leftovers()).toEqual([]);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses to write onto a file that is being read, and leaves the input untouched', async () => {
    const input = join(dir, 'input-copy.parquet');
    await copyFile(good, input);
    const before = await stat(input);
    await expect(lastValueFrom(fromParquet(input).pipe(toParquet(input, { overwrite: true })))).rejects.toThrow(/input-copy\.parquet: is an input being read/);
    const after = await stat(input);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(input)).toEqual(goodBytes);
    expect(await leftovers()).toEqual([]);
  });

  it('reports a missing output folder, and a source with no batches', async () => {
    await expect(lastValueFrom(from([batchOf(0, 1)]).pipe(toParquet(join(dir, 'no-such-dir', 'x.parquet'))))).rejects.toThrow(/output folder .*no-such-dir does not exist/);
    await expect(lastValueFrom(from([] as RecordBatch[]).pipe(toParquet(join(dir, 'nothing.parquet'))))).rejects.toThrow(/no schema to write/);
    expect(existsSync(join(dir, 'nothing.parquet'))).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('rejects bad write options when the operator is created', () => {
    expect(() => toParquet(join(dir, 'o.parquet'), { compression: 'lz4' as never })).toThrow(/unknown compression "lz4"; use one of: snappy, zstd, gzip, brotli, lz4_raw, none/);
    expect(() => toParquet(join(dir, 'o.parquet'), { rowGroupSize: -1 })).toThrow(/rowGroupSize must be a positive integer/);
  });
});
