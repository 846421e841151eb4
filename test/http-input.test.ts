import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, type RecordBatch } from 'apache-arrow';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet } from '../operators/from-parquet.js';
import { countParquet } from '../src/jobs/count-parquet.js';
import { balanceParquet } from '../src/jobs/balance-parquet.js';
import { pinInputs } from '../src/parquet/sources.js';
import { REPORT_METADATA_KEY } from '../src/jobs/balance-report.js';
import { MemoryRanges } from '../src/parquet/file-ranges.js';
import { readFooter } from '../src/parquet/pages/file-footer.js';
import { field, type ThriftList, type ThriftStruct } from '../src/parquet/thrift-compact.js';
import { writeAllTypesParquet, writeLabelledParquet } from './support/fixtures.js';
import { writeMixedParquet } from './support/mixed-fixture.js';
import { RangeServer, type SeenRequest } from './support/range-server.js';
import { runCli } from './support/run-cli.js';

let dir: string;
let server: RangeServer;
/** A labelled file of several row groups, on disk and served at `url`. */
let local: string;
let url: string;
let size: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-http-input-'));
  local = join(dir, 'labelled.parquet');
  await writeLabelledParquet(local, { rows: 20_000, classes: { a: 0.9, b: 0.09, c: 0.01 }, rowGroupSize: 4096 });
  const bytes = new Uint8Array(await readFile(local));
  size = bytes.byteLength;
  server = await RangeServer.start();
  url = server.put('/data/labelled.parquet', bytes);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  server.onRequest = undefined;
  server.requests.length = 0;
});

/**
 * The rows of a source, as a hash of their values column by column (equal hashes, equal rows; vitest compares
 * long arrays slowly, and the bytes under null values are undefined, so IPC bytes would not do).
 */
async function rowsOf(source: string | string[], columns?: string[]): Promise<string> {
  const batches: RecordBatch[] = await lastValueFrom(fromParquet(source, columns === undefined ? {} : { columns }).pipe(toArray()));
  const hash = createHash('sha256');
  const table = new Table(batches);
  hash.update(String(table.schema));
  for (const field of table.schema.fields) {
    for (const value of table.getChild(field.name) ?? []) hash.update(`${String(value)}\u0001`);
  }
  return hash.digest('hex');
}

/** Whether a request reads data: neither the opening suffix request nor the magic bytes. */
const readsData = (request: SeenRequest): boolean => request.range !== undefined && !request.range.startsWith('bytes=-') && request.range !== 'bytes=0-3';

/** FileMetaData's key_value_metadata field. */
const KEY_VALUE_METADATA = 5;

/**
 * A Parquet file cut where a job's input name shows: its bytes before the footer, its footer without the
 * key-value metadata, and the job's report from that metadata without `input` (the input as given).
 */
function withoutInputName(bytes: Uint8Array): { readonly data: Uint8Array; readonly input: unknown; readonly [other: string]: unknown } {
  const footer = readFooter(new MemoryRanges(bytes));
  const length = new DataView(bytes.buffer, bytes.byteOffset + bytes.byteLength - 8, 4).getUint32(0, true);
  const pairs = (field(footer, KEY_VALUE_METADATA) as ThriftList).items as ThriftStruct[];
  const text = (value: unknown): string => new TextDecoder().decode(value as Uint8Array);
  const entry = pairs.find((pair) => text(field(pair, 1)) === REPORT_METADATA_KEY) as ThriftStruct;
  const { input, ...report } = JSON.parse(text(field(entry, 2))) as { input: unknown };
  return { data: bytes.subarray(0, bytes.byteLength - 8 - length), fields: footer.fields.filter(({ id }) => id !== KEY_VALUE_METADATA), report, input };
}

/** What is left of output `out.parquet` in a folder: the file, or its temporary files. */
async function outputs(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name === 'out.parquet' || name.startsWith('.out.parquet'));
}

/**
 * Runs a job (`balance` or `weight`) on the file on disk and on the same file over HTTP with the CLI, and checks
 * that the outputs are the same but for the input's name in their metadata.
 */
async function writesAlike(command: 'balance' | 'weight', disk: string, http: string, args: readonly string[]): Promise<void> {
  const fromDisk = join(dir, 'out-local.parquet');
  const fromHttp = join(dir, 'out-http.parquet');
  try {
    await compareJobs(command, disk, http, args, fromDisk, fromHttp);
  } finally {
    await rm(fromDisk, { force: true });
    await rm(fromHttp, { force: true });
  }
}

