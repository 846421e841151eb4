/**
 * In-memory operator benchmark (issue 3): `balance()` over Arrow record batches held in memory, in every
 * mode, against DuckDB's window-function query on the same rows, measured side by side in the same run.
 */
import type { RecordBatch } from 'apache-arrow';
import { from, lastValueFrom, toArray } from 'rxjs';
import { balance } from '../../operators/index.js';
import type { BalanceOptions } from '../../operators/balance.js';
import { classKey } from '../../src/classes/class-value.js';
import { resolveTargets } from '../../src/sampling/targets.js';
import { classCountsOf, duckCounts, expectCounts, loadInput } from './in-memory-input.js';
import type { InMemoryInput } from './in-memory-input.js';
import { median } from './measure.js';

/** One timed job: ours (a `balance()` pipeline) or DuckDB's (one SQL statement). */
interface Job {
  readonly name: string;
  /** Runs the job once and checks its per-class output counts (the check is not timed). */
  readonly run: () => Promise<{ seconds: number; rowsOut: number }>;
  /** The minimum rate the issue asks for, of input or of output rows (none for DuckDB and online). */
  readonly goal?: { readonly of: 'input' | 'output'; readonly rate: number };
  /** Whether this is a DuckDB reference query. */
  readonly duck?: boolean;
}

/** Median figures of one job. */
interface Figures {
  readonly job: Job;
  readonly seconds: number;
  readonly rowsOut: number;
}

const SEED = 1;

/**
 * Times `balance()` on `rows` in-memory rows x 13 columns (90/9/1 %) in exact, reservoir and online modes,
 * and DuckDB's `QUALIFY row_number() OVER (PARTITION BY label ORDER BY random())` on the same rows (an
 * in-memory table, 2 threads), and prints a table: medians of `runs` runs after one warm-up, with each
 * round running every job of a group once (so a busy machine slows ours and DuckDB's alike), the ratio of
 * our time to DuckDB's (lower is better) and whether each target of the issue is met. Every run's output
 * is counted per class and must hold exactly the targeted rows (online: within 5 %), or this throws.
 *
 * Memory: the input twice (Arrow batches and DuckDB's table, ~110 MB each for 1M rows), plus one output of
 * each (up to ~3x the input when oversampling).
 *
 * ## Example
 * ```ts
 * await benchOperators({ rows: 1_000_000, runs: 5, dir: '.bench' });
 * ```
 * @param options `rows` of input, timed `runs` per job (>= 1), `dir` holding the benchmark's Parquet file
 * @returns when the table has been printed
 */
export async function benchOperators(options: { rows: number; runs: number; dir: string }): Promise<void> {
  const { rows, runs, dir } = options;
  process.stderr.write(`in-memory operators: loading ${fmt(rows)} rows, then ${runs} runs of each job...\n`);
  const input = await loadInput(dir, rows);
  try {
    const { batches, counts } = input;
    const sizes = counts.entries().map(([, n]) => n);
    const [min, max] = [Math.min(...sizes), Math.max(...sizes)];
    const under = wanted(input, 'under');
    const over = wanted(input, 'over');
    const base = { label: 'label', seed: SEED } as const;
    const underGroup: Job[] = [
      duckJob(input, `DuckDB QUALIFY under (k = ${fmt(min)})`, underSql(min), under),
      ourJob(batches, 'balance exact under', { ...base, mode: 'exact', counts }, under, 0, { of: 'input', rate: 20e6 }),
      ourJob(batches, 'balance reservoir under', { ...base, mode: 'reservoir' }, under, 0, { of: 'input', rate: 10e6 }),
      ourJob(batches, 'balance online under', { ...base, mode: 'online' }, under, 0.05),
    ];
    const reps = counts.entries().map(([value, n]) => `(${classKey(value)}, ${Math.ceil(max / n)})`).join(', ');
    await input.db.run(`CREATE TEMP TABLE reps(label INTEGER, q BIGINT); INSERT INTO reps VALUES ${reps}`);
    const overGroup: Job[] = [
      duckJob(input, `DuckDB join+QUALIFY over (T = ${fmt(max)})`, overSql(max, true), over),
      duckJob(input, 'DuckDB same, no ORDER BY random()', overSql(max, false), over),
      ourJob(batches, 'balance exact over', { ...base, strategy: 'over', mode: 'exact', counts }, over, 0, { of: 'output', rate: 5e6 }),
      ourJob(batches, 'balance online over', { ...base, strategy: 'over', mode: 'online' }, over, 0.05),
    ];
    const underFigures = await measureGroup(underGroup, runs);
    const overFigures = await measureGroup(overGroup, runs);
    const batchRows = Math.max(...batches.map((b) => b.numRows));
    console.log(`\nIn-memory operators: ${fmt(rows)} rows x ${batches[0]?.numCols ?? 0} columns in ${batches.length} Arrow batches of <= ${fmt(batchRows)} rows; classes ${sizes.map(fmt).join(' / ')}`);
    console.log(`medians of ${runs} runs after 1 warm-up, jobs of a group interleaved; DuckDB: in-memory table, 2 threads, result into a temp table`);
    console.log(`vs DuckDB = our time / the time of the group's first DuckDB query (lower is better); "faster than DuckDB" = than the group's fastest DuckDB query`);
    console.log(header());
    for (const group of [underFigures, overFigures]) {
      const reference = group[0] as Figures;
      const fastestDuck = Math.min(...group.filter((f) => f.job.duck === true).map((f) => f.seconds));
      for (const figures of group) console.log(line(figures, rows, reference, fastestDuck));
    }
  } finally {
    input.db.close();
  }
}

