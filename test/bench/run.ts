/**
 * `npm run bench`: measures arrow-balance against DuckDB on generated files, side by side in one run.
 *
 * Each job runs in its own process, three times; the table shows medians. Figures depend on the machine
 * and on what else runs: compare the ratio column, measured in the same run, rather than absolute times.
 * Options: `--rows 1000000,5000000` (file sizes), `--runs 3`, `--dir .bench`, `--skip-files` (only the in-memory operators),
 * `--kinds numeric,mixed,one-group,one-group-pages,shards` (which files; `shards`: the mixed file as a plan run by
 * four shard processes), `--skip-operators`.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeLabelledParquet } from '../support/fixtures.js';
import { rewriteWithArrowRs, writeMixedParquet } from '../support/mixed-fixture.js';
import { medianOf, type JobResult } from './measure.js';
import { benchOperators } from './operators.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000,5000000' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string', default: '.bench' },
    'skip-files': { type: 'boolean', default: false },
    kinds: { type: 'string', default: 'numeric,mixed,one-group,one-group-pages,shards' },
    'skip-operators': { type: 'boolean', default: false },
  },
});
const kinds = new Set((values.kinds ?? '').split(','));
const sizes = (values.rows ?? '').split(',').map(Number);
const runs = Number(values.runs);
const dir = resolve(values.dir ?? '.bench');
mkdirSync(dir, { recursive: true });

type Kind = 'numeric' | 'mixed' | 'one-group' | 'one-group-pages';

/**
 * The benchmark inputs: all-numeric (a label 90/9/1 % and 12 doubles) and mixed types (see mixed-fixture.ts)
 * in DuckDB's row groups of 122,880 rows; and the mixed rows in one row group, as DuckDB writes it (one page
 * per column chunk) and as arrow-rs does (pages of about 1 MB, like pyarrow and pandas).
 */
