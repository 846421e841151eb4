/**
 * `npm run bench`: measures arrow-balance against DuckDB on generated files, side by side in one run.
 *
 * Each job runs in its own process, three times; the table shows medians. Figures depend on the machine
 * and on what else runs: compare the ratio column, measured in the same run, rather than absolute times.
 * Options: `--rows 1000000,5000000` (file sizes), `--runs 3`, `--dir .bench`, `--skip-files` (only the in-memory operators),
 * `--kinds numeric,mixed,one-group,one-group-pages` (which files), `--skip-operators`.
 */
import { existsSync, mkdirSync } from 'node:fs';
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
    kinds: { type: 'string', default: 'numeric,mixed,one-group,one-group-pages' },
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

console.log(`arrow-balance benchmark: node ${process.version}, medians of ${runs} runs, each job in its own process`);
const KINDS = [
  ['numeric', '13 columns: 12 doubles and an int label'],
  ['mixed', '14 columns: int64 id, timestamp, 8 doubles (one 5 % null), strings, int and string labels'],
] as const;
for (const rows of values['skip-files'] === true ? [] : sizes) {
  for (const [kind, description] of KINDS.filter(([name]) => kinds.has(name))) {
    const input = await inputFile(kind, rows);
    const output = join(dir, `out-${kind}-${rows}.parquet`);
    const duckOutput = join(dir, `duck-${kind}-${rows}.parquet`);
    const duck = await medianOf(runs, 'duckdb-copy', [input, duckOutput]);
    const read = await medianOf(runs, 'read', [input]);
    const copy = await medianOf(runs, 'copy', [input, output]);
    const weight = await medianOf(runs, 'weight', [input, output]);
    console.log(`\n${rows.toLocaleString('en-US')} rows, ${kind}: ${description} (snappy)`);
    console.log(['job'.padEnd(34), 'time'.padStart(9), 'input rate'.padStart(15), 'peak RSS'.padStart(9), 'vs DuckDB'.padStart(10)].join('  '));
    console.log(row('DuckDB COPY (2 threads)', duck, duck));
    console.log(row('fromParquet (read only)', read, duck));
    console.log(row('fromParquet -> toParquet', copy, duck));
    console.log(row('weightParquet (balanced)', weight, duck));
    const duckUnder = await medianOf(runs, 'duckdb-under', [input, duckOutput]);
    const under = await medianOf(runs, 'balance-under', [input, output]);
    const underOne = await medianOf(runs, 'balance-under-w1', [input, output]);
    const duckOver = await medianOf(runs, 'duckdb-over', [input, duckOutput]);
    const over = await medianOf(runs, 'balance-over', [input, output]);
    const overOne = await medianOf(runs, 'balance-over-w1', [input, output]);
    console.log(row('DuckDB undersample (reservoir)', duckUnder, duckUnder));
    console.log(row('balanceParquet under (exact)', under, duckUnder));
    console.log(row('  the same, --workers 1', underOne, duckUnder));
    console.log(row('DuckDB oversample (join)', duckOver, duckOver));
    console.log(row('balanceParquet over (exact)', over, duckOver));
    console.log(row('  the same, --workers 1', overOne, duckOver));
  }
}
// One row group of the largest size: read in windows of pages; exact tasks sample it column by column.
const largest = Math.max(...sizes);
const ONE_GROUP = [
  ['one-group', 'the mixed rows in one row group, one page per column chunk (DuckDB)'],
  ['one-group-pages', 'the mixed rows in one row group, pages of about 1 MB (arrow-rs, as pyarrow)'],
] as const;
for (const [kind, description] of values['skip-files'] === true ? [] : ONE_GROUP.filter(([name]) => kinds.has(name))) {
  const input = await inputFile(kind, largest);
  const output = join(dir, `out-${kind}-${largest}.parquet`);
  const duckOutput = join(dir, `duck-${kind}-${largest}.parquet`);
  const duck = await medianOf(runs, 'duckdb-copy', [input, duckOutput]);
  const read = await medianOf(runs, 'read', [input]);
  const copy = await medianOf(runs, 'copy', [input, output]);
  const weight = await medianOf(runs, 'weight', [input, output]);
  const duckUnder = await medianOf(runs, 'duckdb-under', [input, duckOutput]);
  const under = await medianOf(runs, 'balance-under', [input, output]);
  console.log(`\n${largest.toLocaleString('en-US')} rows, ${description} (snappy)`);
  console.log(['job'.padEnd(34), 'time'.padStart(9), 'input rate'.padStart(15), 'peak RSS'.padStart(9), 'vs DuckDB'.padStart(10)].join('  '));
  console.log(row('DuckDB COPY (2 threads)', duck, duck));
  console.log(row('fromParquet (read only)', read, duck));
  console.log(row('fromParquet -> toParquet', copy, duck));
  console.log(row('weightParquet (balanced)', weight, duck));
  console.log(row('DuckDB undersample (reservoir)', duckUnder, duckUnder));
  console.log(row('balanceParquet under (exact)', under, duckUnder));
}
if (values['skip-operators'] !== true) await benchOperators({ rows: 1_000_000, runs: 5, dir });
