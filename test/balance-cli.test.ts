import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata } from './support/duckdb.js';
import { writeLabelledParquet } from './support/fixtures.js';

const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const mammography = fileURLToPath(new URL('../samples/mammography.parquet', import.meta.url));
let dir: string;

interface Run {
  readonly status: number | null;
  /** The signal that ended the process, when it did not exit by itself. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether a signal asked for with `killWhenWriting` was sent while the process ran. */
  readonly signalled: boolean;
}

/**
 * Resolves true once a temporary output file in the test folder holds data (the job is writing), or false
 * once `exited` says the process ended first: the poll never outlives its run.
 */
async function writingStarted(exited: () => boolean): Promise<boolean> {
  for (;;) {
    if (exited()) return false;
    for (const name of (await readdir(dir)).filter((entry) => entry.endsWith('.tmp'))) {
      if ((await stat(join(dir, name)).catch(() => ({ size: 0 }))).size > 0) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function run(args: readonly string[], options: { killWhenWriting?: boolean; signal?: NodeJS.Signals } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let exited = false;
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', () => (exited = true));
    if (options.killWhenWriting === true) {
      void writingStarted(() => exited).then((started) => {
        if (started) signalled = child.kill(options.signal ?? 'SIGINT');
      });
    }
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr, signalled }));
  });
}

/** Files in the test folder other than the inputs: no output, no temporary file may be left. */
async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.tmp') || name.startsWith('out'));
}