async function compareJobs(command: 'balance' | 'weight', disk: string, http: string, args: readonly string[], fromDisk: string, fromHttp: string): Promise<void> {
  const common = [...(command === 'balance' ? ['--seed', '7', '--workers', '2'] : []), '--quiet', ...args];
  expect((await runCli([command, disk, '-o', fromDisk, ...common])).status).toBe(0);
  // A presigned URL's signature is a secret: it must not reach the file's metadata.
  const run = await runCli([command, `${http}?X-Amz-Signature=secret`, '-o', fromHttp, ...common]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const written = await readFile(fromHttp);
  expect(written.includes('secret')).toBe(false);
  const a = withoutInputName(written);
  const b = withoutInputName(await readFile(fromDisk));
  expect(a.input).toEqual([http]);
  expect(b.input).toEqual([disk]);
  expect(Buffer.compare(a.data, b.data)).toBe(0);
  expect({ ...a, input: undefined, data: undefined }).toEqual({ ...b, input: undefined, data: undefined });
}

describe('Parquet over HTTP', () => {
  it('reads the rows the file on disk holds, every request pinned to the first ETag', async () => {
    expect(await rowsOf(url)).toEqual(await rowsOf(local));
    const [first, ...later] = server.requests;
    expect(first?.range).toBe('bytes=-65536');
    expect(later.length).toBeGreaterThan(0);
    for (const request of later) expect(request.ifMatch).toMatch(/^"[0-9a-f]{16}"$/);
  });

  it('fetches only the column chunks it decodes', async () => {
    expect(await rowsOf(url, ['label'])).toEqual(await rowsOf(local, ['label']));
    const fetched = server.requests.reduce((sum, { range }) => {
      const [, from, to] = /^bytes=(\d*)-(\d*)$/.exec(range ?? '') ?? [];
      return sum + (from === '' ? Number(to) : Number(to) - Number(from) + 1);
    }, 0);
    // The label is one int column of 13: its chunks and the footer are a small part of the file.
    expect(fetched).toBeLessThan(size / 4);
  });

  it('counts classes as on disk', async () => {
    expect((await countParquet(url, { label: 'label' })).toJSON()).toEqual((await countParquet(local, { label: 'label' })).toJSON());
  });

  it('balances to the same file as from disk but for the input name in its metadata (CLI, exact mode on workers, same seed)', async () => {
    await writesAlike('balance', local, url, ['--label', 'label']);
  });

  it('weights to the same file as from disk but for the input name in its metadata (CLI)', async () => {
    await writesAlike('weight', local, url, ['--label', 'label']);
  });

  it('reads several URLs as one input, in the order given', async () => {
    const second = server.put('/data/second.parquet', new Uint8Array(await readFile(local)));
    const both = await rowsOf([url, second]);
    const twice = await rowsOf([local, local]);
    expect(both).toEqual(twice);
  });
});

describe('Parquet over HTTP: faults', () => {
  it('retries a connection dropped in the middle of a body', async () => {
    server.inject('drop', readsData);
    expect(await rowsOf(url)).toEqual(await rowsOf(local));
    const ranges = server.requests.filter(readsData).map((request) => request.range);
    // The dropped range was asked for again.
    expect(new Set(ranges).size).toBeLessThan(ranges.length);
  });

  it('retries a 503 (the opening request and a data request)', async () => {
    server.inject('503');
    server.inject('503', readsData);
    expect((await countParquet(url, { label: 'label' })).toJSON()).toEqual((await countParquet(local, { label: 'label' })).toJSON());
  });

  it('fails with one line, writing nothing, when the object is replaced between footer and data', async () => {
    const path = '/data/replaced.parquet';
    const replacedUrl = server.put(path, new Uint8Array(await readFile(local)));
    const other = join(dir, 'other.parquet');
    await writeAllTypesParquet(other, { rows: 1000 });
    const otherBytes = new Uint8Array(await readFile(other));
    server.onRequest = (request) => {
      if (request.path === path && readsData(request)) server.put(path, otherBytes);
    };
    const run = await runCli(['balance', replacedUrl, '--label', 'label', '-o', join(dir, 'out.parquet'), '--quiet']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^arrow-balance: http:\/\/127\.0\.0\.1:\d+\/data\/replaced\.parquet: the object was replaced while it was being read \(.*\); run the job again to read the new version\n$/);
    expect(await outputs(dir)).toEqual([]);
  });

  it('refuses a server without Range support, in one line', async () => {
    server.inject('no-range');
    const run = await runCli(['count', url, '--label', 'label']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^arrow-balance: http:\/\/127\.0\.0\.1:\d+\/data\/labelled\.parquet: the server does not serve byte ranges .*\n$/);
  });

  it('says so in one line when the URL is not found (404), writing nothing', async () => {
    const run = await runCli(['balance', `${server.origin}/data/missing.parquet?token=secret`, '--label', 'label', '-o', join(dir, 'out.parquet')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^arrow-balance: http:\/\/127\.0\.0\.1:\d+\/data\/missing\.parquet: not found \(HTTP 404 Not Found\); check the URL\n$/);
    // A query string may hold a presigned URL's signature: it is never printed.
    expect(run.stderr).not.toContain('secret');
    expect(existsSync(join(dir, 'out.parquet'))).toBe(false);
  });

  it('refuses URLs with the parquetjs-lite engine', async () => {
    const run = await runCli(['count', url, '--label', 'label', '--engine', 'parquetjs-lite']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/the parquetjs-lite engine reads local files only; read URLs with the default engine \(parquet-wasm\)\n$/);
  });
});

describe('Parquet over HTTP: one version per job', () => {
  /** Whether a request opens the object (the suffix request for its size, ETag and footer). */
  const opens = (request: SeenRequest): boolean => request.range?.startsWith('bytes=-') === true;

  it('opens each URL once for a whole exact job (count pass, report, sampling pass on workers)', async () => {
    const page = join(dir, 'page.html');
    const run = await runCli(['balance', url, '--label', 'label', '-o', join(dir, 'once.parquet'), '--seed', '3', '--report', page, '--quiet']);
    expect(run.stderr).toBe('');
    expect(server.requests.filter(opens)).toHaveLength(1);
    // Every later request is pinned to the ETag of that one.
    expect(server.requests.filter(readsData).every((request) => request.ifMatch !== undefined)).toBe(true);
    await rm(join(dir, 'once.parquet'));
    await rm(page);
  });

  it('fails a job on pinned inputs whose object was replaced after pinning, writing nothing', async () => {
    const path = '/data/pinned.parquet';
    const pinnedUrl = server.put(path, new Uint8Array(await readFile(local)));
    const pinned = await pinInputs(pinnedUrl);
    const other = join(dir, 'other-pinned.parquet');
    await writeAllTypesParquet(other, { rows: 1000 });
    server.put(path, new Uint8Array(await readFile(other)));
    await expect(balanceParquet(pinned, join(dir, 'out.parquet'), { label: 'label', seed: 1 })).rejects.toThrow(/^arrow-balance: http:\/\/127\.0\.0\.1:\d+\/data\/pinned\.parquet: the object was replaced while it was being read/);
    expect(await outputs(dir)).toEqual([]);
    // A fresh job reads the new version.
    expect(await rowsOf(pinnedUrl)).toEqual(await rowsOf(other));
  });
});

describe('Parquet over HTTP: plans and shards', () => {
  it('plans URLs with their size and ETag, and two shards without inputs write the one-file rows', async () => {
    const folder = await mkdtemp(join(dir, 'shards-'));
    const planPath = join(folder, 'plan.json');
    const plan = await runCli(['plan', url, '--label', 'label', '--seed', '3', '-o', planPath]);
    expect(plan.stderr).toBe('');
    const file = JSON.parse(await readFile(planPath, 'utf8')) as { inputs: Array<Record<string, unknown>> };
    expect(file.inputs).toEqual([{ path: url, size, etag: expect.stringMatching(/^"[0-9a-f]{16}"$/) }]);
    const parts = join(folder, 'parts');
    for (const index of [0, 1]) {
      const shard = await runCli(['balance', '--plan', planPath, '--shard', `${index}/2`, '-o', `${parts}/`, '--quiet']);
      expect(shard.stderr).toBe('');
      expect(shard.status).toBe(0);
    }
    const verify = await runCli(['verify', parts, '--plan', planPath]);
    expect(verify.status).toBe(0);
    const whole = join(folder, 'whole.parquet');
    expect((await runCli(['balance', local, '--label', 'label', '--seed', '3', '-o', whole, '--quiet'])).status).toBe(0);
    expect(await rowsOf([join(parts, 'part-0-of-2.parquet'), join(parts, 'part-1-of-2.parquet')])).toEqual(await rowsOf(whole));
  }, 60_000);

  it('refuses a shard when the object changed since planning, in one line', async () => {
    const path = '/data/planned.parquet';
    const plannedUrl = server.put(path, new Uint8Array(await readFile(local)));
    const folder = await mkdtemp(join(dir, 'changed-'));
    const planPath = join(folder, 'plan.json');
    expect((await runCli(['plan', plannedUrl, '--label', 'label', '--seed', '3', '-o', planPath])).status).toBe(0);
    const other = join(dir, 'other-planned.parquet');
    await writeLabelledParquet(other, { rows: 20_000, classes: { a: 0.9, b: 0.09, c: 0.01 }, rowGroupSize: 4096, seed: 99 });
    server.put(path, new Uint8Array(await readFile(other)));
    const shard = await runCli(['balance', '--plan', planPath, '--shard', '0/2', '-o', `${folder}/parts/`]);
    expect(shard.status).toBe(1);
    expect(shard.stderr).toMatch(/^arrow-balance: http:\/\/127\.0\.0\.1:\d+\/data\/planned\.parquet: changed since it was planned \((size|ETag) .*\); make a new plan .*\n$/);
    expect(existsSync(join(folder, 'parts', 'part-0-of-2.parquet'))).toBe(false);
  }, 60_000);
});

describe('Parquet over HTTP: a row group too large to decode whole', () => {
  let large: string;
  let largeUrl: string;
  beforeAll(async () => {
    // About 80 MB decoded in one row group: read in windows of pages, its column chunks fetched ahead.
    large = join(dir, 'large.parquet');
    await writeMixedParquet(large, { rows: 600_000, rowGroupSize: 600_000 });
    largeUrl = server.put('/data/large.parquet', new Uint8Array(await readFile(large)));
  }, 120_000);

  it('reads the rows the file on disk holds', async () => {
    expect(await rowsOf(largeUrl)).toEqual(await rowsOf(large));
  }, 120_000);

  it('balances in column slices to the same file as from disk', async () => {
    await writesAlike('balance', large, largeUrl, ['--label', 'label']);
  }, 120_000);
});
