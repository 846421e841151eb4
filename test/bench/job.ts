/**
 * One benchmark job, run in its own process by `measure.ts`: `node job.js <job> <args...>`.
 * Prints one JSON line: { seconds, cpuSeconds, peakRssMb, rowsIn, rowsOut, bytesRead? }.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { lastValueFrom, reduce } from 'rxjs';
import { fromParquet, toParquet } from '../../operators/index.js';
import { balanceParquet } from '../../src/jobs/balance-parquet.js';
import { weightParquet } from '../../src/jobs/weight-parquet.js';
import { planBalanceJob, writePlanFile } from '../../src/jobs/plan-balance-job.js';
import { balanceShard } from '../../src/jobs/balance-shard.js';

type Job = (args: readonly string[]) => Promise<{ rowsIn: number; rowsOut: number; bytesRead?: number }>;

const jobs: Record<string, Job> = {
  /** Stream every batch of a file through fromParquet and drop it. */
  async read([input]) {
    const rows = await lastValueFrom(fromParquet(need(input)).pipe(reduce((sum, batch) => sum + batch.numRows, 0)));
    return { rowsIn: rows, rowsOut: 0 };
  },
  /** fromParquet -> toParquet: a streaming copy. */
  async copy([input, output]) {
    await rm(need(output), { force: true });
    const summary = await lastValueFrom(fromParquet(need(input)).pipe(toParquet(need(output))));
    return { rowsIn: summary.rows, rowsOut: summary.rows };
  },
  /** DuckDB's own COPY of the same file, 2 threads. */
  async 'duckdb-copy'([input, output]) {
    await rm(need(output), { force: true });
    const db = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await db.connect();
    const result = await connection.runAndReadAll(
      `COPY (SELECT * FROM read_parquet('${need(input)}')) TO '${need(output)}' (FORMAT parquet, COMPRESSION snappy)`,
    );
    const rows = Number(result.getRows()[0]?.[0] ?? 0);
    connection.closeSync();
    db.closeSync();
    return { rowsIn: rows, rowsOut: rows };
  },
  /** balanceParquet, exact undersampling to the minority count. */
  async 'balance-under'([input, output]) {
    await rm(need(output), { force: true });
    const report = await balanceParquet(need(input), need(output), { label: 'label', strategy: 'under', seed: 1 });
    return { rowsIn: report.rowsRead, rowsOut: report.rowsWritten };
  },
  /** balanceParquet, exact oversampling to the majority count. */
  async 'balance-over'([input, output]) {
    await rm(need(output), { force: true });
    const report = await balanceParquet(need(input), need(output), { label: 'label', strategy: 'over', seed: 1 });
    return { rowsIn: report.rowsRead, rowsOut: report.rowsWritten };
  },
  /** balanceParquet, exact undersampling with the distribution report (its cost is the row's ratio to the one above). */
  async 'balance-under-report'([input, output]) {
    await rm(need(output), { force: true });
    const report = await balanceParquet(need(input), need(output), { label: 'label', strategy: 'under', seed: 1, report: { path: `${need(output)}.html` } });
    return { rowsIn: report.rowsRead, rowsOut: report.rowsWritten };
  },
  /** balanceParquet, exact undersampling on one worker (the scaling row). */
  async 'balance-under-w1'([input, output]) {
    await rm(need(output), { force: true });
    const report = await balanceParquet(need(input), need(output), { label: 'label', strategy: 'under', seed: 1, workers: 1 });
    return { rowsIn: report.rowsRead, rowsOut: report.rowsWritten };
  },
  /** balanceParquet, exact oversampling on one worker (the scaling row). */
  async 'balance-over-w1'([input, output]) {
    await rm(need(output), { force: true });
    const report = await balanceParquet(need(input), need(output), { label: 'label', strategy: 'over', seed: 1, workers: 1 });
    return { rowsIn: report.rowsRead, rowsOut: report.rowsWritten };
  },
  /** planBalanceJob: the count pass of exact undersampling, written as a plan file (the shards' first step). */
  async 'plan-under'([input, plan]) {
    const file = await planBalanceJob(need(input), { label: 'label', strategy: 'under', seed: 1 });
    writePlanFile(need(plan), file, { overwrite: true });
    return { rowsIn: file.inputCounts.total, rowsOut: 0 };
  },
  /** balanceShard: shard `index` of `count` of a plan file, into a folder. */
  async 'shard-under'([plan, folder, index, count]) {
    const report = await balanceShard(undefined, need(folder), { plan: need(plan), shard: { index: Number(need(index)), count: Number(need(count)) } });
    return { rowsIn: 0, rowsOut: report.outputCounts.total, bytesRead: report.bytesRead };
  },
  /** weightParquet, balanced class weights (compared with DuckDB's COPY). */
  async weight([input, output]) {
    await rm(need(output), { force: true });
    const report = await weightParquet(need(input), need(output), { label: 'label' });
    return { rowsIn: report.rowsRead, rowsOut: report.rowsWritten };
  },
  /** DuckDB: count per class, then a reservoir sample of the minority count from each class. */
  async 'duckdb-under'([input, output]) {
    return duckdbBalance(need(input), need(output), (classes, k) =>
      classes.map((c) => `(SELECT * FROM (SELECT * FROM read_parquet('${need(input)}') WHERE label = ${c}) USING SAMPLE reservoir(${k} ROWS))`).join(' UNION ALL '),
    );
  },
  /** DuckDB: replicate each class ceil(T / n_c) times by a join, and keep T rows per class. */
  async 'duckdb-over'([input, output]) {
    return duckdbBalance(need(input), need(output), (_classes, _k, max) =>
      `SELECT t.* FROM read_parquet('${need(input)}') t JOIN reps USING (label), range(reps.q) ` +
      `QUALIFY row_number() OVER (PARTITION BY t.label) <= ${max}`,
    );
  },
};

