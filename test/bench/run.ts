/**
 * `npm run bench`: measures arrow-balance against DuckDB on generated files, side by side in one run.
 *
 * Each job runs in its own process, three times; the table shows medians. Figures depend on the machine
 * and on what else runs: compare the ratio column, measured in the same run, rather than absolute times.
 * Options: `--rows 1000000,5000000` (file sizes), `--runs 3`, `--dir .bench`, `--skip-files` (only the in-memory operators).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeLabelledParquet } from '../support/fixtures.js';
import { medianOf, type JobResult } from './measure.js';
import { benchOperators } from './operators.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000,5000000' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string', default: '.bench' },
    'skip-files': { type: 'boolean', default: false },
  },
});
const sizes = (values.rows ?? '').split(',').map(Number);
const runs = Number(values.runs);
const dir = resolve(values.dir ?? '.bench');
mkdirSync(dir, { recursive: true });

/** The benchmark input: a label column (90/9/1 %) and 12 numeric features, 13 columns in all. */
async function inputFile(rows: number): Promise<string> {
  const path = join(dir, `labelled-${rows}.parquet`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${path} with DuckDB...\n`);
    await writeLabelledParquet(path, { rows, classes: { 0: 0.9, 1: 0.09, 2: 0.01 }, featureColumns: 12, rowGroupSize: 122_880, compression: 'snappy' });
  }
  return path;
}

function row(label: string, result: JobResult, reference?: JobResult): string {
  const rate = (result.rowsIn / result.seconds / 1e6).toFixed(2);
  const ratio = reference === undefined ? '' : `${(result.seconds / reference.seconds).toFixed(2)}x`;
  return [label.padEnd(34), `${result.seconds.toFixed(2)} s`.padStart(9), `${rate} M rows/s`.padStart(15), `${result.peakRssMb.toFixed(0)} MB`.padStart(9), ratio.padStart(10)].join('  ');
}

console.log(`arrow-balance benchmark: node ${process.version}, medians of ${runs} runs, each job in its own process`);
for (const rows of values['skip-files'] === true ? [] : sizes) {
  const input = await inputFile(rows);
  const output = join(dir, `out-${rows}.parquet`);
  const duckOutput = join(dir, `duck-${rows}.parquet`);
  const duck = await medianOf(runs, 'duckdb-copy', [input, duckOutput]);
  const read = await medianOf(runs, 'read', [input]);
  const copy = await medianOf(runs, 'copy', [input, output]);
  console.log(`\n${rows.toLocaleString('en-US')} rows x 13 columns (snappy)`);
  console.log(['job'.padEnd(34), 'time'.padStart(9), 'input rate'.padStart(15), 'peak RSS'.padStart(9), 'vs DuckDB'.padStart(10)].join('  '));
  console.log(row('DuckDB COPY (2 threads)', duck, duck));
  console.log(row('fromParquet (read only)', read, duck));
  console.log(row('fromParquet -> toParquet', copy, duck));
  const duckUnder = await medianOf(runs, 'duckdb-under', [input, duckOutput]);
  const under = await medianOf(runs, 'balance-under', [input, output]);
  const duckOver = await medianOf(runs, 'duckdb-over', [input, duckOutput]);
  const over = await medianOf(runs, 'balance-over', [input, output]);
  console.log(row('DuckDB undersample (reservoir)', duckUnder, duckUnder));
  console.log(row('balanceParquet under (exact)', under, duckUnder));
  console.log(row('DuckDB oversample (join)', duckOver, duckOver));
  console.log(row('balanceParquet over (exact)', over, duckOver));
}
await benchOperators({ rows: 1_000_000, runs: 5, dir });