async function inputFile(kind: Kind, rows: number): Promise<string> {
  const path = join(dir, `${kind === 'numeric' ? 'labelled' : kind}-${rows}.parquet`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${path}...\n`);
    if (kind === 'numeric') await writeLabelledParquet(path, { rows, classes: { 0: 0.9, 1: 0.09, 2: 0.01 }, featureColumns: 12, rowGroupSize: 122_880, compression: 'snappy' });
    else if (kind === 'mixed') await writeMixedParquet(path, { rows });
    else if (kind === 'one-group') await writeMixedParquet(path, { rows, rowGroupSize: rows });
    else await rewriteWithArrowRs(await inputFile('one-group', rows), path, rows);
  }
  return path;
}

function row(label: string, result: JobResult, reference?: JobResult): string {
  const rate = (result.rowsIn / result.seconds / 1e6).toFixed(2);
  const ratio = reference === undefined ? '' : `${(result.seconds / reference.seconds).toFixed(2)}x`;
  return [label.padEnd(34), `${result.seconds.toFixed(2)} s`.padStart(9), `${rate} M rows/s`.padStart(15), `${result.peakRssMb.toFixed(0)} MB`.padStart(9), ratio.padStart(10)].join('  ');
}

/**
 * Benchmarks one file: DuckDB's COPY, read, copy and weight, then undersampling and oversampling against
 * DuckDB doing the same (with `scaling`, each also on one worker).
 */
async function benchFile(kind: Kind, rows: number, title: string, scaling: boolean): Promise<void> {
  const input = await inputFile(kind, rows);
  const output = join(dir, `out-${kind}-${rows}.parquet`);
  const duckOutput = join(dir, `duck-${kind}-${rows}.parquet`);
  const lines: string[] = [];
  const measure = async (label: string, job: string, args: string[], reference?: JobResult): Promise<JobResult> => {
    const result = await medianOf(runs, job, args);
    lines.push(row(label, result, reference ?? result));
    return result;
  };
  const duck = await measure('DuckDB COPY (2 threads)', 'duckdb-copy', [input, duckOutput]);
  await measure('fromParquet (read only)', 'read', [input], duck);
  await measure('fromParquet -> toParquet', 'copy', [input, output], duck);
  await measure('weightParquet (balanced)', 'weight', [input, output], duck);
  const duckUnder = await measure('DuckDB undersample (reservoir)', 'duckdb-under', [input, duckOutput]);
  const under = await measure('balanceParquet under (exact)', 'balance-under', [input, output], duckUnder);
  if (scaling) await measure('  the same, --report (vs without)', 'balance-under-report', [input, output], under);
  if (scaling) await measure('  the same, --workers 1', 'balance-under-w1', [input, output], duckUnder);
  const duckOver = await measure('DuckDB oversample (join)', 'duckdb-over', [input, duckOutput]);
  await measure('balanceParquet over (exact)', 'balance-over', [input, output], duckOver);
  if (scaling) await measure('  the same, --workers 1', 'balance-over-w1', [input, output], duckOver);
  console.log(`\n${rows.toLocaleString('en-US')} rows, ${title} (snappy)`);
  console.log(['job'.padEnd(34), 'time'.padStart(9), 'input rate'.padStart(15), 'peak RSS'.padStart(9), 'vs DuckDB'.padStart(10)].join('  '));
  for (const line of lines) console.log(line);
}

/**
 * Exact undersampling of the mixed file as one process, and as a plan run by four shard processes, one after
 * another: each process's CPU time (every thread, start-up included) and the bytes each shard read.
 */
async function benchShards(rows: number, count: number): Promise<void> {
  const input = await inputFile('mixed', rows);
  const plan = join(dir, `plan-mixed-${rows}.json`);
  const parts = join(dir, `parts-mixed-${rows}`);
  const one = await medianOf(runs, 'balance-under', [input, join(dir, `out-mixed-${rows}.parquet`)]);
  const planned = await medianOf(runs, 'plan-under', [input, plan]);
  const shards: JobResult[] = [];
  for (let index = 0; index < count; index++) shards.push(await medianOf(runs, 'shard-under', [plan, parts, String(index), String(count)]));
  const cpu = (results: readonly JobResult[]): number => results.reduce((sum, result) => sum + result.cpuSeconds, 0);
  const line = (label: string, seconds: number, cpuSeconds: number, bytes: string, ratio: string): string =>
    [label.padEnd(34), `${seconds.toFixed(2)} s`.padStart(9), `${cpuSeconds.toFixed(2)} s`.padStart(10), bytes.padStart(12), ratio.padStart(10)].join('  ');
  const size = statSync(input).size;
  console.log(`\n${rows.toLocaleString('en-US')} rows, mixed: exact undersampling as one process and as ${count} shards of a plan (CPU: whole processes)`);
  console.log(['job'.padEnd(34), 'time'.padStart(9), 'CPU'.padStart(10), 'bytes read'.padStart(12), 'CPU vs one'.padStart(10)].join('  '));
  console.log(line('balanceParquet under (one process)', one.seconds, one.cpuSeconds, `${(size / 1e6).toFixed(0)} MB file`, '1.00x'));
  console.log(line('plan (count pass, once)', planned.seconds, planned.cpuSeconds, '', `${(planned.cpuSeconds / one.cpuSeconds).toFixed(2)}x`));
  shards.forEach((shard, index) => console.log(line(`  shard ${index} of ${count}`, shard.seconds, shard.cpuSeconds, `${((shard.bytesRead ?? 0) / 1e6).toFixed(1)} MB`, '')));
  console.log(line(`${count} shards`, shards.reduce((sum, shard) => sum + shard.seconds, 0), cpu(shards), `${(shards.reduce((sum, shard) => sum + (shard.bytesRead ?? 0), 0) / 1e6).toFixed(1)} MB`, `${(cpu(shards) / one.cpuSeconds).toFixed(2)}x`));
  console.log(line(`plan + ${count} shards`, planned.seconds + shards.reduce((sum, shard) => sum + shard.seconds, 0), planned.cpuSeconds + cpu(shards), '', `${((planned.cpuSeconds + cpu(shards)) / one.cpuSeconds).toFixed(2)}x`));
}

console.log(`arrow-balance benchmark: node ${process.version}, medians of ${runs} runs, each job in its own process`);
const FILES: ReadonlyArray<readonly [Kind, string]> = [
  ['numeric', 'numeric: 13 columns: 12 doubles and an int label'],
  ['mixed', 'mixed: 14 columns: int64 id, timestamp, 8 doubles (one 5 % null), strings, int and string labels'],
];
for (const rows of values['skip-files'] === true ? [] : sizes) {
  for (const [kind, title] of FILES.filter(([name]) => kinds.has(name))) await benchFile(kind, rows, title, true);
}
// One row group of the largest size: read in windows of pages; exact tasks sample it column by column.
const ONE_GROUP: ReadonlyArray<readonly [Kind, string]> = [
  ['one-group', 'the mixed rows in one row group, one page per column chunk (DuckDB)'],
  ['one-group-pages', 'the mixed rows in one row group, pages of about 1 MB (arrow-rs, as pyarrow)'],
];
for (const [kind, title] of values['skip-files'] === true ? [] : ONE_GROUP.filter(([name]) => kinds.has(name))) await benchFile(kind, Math.max(...sizes), title, false);
if (values['skip-files'] !== true && kinds.has('shards')) await benchShards(Math.max(...sizes), 4);
if (values['skip-operators'] !== true) await benchOperators({ rows: 1_000_000, runs: 5, dir });