function oneErrorLine(result: Run, pattern: RegExp): void {
  expect(result.status).not.toBe(0);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^arrow-balance: /);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('arrow-balance balance', () => {
  it('balances a file DuckDB wrote, prints the before/after table and stores the report in the file', async () => {
    const input = join(dir, 'duck.parquet');
    await writeLabelledParquet(input, { rows: 20_000, classes: { a: 0.9, b: 0.09, c: 0.01 }, rowGroupSize: 4096 });
    const output = join(dir, 'out-duck.parquet');
    const result = await run(['balance', input, '--label', 'label', '-o', output, '--seed', '5']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/class\s+before\s+share\s+after\s+share/);
    expect(result.stdout).toMatch(/a\s+18,000\s+90\.0%\s+█+.*200\s+33\.3%/);
    expect(result.stdout).toMatch(/seed 5: 20,000 rows read, 600 written/);
    const report = JSON.parse((await parquetMetadata(output)).keyValue['arrow-balance'] ?? '{}') as Record<string, unknown>;
    expect(report).toMatchObject({ seed: 5, outputCounts: { total: 600 }, mode: 'exact', capacity: null, shuffle: null, importanceWeight: null });
    await rm(output);
  });

  it('prints the report as JSON, and the same seed gives the same file', async () => {
    // Everything that shapes the output is in the report, so the file says how to make it again.
    const options = ['--strategy', 'over', '--seed', '9', '--shuffle', '5000', '--importance-weight', 'w', '--json'];
    const first = await run(['balance', mammography, '--label', 'label', '-o', join(dir, 'out-1.parquet'), ...options]);
    const second = await run(['balance', mammography, '--label', 'label', '-o', join(dir, 'out-2.parquet'), ...options]);
    const report = JSON.parse(first.stdout) as { outputCounts: { classes: Array<{ value: number; count: number }> }; seed: number };
    expect(report.outputCounts.classes).toEqual([{ value: -1, count: 10923 }, { value: 1, count: 10923 }]);
    expect(report).toMatchObject({ seed: 9, shuffle: 5000, importanceWeight: 'w', capacity: null });
    const stored = JSON.parse((await parquetMetadata(join(dir, 'out-1.parquet'))).keyValue['arrow-balance'] ?? '{}') as Record<string, unknown>;
    expect(stored).toMatchObject({ seed: 9, shuffle: 5000, importanceWeight: 'w' });
    expect(stored).not.toHaveProperty('output');
    expect(second.status).toBe(0);
    // The metadata holds what made the rows, not where the file went: the two files are the same bytes.
    const [one, two] = await Promise.all(['out-1.parquet', 'out-2.parquet'].map(async (name) => createHash('sha256').update(await readFile(join(dir, name))).digest('hex')));
    expect(one).toBe(two);
    await rm(join(dir, 'out-1.parquet'));
    await rm(join(dir, 'out-2.parquet'));
  });

  it.each([
    ['a missing input', ['balance', 'nope.parquet', '--label', 'label', '-o', 'OUT'], /nope\.parquet: no such file/],
    ['a missing label column', ['balance', 'MAMMO', '--label', 'y', '-o', 'OUT'], /column "y" not found; columns are: f1, f2, f3, f4, f5, f6, label/],
    ['an unknown class in --target', ['balance', 'MAMMO', '--label', 'label', '-o', 'OUT', '--target', '7=10'], /target names class "7" .*classes are: -1 \(10923 rows\), 1 \(260 rows\)/],
    ['a bad --target', ['balance', 'MAMMO', '--label', 'label', '-o', 'OUT', '--target', 'most'], /--target "most" is not understood/],
    ['an output folder that does not exist', ['balance', 'MAMMO', '--label', 'label', '-o', 'NOFOLDER'], /output folder .* does not exist/],
    ['an unknown option', ['balance', 'MAMMO', '--label', 'label', '-o', 'OUT', '--sead', '1'], /^arrow-balance: unknown option --sead; see arrow-balance --help \(an input whose name starts with "-" goes after --\)$/],
  ])('gives one clear line and leaves nothing for %s', async (_name, args, pattern) => {
    const resolved = args.map((arg) => (arg === 'MAMMO' ? mammography : arg === 'OUT' ? join(dir, 'out.parquet') : arg === 'NOFOLDER' ? join(dir, 'missing', 'out.parquet') : arg));
    oneErrorLine(await run(resolved), pattern);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses one class only, an empty file and a float label with NaN', async () => {
    const one = join(dir, 'one.parquet');
    await writeLabelledParquet(one, { rows: 100, classes: { a: 1 } });
    oneErrorLine(await run(['balance', one, '--label', 'label', '-o', join(dir, 'out.parquet')]), /at least two classes/);
    const empty = join(dir, 'empty.parquet');
    await writeLabelledParquet(empty, { rows: 0, classes: { a: 0.5, b: 0.5 } });
    oneErrorLine(await run(['balance', empty, '--label', 'label', '-o', join(dir, 'out.parquet')]), /at least two classes but the counts have no rows; check that the input is not empty/);
    const counted = await run(['count', empty, '--label', 'label']);
    expect({ status: counted.status, table: counted.stdout.trim().split('\n').map((line) => line.trim().split(/\s+/)) }).toEqual({ status: 0, table: [['class', 'rows', 'share'], ['total', '0', '-']] });
    for (const mode of ['reservoir', 'online']) {
      oneErrorLine(await run(['balance', empty, '--label', 'label', '-o', join(dir, 'out.parquet'), '--mode', mode]), /at least two classes but the input has no labelled rows/);
    }
    const weighted = await run(['weight', empty, '--label', 'label', '-o', join(dir, 'out-empty-weighted.parquet')]);
    expect(weighted.stdout).toMatch(/^total\s+0\s+-\s*$/m);
    await rm(join(dir, 'out-empty-weighted.parquet'), { force: true });
    const { openDuckDb } = await import('./support/duckdb.js');
    const db = await openDuckDb();
    const nan = join(dir, 'nan.parquet');
    await db.run(`COPY (SELECT CASE WHEN i = 3 THEN 'nan'::DOUBLE ELSE (i % 2)::DOUBLE END AS label FROM range(10) t(i)) TO '${nan}' (FORMAT parquet)`);
    db.close();
    oneErrorLine(await run(['balance', nan, '--label', 'label', '-o', join(dir, 'out.parquet')]), /label.*NaN/i);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses to overwrite without --force and never touches the input', async () => {
    const output = join(dir, 'out-existing.parquet');
    await writeFile(output, 'keep');
    oneErrorLine(await run(['balance', mammography, '--label', 'label', '-o', output]), /already exists/);
    expect(await readFile(output, 'utf8')).toBe('keep');
    const input = join(dir, 'input.parquet');
    await copyFile(mammography, input);
    // Refused as an input first, with or without --force (not "already exists; use --force").
    oneErrorLine(await run(['balance', input, '--label', 'label', '-o', input]), /: is also an input \(.*input\.parquet\); write the output to another path$/);
    oneErrorLine(await run(['balance', input, '--label', 'label', '-o', input, '--force']), /: is also an input /);
    expect(await readFile(input)).toEqual(await readFile(mammography));
    await rm(output);
    expect(await leftovers()).toEqual([]);
  });

  it('takes the reservoir capacity from --capacity', async () => {
    const output = join(dir, 'out-capacity.parquet');
    const result = await run(['balance', mammography, '--label', 'label', '-o', output, '--mode', 'reservoir', '--capacity', '100', '--seed', '1', '--json']);
    expect(JSON.parse(result.stdout).outputCounts).toEqual({ total: 200, classes: [{ value: -1, count: 100 }, { value: 1, count: 100 }] });
    expect(result.stderr).toMatch(/^arrow-balance: note: reservoir capped class -1 at 100 rows .*raise "capacity" \(--capacity\) to at least 260/);
    await rm(output);
  });

  it('prints a note, with one prefix, when the reservoir caps a class', async () => {
    const input = join(dir, 'capped.parquet');
    await writeLabelledParquet(input, { rows: 240_000, classes: { a: 0.5, b: 0.5 } });
    const result = await run(['balance', input, '--label', 'label', '-o', join(dir, 'out-capped.parquet'), '--mode', 'reservoir', '--seed', '1']);
    expect(result.status).toBe(0);
    const notes = result.stderr.trim().split('\n');
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note).toMatch(/^arrow-balance: note: reservoir capped class "[ab]" at 100000 rows/);
    await rm(join(dir, 'out-capped.parquet'));
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('leaves nothing behind when stopped by %s mid-write', async (signal, status) => {
    const input = join(dir, 'big.parquet');
    await writeLabelledParquet(input, { rows: 1_500_000, classes: { a: 0.9, b: 0.1 }, rowGroupSize: 122_880 });
    await mkdir(join(dir, 'sub'), { recursive: true });
    const result = await run(['balance', input, '--label', 'label', '-o', join(dir, 'out-big.parquet'), '--strategy', 'over'], { killWhenWriting: true, signal });
    await rm(input);
    // The signal is sent once the temporary output holds data, so the job is always stopped mid-write. One
    // comparison of the whole outcome, so that a failure shows the exit status, the signal and stderr together.
    expect({ signalled: result.signalled, status: result.status, signal: result.signal, stderr: result.stderr.trim() }).toEqual({
      signalled: true,
      status,
      signal: null,
      stderr: `arrow-balance: interrupted by ${signal}; nothing was written`,
    });
    expect(await leftovers()).toEqual([]);
  }, 60_000);
});

describe('arrow-balance count, --help and --version', () => {
  it('runs as an executable (the bin npx and npm link call has its execute bits and a node shebang)', () => {
    const result = spawnSync(cli, ['--version'], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('prints counts as JSON and as a table', async () => {
    const json = await run(['count', mammography, '--label', 'label', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ total: 11183, classes: [{ value: -1, count: 10923 }, { value: 1, count: 260 }] });
    const table = await run(['count', mammography, '--label', 'label']);
    expect(table.stdout).toMatch(/-1\s+10,923\s+97\.7%/);
  });

  it('shows the help for a command\'s --help, and takes negative numbers and bad engines as usage mistakes', async () => {
    for (const args of [['balance', '--help'], ['count', '-h'], ['weight', mammography, '--help']]) {
      const help = await run(args);
      expect({ status: help.status, stdout: help.stdout.split('\n')[0] }).toEqual({ status: 0, stdout: 'arrow-balance: rebalance class-imbalanced Parquet or Arrow IPC data' });
    }
    const output = join(dir, 'out-usage.parquet');
    const cases: Array<[string[], RegExp]> = [
      [['--seed', '-1'], /^arrow-balance: --seed must be a whole number of at least 0, got "-1"; see arrow-balance --help$/],
      [['--row-group-size', '-5'], /^arrow-balance: --row-group-size must be a whole number of at least 1, got "-5"/],
      [['--engine', 'foo'], /^arrow-balance: --engine must be one of parquet-wasm, parquetjs-lite, got "foo"/],
      [['--capacity', '5'], /^arrow-balance: --capacity is used only by --mode reservoir; see arrow-balance --help$/],
    ];
    for (const [extra, message] of cases) {
      const result = await run(['balance', mammography, '--label', 'label', '-o', output, ...extra]);
      expect({ status: result.status, stderr: result.stderr.trim() }).toEqual({ status: 2, stderr: expect.stringMatching(message) });
    }
    // After "--", an input whose name starts with "-" (and a number) is a file, not an option's value.
    const dashed = join(dir, '-1.parquet');
    await copyFile(mammography, dashed);
    const balanced = await run(['balance', '--label', 'label', '-o', output, '--seed', '-1', '--', dashed]);
    expect(balanced.stderr).toMatch(/^arrow-balance: --seed must be a whole number of at least 0, got "-1"/);
    const counted = await run(['count', '--label', 'label', '--json', '--', dashed]);
    expect({ status: counted.status, total: (JSON.parse(counted.stdout || '{}') as { total?: number }).total }).toEqual({ status: 0, total: 11_183 });
    // -o takes a value too; and after "--", --help is an input's name.
    const dashedOutput = join(dir, '-2.parquet');
    expect((await run(['balance', mammography, '--label', 'label', '-o', dashedOutput, '--quiet'])).status).toBe(0);
    await rm(dashedOutput);
    oneErrorLine(await run(['count', '--label', 'label', '--', '--help']), /--help: no such file or directory/);
    await rm(dashed);
    expect(await leftovers()).toEqual([]);
  });

  it('shows help and the version, and a usage mistake exits 2', async () => {
    expect((await run(['--help'])).stdout).toContain('arrow-balance balance <input...> --label <column>');
    expect((await run(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const wrong = await run(['frobnicate']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/^arrow-balance: unknown command "frobnicate"/);
  });
});