/** Rows per class key that `strategy` with target `auto` must produce from the input. */
function wanted({ counts }: InMemoryInput, strategy: 'under' | 'over'): Map<string, number> {
  const targets = resolveTargets(counts, strategy, 'auto');
  return new Map(counts.entries().map(([value, n]): [string, number] => [classKey(value), targets.get(classKey(value)) ?? n]));
}

function underSql(k: number): string {
  return `CREATE OR REPLACE TEMP TABLE s AS SELECT * FROM t QUALIFY row_number() OVER (PARTITION BY label ORDER BY random()) <= ${k}`;
}

/**
 * Oversampling in SQL: each class replicated ceil(T / n_c) times by a join, T rows per class kept. With
 * `random`, the T are a random choice among the copies (the reference); without, the first T (the
 * form of job.ts `duckdb-over`; the same rows whenever T is a multiple of every n_c, as with 90/9/1 %).
 */
function overSql(max: number, random: boolean): string {
  return (
    `CREATE OR REPLACE TEMP TABLE s AS SELECT t.* FROM t JOIN reps USING (label), range(reps.q) ` +
    `QUALIFY row_number() OVER (PARTITION BY t.label${random ? ' ORDER BY random()' : ''}) <= ${max}`
  );
}

/** A `from(batches).pipe(balance(options))` job; its output batches are collected and counted per class. */
function ourJob(batches: readonly RecordBatch[], name: string, options: BalanceOptions, want: Map<string, number>, tolerance: number, goal?: Job['goal']): Job {
  const run = async () => {
    const started = performance.now();
    const output = await lastValueFrom(from(batches).pipe(balance(options), toArray()));
    let rowsOut = 0;
    for (const batch of output) rowsOut += batch.numRows;
    const seconds = (performance.now() - started) / 1000;
    const got = await classCountsOf(output);
    expectCounts(name, new Map(got.entries().map(([v, n]) => [classKey(v), n])), want, tolerance);
    return { seconds, rowsOut };
  };
  return goal === undefined ? { name, run } : { name, run, goal };
}

/** A DuckDB statement that fills temp table `s`; `s` is counted per class after the timing. */
function duckJob({ db }: InMemoryInput, name: string, sql: string, want: Map<string, number>): Job {
  const run = async () => {
    const started = performance.now();
    await db.run(sql);
    const seconds = (performance.now() - started) / 1000;
    const got = await duckCounts(db, 's');
    expectCounts(name, got, want, 0);
    return { seconds, rowsOut: [...got.values()].reduce((a, b) => a + b, 0) };
  };
  return { name, run, duck: true };
}

/** Warms every job up once, then runs rounds of every job once; medians per job. */
async function measureGroup(jobs: readonly Job[], runs: number): Promise<Figures[]> {
  for (const job of jobs) await job.run();
  const seconds = jobs.map((): number[] => []);
  const rowsOut = jobs.map(() => 0);
  for (let round = 0; round < runs; round++) {
    for (const [j, job] of jobs.entries()) {
      const result = await job.run();
      seconds[j]?.push(result.seconds);
      rowsOut[j] = result.rowsOut;
    }
  }
  return jobs.map((job, j) => ({ job, seconds: median(seconds[j] ?? []), rowsOut: rowsOut[j] ?? 0 }));
}

const COLUMNS: ReadonlyArray<readonly [string, number]> = [
  ['job', -38], ['time', 9], ['input rate', 15], ['output rows', 12], ['output rate', 15], ['vs DuckDB', 10], ['target', -1],
];

function row(cells: readonly string[]): string {
  return cells.map((cell, c) => {
    const width = COLUMNS[c]?.[1] ?? 0;
    return width < 0 ? cell.padEnd(-width) : cell.padStart(width);
  }).join('  ').trimEnd();
}

function header(): string {
  return row(COLUMNS.map(([name]) => name));
}

/** One row of the table; targets are checked against the goal and against the fastest DuckDB query of the group. */
function line({ job, seconds, rowsOut }: Figures, rows: number, reference: Figures, fastestDuck: number): string {
  const inRate = rows / seconds;
  const outRate = rowsOut / seconds;
  const ratio = job === reference.job ? 'reference' : `${(seconds / reference.seconds).toFixed(2)}x`;
  let target = job.duck === true ? '' : 'no target';
  if (job.goal !== undefined) {
    const rate = job.goal.of === 'input' ? inRate : outRate;
    const fast = `>= ${job.goal.rate / 1e6} M ${job.goal.of} rows/s ${rate >= job.goal.rate ? 'met' : 'MISSED'}`;
    target = `${fast}; faster than DuckDB ${seconds < fastestDuck ? 'met' : 'MISSED'}`;
  }
  const mrate = (r: number) => `${(r / 1e6).toFixed(2)} M/s`;
  return row([job.name, `${(seconds * 1000).toFixed(1)} ms`, mrate(inRate), fmt(rowsOut), mrate(outRate), ratio, target]);
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
