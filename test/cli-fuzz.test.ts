/**
 * Seeded fuzz of the command line: good Parquet files (two written by DuckDB, of several row groups, and
 * samples/mammography.parquet) are damaged in each way of support/parquet-damage.ts (flipped bytes in data
 * pages and in the footer, a wrong footer length, a zeroed, cut or well-formed but lying footer, zeroed and
 * spliced regions, truncation), files that are no Parquet at all are added, and the built CLI runs `count`
 * and `balance` (exact: worker threads, stitched parts) on each, and on some `balance --strategy over` or
 * `weight`. Every run must end by itself with status 0 or 1; a failure is one `arrow-balance:` line on stderr
 * naming the input and leaves nothing in the output folder (hidden temporary files included); a success
 * leaves an output that `count` reads.
 *
 * Replay: FUZZ_SEED=<seed> draws other cases (the default is fixed); FUZZ_CASE=<n> runs only case n of that
 * seed, FUZZ_CASE=r<n> only regression n; FUZZ_KEEP=1 keeps the folder of damaged files (its path is
 * printed); FUZZ_REPORT=1 prints every run's status and message. A failing case's message prints its
 * damage as JSON: paste it into REGRESSIONS.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../src/random.js';
import { runBounded, type BoundedRun } from './support/bounded-run.js';
import { ALL_TYPES_COLUMNS, allTypesQuery, writeLabelledParquet } from './support/fixtures.js';
import { sqlString, withDuckDb } from './support/duckdb.js';
import { applyDamage, DAMAGE_KINDS, describeDamage, drawDamage, drawNonParquet, type Damage } from './support/parquet-damage.js';

const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const mammography = fileURLToPath(new URL('../samples/mammography.parquet', import.meta.url));

const DEFAULT_SEED = '20240614';
const SEED = process.env['FUZZ_SEED'] ?? DEFAULT_SEED;
const ONLY_CASE = process.env['FUZZ_CASE'];
/** Each child process is killed after this long; a run that needs it has hung. */
const CHILD_TIMEOUT_MS = 20_000;
/** Child processes at once (the CLI itself runs up to two worker threads). */
const CONCURRENCY = 2;

/** The good files every damage starts from. */
const BASES = ['labelled.parquet', 'all-types.parquet', 'mammography.parquet'] as const;

type CommandName = 'count' | 'balance' | 'balance-over' | 'weight';

/** Cases found failing by the fuzz, replayed on every run whatever the seed (FUZZ_CASE=r<n> runs one alone). */
const REGRESSIONS: ReadonlyArray<Regression> = [
  {
    // Found by FUZZ_SEED=8 case 10: exact balance failed with "arrow-balance: the input has more rows than its
    // 1 units hold", naming no file; count and weight succeeded, trusting the pages over the footer.
    note: 'a row group declares fewer rows than its pages hold',
    damage: { kind: 'footer-value', base: 'mammography.parquet', edits: [{ path: [4, 0, 3], from: '11183', to: '11167' }] },
    commands: ['count', 'balance'],
    fails: ['count', 'balance'],
    message: /: row group 0 holds 11183 rows but the footer says 11167; the file is corrupt$/,
  },
  {
    // The same found by hand in the other direction: "arrow-balance: the input ended in unit 0 of 1, 16 rows short".
    note: 'a row group declares more rows than its pages hold',
    damage: { kind: 'footer-value', base: 'mammography.parquet', edits: [{ path: [4, 0, 3], from: '11183', to: '11199' }] },
    commands: ['balance'],
    fails: ['balance'],
    message: /: row group 0 holds 11183 rows but the footer says 11199; the file is corrupt$/,
  },
  {
    // Two row groups wrong by opposite amounts: the total agrees, so only reads of one row group (the exact
    // mode's tasks) can tell; count and weight read the label column of all three at once and succeed. Before,
    // balance said "arrow-balance: <file>: arrow-balance: class "0" had 1738 rows in the input but "counts"
    // said 1740; pass the counts of this very input (...)": the prefix twice, and advice for the library's API.
    note: 'row counts moved between row groups',
    damage: {
      kind: 'footer-value',
      base: 'labelled.parquet',
      edits: [
        { path: [4, 1, 3], from: '2048', to: '2050' },
        { path: [4, 2, 3], from: '1904', to: '1902' },
      ],
    },
    commands: ['count', 'balance'],
    fails: ['balance'],
    message: /: row group 1 holds 2048 rows but the footer says 2050; the file is corrupt$/,
  },
];

