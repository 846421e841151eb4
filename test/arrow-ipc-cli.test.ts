import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrowRsStream, type ArrowRsFixture } from './support/arrow-rs-ipc.js';

const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
let dir: string;
let spools: string;
let fixture: ArrowRsFixture;

interface PipedRun {
  readonly status: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs the built CLI with `input` on its stdin, killed after 60 s: `cat input | arrow-balance <args>`. */
function runPiped(args: readonly string[], input: Uint8Array | undefined): Promise<PipedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: dir,
      env: { ...process.env, TMPDIR: spools },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(stdout), stderr }));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrow-ipc-cli-'));
  spools = join(dir, 'spools');
  await mkdir(spools);
  fixture = arrowRsStream();
  await writeFile(join(dir, 'rs.arrows'), fixture.stream);
  await writeFile(join(dir, 'rs.parquet'), fixture.parquet);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('arrow-balance with Arrow IPC pipes', () => {
  it('cat train.arrows | arrow-balance balance - --label label -o - > balanced.arrows: only the stream on stdout', async () => {
    const run = await runPiped(['balance', '-', '--label', 'label', '-o', '-', '--seed', '3'], fixture.stream);
    expect(run.stderr).toMatch(/^class +before/);
    expect(run.stderr).toContain('written to stdout');
    expect(run.status).toBe(0);
    const table = tableFromIPC(run.stdout);
    expect(table.numRows).toBe(450);
    expect(table.schema.fields.map(String)).toEqual(['id: Int32', 'label: Int32', 'color: Dictionary<Int32, Utf8>', 'x: Float64']);
    const labels = Array.from(table.getChild('label')?.toArray() as Int32Array);
    expect([0, 1, 2].map((value) => labels.filter((label) => label === value).length)).toEqual([150, 150, 150]);
    expect(await readdir(spools)).toEqual([]);
  });

  it('writes the same rows to -o - as to a Parquet file, for the same seed; --json goes to stderr', async () => {
    const args = ['balance', join(dir, 'rs.parquet'), '--label', 'label', '--seed', '9', '--strategy', 'over'];
    const piped = await runPiped([...args, '-o', '-', '--json'], undefined);
    expect(piped.status).toBe(0);
    expect(JSON.parse(piped.stderr)).toMatchObject({ seed: 9, output: '<stream>' });
    const filed = await runPiped([...args, '-o', join(dir, 'over.parquet'), '--quiet'], undefined);
    expect(filed.status).toBe(0);
    // The Parquet file holds the ids the stream holds, in the same order.
    const ids = Array.from(tableFromIPC(piped.stdout).getChild('id')?.toArray() as Int32Array);
    expect(ids.length).toBe(3 * 4250);
    const { readFileSync } = await import('node:fs');
    const { readParquet } = await import('parquet-wasm');
    const parquetIds = Array.from(tableFromIPC(readParquet(readFileSync(join(dir, 'over.parquet'))).intoIPCStream()).getChild('id')?.toArray() as Int32Array);
    expect(ids).toEqual(parquetIds);
  });

  it('count - reads stdin; weight of an .arrows input: a .feather output cannot hold its changing dictionaries, --format arrows can', async () => {
    const count = await runPiped(['count', '-', '--label', 'label', '--json'], fixture.stream);
    expect(count.status).toBe(0);
    expect(JSON.parse(count.stdout.toString())).toEqual({ total: 5000, classes: [{ value: 0, count: 4250 }, { value: 1, count: 600 }, { value: 2, count: 150 }] });
    const refused = await runPiped(['weight', join(dir, 'rs.arrows'), '--label', 'label', '-o', join(dir, 'w.feather'), '--quiet'], undefined);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^arrow-balance: .*w\.feather: a dictionary-encoded column changes its dictionary from one batch to the next, .*--format arrows\)\n$/);
    expect((await readdir(dir)).filter((name) => name.includes('w.feather'))).toEqual([]);
    const weight = await runPiped(['weight', join(dir, 'rs.arrows'), '--label', 'label', '-o', join(dir, 'w.feather'), '--format', 'arrows', '--quiet'], undefined);
    expect(weight.status).toBe(0);
    const { readFileSync } = await import('node:fs');
    const table = tableFromIPC(readFileSync(join(dir, 'w.feather')));
    expect(table.numRows).toBe(5000);
    expect(table.schema.fields.at(-1)?.name).toBe('weight');
  });

  it.each([
    ['a stream cut before its end-of-stream marker', () => fixture.stream.subarray(0, fixture.stream.byteLength - 8), /^arrow-balance: stdin: the Arrow IPC stream ends after [\d,]+ bytes without its end-of-stream marker: it was cut short/],
    ['a stream cut mid-message', () => fixture.stream.subarray(0, 7777), /^arrow-balance: stdin: the Arrow IPC stream ends after 7,777 bytes without its end-of-stream marker/],
    ['text on stdin', () => Buffer.from('id,label\n1,0\n'), /^arrow-balance: stdin: is not Arrow IPC data/],
    ['an empty stdin', () => new Uint8Array(0), /^arrow-balance: stdin: is empty; expected an Arrow IPC stream/],
  ])('%s: one line, exit status 1, no output file, no copy left', async (_, input, message) => {
    for (const mode of ['exact', 'reservoir']) {
      const run = await runPiped(['balance', '-', '--label', 'label', '--mode', mode, '-o', join(dir, 'never.arrows')], input());
      expect({ status: run.status, lines: run.stderr.trim().split('\n').length }).toEqual({ status: 1, lines: 1 });
      expect(run.stderr).toMatch(message);
      expect((await readdir(dir)).filter((name) => name.includes('never'))).toEqual([]);
      expect(await readdir(spools)).toEqual([]);
    }
  });

  it('refuses Parquet on stdout, Parquet options for IPC output and IPC mixed with other inputs, as usage mistakes', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['balance', 'rs.parquet', '--label', 'label', '-o', '-', '--format', 'parquet'], /^arrow-balance: Parquet cannot be written to stdout/],
      [['balance', 'rs.parquet', '--label', 'label', '-o', 'x.arrows', '--compression', 'zstd'], /^arrow-balance: --compression applies to Parquet output; the output is Arrow IPC \(arrows\)/],
      [['balance', 'rs.arrows', 'rs.parquet', '--label', 'label', '-o', 'x.parquet'], /^arrow-balance: balance reads one Arrow IPC input \(rs\.arrows\) alone/],
      [['balance', 'rs.parquet', '--label', 'label', '-o', 'x.csv', '--format', 'csv'], /^arrow-balance: --format must be one of parquet, arrow, arrows, got "csv"/],
    ];
    for (const [args, message] of cases) {
      const run = await runPiped(args, undefined);
      expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 2 });
      expect(run.stderr).toMatch(message);
    }
  });
});
