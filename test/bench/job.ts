/**
 * One benchmark job, run in its own process by `measure.ts`: `node job.js <job> <args...>`.
 * Prints one JSON line: { seconds, peakRssMb, rowsIn, rowsOut }.
 */
import { rm } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { lastValueFrom, reduce } from 'rxjs';
import { fromParquet, toParquet } from '../../operators/index.js';

type Job = (args: readonly string[]) => Promise<{ rowsIn: number; rowsOut: number }>;

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
};

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
const { rowsIn, rowsOut } = await job(args);
const seconds = (performance.now() - started) / 1000;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ seconds, peakRssMb, rowsIn, rowsOut }));