/** A case found failing, with the error its commands must now end with. */
interface Regression {
  readonly note: string;
  readonly damage: Damage;
  /** The commands to run. */
  readonly commands: readonly CommandName[];
  /** The commands that must fail, with this message. */
  readonly fails: readonly CommandName[];
  readonly message: RegExp;
}

interface FuzzCase {
  readonly id: string;
  /** The damaged file's name. */
  readonly file: string;
  readonly damage: Damage;
  readonly commands: readonly CommandName[];
  readonly regression?: Regression;
}

/** What one command did, and what `count` said of its output when it succeeded. */
interface RunOutcome {
  readonly command: CommandName;
  /** The damaged file. */
  readonly input: string;
  readonly args: readonly string[];
  readonly run: BoundedRun;
  readonly leftInFolder: string[];
  readonly recount?: BoundedRun;
}

let dir: string;
const goodFiles = new Map<string, Uint8Array>();
const outcomes = new Map<string, RunOutcome[]>();

/**
 * The cases of `seed`: every kind of damage done to two of the three good files (kind and files by
 * position, so that each seed covers them all; where and how much from the seed and the case's number),
 * then the files that are no Parquet at all, then the regressions.
 */
function fuzzCases(seed: string): FuzzCase[] {
  const cases: FuzzCase[] = [];
  // One damaged file in four also gets `balance --strategy over` or `weight` (kinds and files vary with n).
  const extras: Array<CommandName | undefined> = ['balance-over', undefined, undefined, undefined, 'weight', undefined, undefined, undefined];
  DAMAGE_KINDS.forEach((kind, k) => {
    for (const base of [k, k + 1].map((b) => BASES[b % BASES.length] as string)) {
      const n = cases.length;
      const extra = extras[n % extras.length];
      const damage = drawDamage(seededRandom(`${seed}/${n}`), kind, base, goodFiles);
      cases.push({ id: `seed ${seed} case ${n}`, file: `case-${n}.parquet`, damage, commands: ['count', 'balance', ...(extra === undefined ? [] : [extra])] });
    }
  });
  (['empty', 'csv', 'magic-only'] as const).forEach((kind) => {
    const n = cases.length;
    cases.push({ id: `seed ${seed} case ${n}`, file: `case-${n}.parquet`, damage: drawNonParquet(seededRandom(`${seed}/${n}`), kind), commands: ['count', 'balance'] });
  });
  const selected = ONLY_CASE === undefined ? cases : cases.filter((fuzzCase) => fuzzCase.id === `seed ${seed} case ${ONLY_CASE}`);
  REGRESSIONS.forEach((regression, r) => {
    if (ONLY_CASE !== undefined && ONLY_CASE !== `r${r}`) return;
    const { note, damage } = regression;
    selected.push({ id: `regression ${r} (${note})`, file: `regression-${r}.parquet`, damage, commands: regression.commands, regression });
  });
  return selected;
}

function commandArgs(command: CommandName, input: string, output: string): string[] {
  switch (command) {
    case 'count':
      return ['count', input, '--label', 'label'];
    case 'balance':
      return ['balance', input, '--label', 'label', '-o', output, '--seed', '1'];
    case 'balance-over':
      return ['balance', input, '--label', 'label', '-o', output, '--seed', '1', '--strategy', 'over'];
    case 'weight':
      return ['weight', input, '--label', 'label', '-o', output];
  }
}