/** Runs a DuckDB balancing query (2 threads) built from the class counts, and writes its result as snappy Parquet. */
async function duckdbBalance(input: string, output: string, query: (classes: number[], minCount: number, maxCount: number) => string): Promise<{ rowsIn: number; rowsOut: number }> {
  await rm(output, { force: true });
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await db.connect();
  const counted = (await connection.runAndReadAll(`SELECT label, count(*) FROM read_parquet('${input}') GROUP BY label ORDER BY label`)).getRows();
  const classes = counted.map((row) => Number(row[0]));
  const sizes = counted.map((row) => Number(row[1]));
  const min = Math.min(...sizes);
  const max = Math.max(...sizes);
  const reps = classes.map((label, i) => `(${label}, ${Math.ceil(max / (sizes[i] ?? 1))})`).join(', ');
  await connection.run(`CREATE TEMP TABLE reps(label INTEGER, q BIGINT); INSERT INTO reps VALUES ${reps}`);
  const result = await connection.runAndReadAll(`COPY (${query(classes, min, max)}) TO '${output}' (FORMAT parquet, COMPRESSION snappy)`);
  const rows = Number(result.getRows()[0]?.[0] ?? 0);
  connection.closeSync();
  db.closeSync();
  return { rowsIn: sizes.reduce((a, b) => a + b, 0), rowsOut: rows };
}

function need(value: string | undefined): string {
  if (value === undefined) throw new Error('missing job argument');
  return value;
}

const [name, ...args] = process.argv.slice(2);
const job = jobs[name ?? ''];
if (job === undefined) {
  console.error(`unknown job ${String(name)}; jobs are: ${Object.keys(jobs).join(', ')}`);
  process.exit(2);
}
const started = performance.now();
const { rowsIn, rowsOut, bytesRead } = await job(args);
const seconds = (performance.now() - started) / 1000;
// The whole process's CPU time (every thread, start-up included), as a scheduler would bill it.
const usage = process.resourceUsage();
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
console.log(JSON.stringify({ seconds, cpuSeconds, peakRssMb: peakRssMb(), rowsIn, rowsOut, bytesRead }));

/**
 * This process's peak RSS in MB. On Linux, from VmHWM: getrusage's maxRSS keeps the high-water mark of the
 * process it was forked from (the bench driver, which grows while it generates files) across exec.
 */
function peakRssMb(): number {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    if (line !== undefined) return Number(line.replace(/\D+/g, '')) / 1024;
  } catch {
    // Not Linux: getrusage, below.
  }
  return process.resourceUsage().maxRSS / 1024;
}