/** Runs the CLI bounded by its own time limit. */
function cliRun(args: readonly string[]): Promise<BoundedRun> {
  return runBounded(process.execPath, [cli, ...args], { timeoutMs: CHILD_TIMEOUT_MS });
}

/** Runs every command of a case, each writing to a folder of its own, and records what happened. */
async function runCase(fuzzCase: FuzzCase): Promise<RunOutcome[]> {
  const input = join(dir, 'in', fuzzCase.file);
  await writeFile(input, applyDamage(fuzzCase.damage, goodFiles));
  const results: RunOutcome[] = [];
  for (const command of fuzzCase.commands) {
    const folder = join(dir, 'out', `${fuzzCase.file}-${command}`);
    await mkdir(folder, { recursive: true });
    const output = join(folder, 'out.parquet');
    const args = commandArgs(command, input, output);
    const run = await cliRun(args);
    const leftInFolder = (await readdir(folder)).sort();
    const wrote = command !== 'count' && run.status === 0 && leftInFolder.includes('out.parquet');
    const recount = wrote ? await cliRun(['count', output, '--label', 'label']) : undefined;
    results.push({ command, input, args, run, leftInFolder, ...(recount === undefined ? {} : { recount }) });
  }
  return results;
}

/** Runs `work` on every item, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
}

/** Text that must never reach the user: a stack trace, a V8 or Rust crash, a wasm trap's own name. */
const CRASH_TEXT = /^\s+at .*[:(]|FATAL|Aborted|RuntimeError|panicked|Segmentation fault|core dumped|Uncaught|\[object /m;

/** What is wrong with one run (an empty list when nothing is). */
function problems(outcome: RunOutcome): string[] {
  const { command, input, run, leftInFolder, recount } = outcome;
  const found: string[] = [];
  if (run.timedOut) found.push(`did not end by itself within ${CHILD_TIMEOUT_MS} ms (killed)`);
  else if (run.signal !== null) found.push(`ended by signal ${run.signal}`);
  else if (run.status !== 0 && run.status !== 1) found.push(`exit status ${String(run.status)}`);
  if (CRASH_TEXT.test(run.stderr) || CRASH_TEXT.test(run.stdout)) found.push('crash text in the output');
  if (run.status === 1 && !/^arrow-balance: [^\n]+\n$/.test(run.stderr)) found.push('stderr is not one "arrow-balance:" line');
  // Only the input is wrong: the message must say which file it is about.
  else if (run.status === 1 && !run.stderr.includes(input)) found.push('the message does not name the input');
  if (command !== 'count') {
    const expected = run.status === 0 ? ['out.parquet'] : [];
    if (JSON.stringify(leftInFolder) !== JSON.stringify(expected)) found.push(`output folder holds [${leftInFolder.join(', ')}]`);
    if (run.status === 0 && recount !== undefined && (recount.timedOut || recount.status !== 0)) {
      found.push(`count of the output ended with status ${String(recount.status)}${recount.timedOut ? ' (timed out)' : ''}: ${recount.stderr.trim()}`);
    }
  }
  return found;
}

const cases: FuzzCase[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-cli-fuzz-'));
  await mkdir(join(dir, 'in'));
  await mkdir(join(dir, 'out'));
  const labelled = join(dir, 'labelled.parquet');
  await writeLabelledParquet(labelled, { rows: 6000, classes: { 0: 0.85, 1: 0.12, 2: 0.03 }, featureColumns: 4, featureTypes: 'mixed', rowGroupSize: 2048, compression: 'zstd' });
  const allTypes = join(dir, 'all-types.parquet');
  await withDuckDb(async (db) => {
    const rows = `SELECT *, CASE WHEN id % 10 = 3 THEN 'rare' ELSE 'common' END AS label FROM (${allTypesQuery(3000, 1, ALL_TYPES_COLUMNS)})`;
    await db.run(`COPY (${rows}) TO ${sqlString(allTypes)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1024)`);
  });
  await copyFile(mammography, join(dir, 'mammography.parquet'));
  for (const base of BASES) goodFiles.set(base, await readFile(join(dir, base)));
  cases.push(...fuzzCases(SEED));
  await pool(cases, CONCURRENCY, async (fuzzCase) => {
    outcomes.set(fuzzCase.id, await runCase(fuzzCase));
  });
}, 240_000);

afterAll(async () => {
  if (process.env['FUZZ_REPORT'] === '1') {
    for (const fuzzCase of cases) {
      for (const outcome of outcomes.get(fuzzCase.id) ?? []) {
        console.log(`${fuzzCase.id} ${outcome.command} -> ${String(outcome.run.status)} ${describeDamage(fuzzCase.damage)} | ${outcome.run.stderr.trim().slice(0, 300)}`);
      }
    }
  }
  if (process.env['FUZZ_KEEP'] === '1') console.log(`cli-fuzz: damaged files kept in ${dir}`);
  else if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe(`CLI fuzz (FUZZ_SEED=${SEED}${ONLY_CASE === undefined ? '' : `, FUZZ_CASE=${ONLY_CASE}`})`, () => {
  it('the good files are counted, and the all-types one balanced (so the checks below can tell damage from a broken setup)', async () => {
    const runs: Array<{ args: string[]; status: number | null; stderr: string; table: boolean }> = [];
    const checks = [...BASES.map((base) => ['count', join(dir, base), '--label', 'label']), ['balance', join(dir, 'all-types.parquet'), '--label', 'label', '-o', join(dir, 'out', 'good.parquet'), '--seed', '1']];
    await pool(checks, CONCURRENCY, async (args) => {
      const run = await cliRun(args);
      runs.push({ args, status: run.status, stderr: run.stderr, table: /^total\s/m.test(run.stdout) });
    });
    expect(runs.filter((run) => run.status !== 0 || run.stderr !== '' || !run.table)).toEqual([]);
    expect(runs).toHaveLength(checks.length);
  });

  it('every damaged file: each command ends by itself with 0 or 1, one arrow-balance: line, no leftover files', () => {
    expect(cases.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const fuzzCase of cases) {
      for (const outcome of outcomes.get(fuzzCase.id) ?? []) {
        const found = problems(outcome);
        const { regression } = fuzzCase;
        if (regression?.fails.includes(outcome.command) === true && !(outcome.run.status === 1 && regression.message.test(outcome.run.stderr.trim()))) {
          found.push(`should fail with ${String(regression.message)}`);
        }
        if (found.length === 0) continue;
        failures.push(
          [
            `${fuzzCase.id}: ${describeDamage(fuzzCase.damage)}`,
            `  damage: ${JSON.stringify(fuzzCase.damage)}`,
            `  arrow-balance ${outcome.args.join(' ')}`,
            `  -> ${found.join('; ')}`,
            `  status ${String(outcome.run.status)}, signal ${String(outcome.run.signal)}, stderr: ${JSON.stringify(outcome.run.stderr.slice(0, 2000))}`,
          ].join('\n'),
        );
      }
    }
    expect(failures, `replay with FUZZ_SEED=${SEED} (and FUZZ_CASE=<n>)`).toEqual([]);
  });

  it.runIf(ONLY_CASE === undefined)('the damage is noticed: the non-Parquet files fail, and so do some damaged ones, while others still succeed', () => {
    const statuses = cases.flatMap((fuzzCase) => (outcomes.get(fuzzCase.id) ?? []).map((outcome) => ({ kind: fuzzCase.damage.kind, status: outcome.run.status })));
    expect(statuses.filter(({ kind }) => kind === 'empty' || kind === 'csv' || kind === 'magic-only').every(({ status }) => status === 1)).toBe(true);
    expect(statuses.filter(({ kind, status }) => kind === 'truncate' && status === 1).length).toBeGreaterThan(0);
    expect(statuses.filter(({ status }) => status === 1).length).toBeGreaterThan(statuses.length / 4);
    expect(statuses.filter(({ status }) => status === 0).length).toBeGreaterThan(0);
  });
});
