import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet } from '../operators/index.js';
import { takeRows } from '../src/arrow/take.js';
import { balanceParquet } from '../src/jobs/balance-parquet.js';
import type { BalanceReport } from '../src/jobs/balance-report.js';
import { DistributionSamples } from '../src/report/distribution-report.js';
import { openDuckDb, parquetMetadata, type DuckDbSession } from './support/duckdb.js';
import { writeLabelledParquet } from './support/fixtures.js';
import { arrowRsStream } from './support/arrow-rs-ipc.js';
import { runCli } from './support/run-cli.js';

let dir: string;
let input: string;
let db: DuckDbSession;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-distributions-'));
  input = join(dir, 'labelled.parquet');
  db = await openDuckDb();
  // 60,000 rows in row groups of 8,192: a plan of 8 units; feature f_k's mean shifts with the class.
  await writeLabelledParquet(input, { rows: 60_000, classes: { 0: 0.9, 1: 0.09, 2: 0.01 }, featureColumns: 4, rowGroupSize: 8_192, db });
}, 60_000);
afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const checksOf = (report: BalanceReport): NonNullable<BalanceReport['ks']> => report.ks ?? [];

describe('the distribution report of balanceParquet', () => {
  it('checks every class in every numeric column, the same on 1 and 2 workers, and stores the distances in the file', async () => {
    const runs: BalanceReport[] = [];
    for (const workers of [1, 2]) {
      const output = join(dir, `w${workers}.parquet`);
      runs.push(await balanceParquet(input, output, { label: 'label', seed: 9, workers, overwrite: true, report: { path: join(dir, `w${workers}.html`) } }));
    }
    const [one, two] = runs as [BalanceReport, BalanceReport];
    expect(checksOf(one).map((c) => `${c.class}/${c.column}`)).toEqual(['0', '1', '2'].flatMap((c) => ['f1', 'f2', 'f3', 'f4'].map((f) => `${c}/${f}`)));
    expect(checksOf(two)).toEqual(checksOf(one));
    // The minority class is kept whole and sampled whole (600 rows): its distance is 0, exactly.
    expect(checksOf(one).filter((c) => c.class === '2').every((c) => c.ks === 0 && c.error === 0)).toBe(true);
    const stored = JSON.parse((await parquetMetadata(join(dir, 'w2.parquet'))).keyValue['arrow-balance'] ?? '{}') as BalanceReport;
    expect(stored.ks).toEqual(checksOf(one));
    // The pages differ only in the output's name, the workers and the time taken.
    const page = async (workers: number): Promise<string> =>
      (await readFile(join(dir, `w${workers}.html`), 'utf8'))
        .replaceAll(`w${workers}.parquet`, 'out.parquet')
        .replace(`${workers} worker thread(s)`, '')
        .replace(/seconds so far<\/th><td>[\d.]+/, '');
    expect(await page(2)).toBe(await page(1));
  }, 60_000);

  it('finds no shift for exact, reservoir and online sampling (p-values over seeds as the KS distribution says)', async () => {
    // 8 seeds x 3 modes x 3 classes x 4 columns = 288 checks of samples from one distribution: p < 0.001 is
    // expected 0.29 times (fewer: the output is a subset of the input, which narrows the distances). At most 3.
    const pValues: number[] = [];
    for (const mode of ['exact', 'reservoir', 'online'] as const) {
      for (let seed = 1; seed <= 8; seed++) {
        const report = await balanceParquet(input, join(dir, 'modes.parquet'), { label: 'label', mode, seed, overwrite: true, report: { sampleSize: 1_000 } });
        pValues.push(...checksOf(report).map((c) => c.pValue));
      }
    }
    expect(pValues).toHaveLength(288);
    expect(pValues.filter((p) => p < 0.001).length).toBeLessThanOrEqual(3);
  }, 120_000);

  it('finds a deliberately biased sample: rows kept only above their class median', async () => {
    const batches = await lastValueFrom(fromParquet(input).pipe(toArray()));
    const samples = new DistributionSamples({ seed: '1', label: 'label', nulls: 'error', columns: ['f1', 'f2'], size: 1_000 });
    const inputTap = samples.tap('input');
    const outputTap = samples.tap('output');
    // Biased: only the rows whose f1 is above their class's median.
    const byClass = new Map<number, number[]>();
    for (const batch of batches) {
      const f1 = batch.getChild('f1')?.toArray() as Float64Array;
      const labels = batch.getChild('label')?.toArray() as Int32Array;
      labels.forEach((label, i) => {
        if (!byClass.has(label)) byClass.set(label, []);
        byClass.get(label)?.push(f1[i] as number);
      });
    }
    const median = new Map([...byClass].map(([label, values]) => [label, values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number]));
    let row = 0;
    let out = 0;
    for (const batch of batches) {
      inputTap.push(batch, row);
      row += batch.numRows;
      const f1 = batch.getChild('f1')?.toArray() as Float64Array;
      const labels = batch.getChild('label')?.toArray() as Int32Array;
      const kept = Int32Array.from([...f1.keys()].filter((i) => (f1[i] as number) > (median.get(labels[i] as number) as number)));
      outputTap.push(takeRows(batch, kept), out);
      out += kept.length;
    }
    const checks = samples.checks(['0', '1', '2']).filter((c) => c.column === 'f1');
    for (const check of checks) {
      expect(check.ks).toBeGreaterThan(0.3);
      expect(check.pValue).toBeLessThan(1e-6);
    }
  }, 60_000);
});

describe('the --report options of the CLI', () => {
  it('--max-ks: writes the report, fails with one line, and leaves no output', async () => {
    const output = join(dir, 'gated.parquet');
    const page = join(dir, 'gated.html');
    const run = await runCli(['balance', input, '--label', 'label', '-o', output, '--seed', '3', '--report', page, '--max-ks', '0.0001']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^arrow-balance: \d+ class and column pair\(s\) moved more than --max-ks 0.0001: the largest, class \d in column "f\d", by 0\.\d{4}; the output was not written \(see the report, or raise --max-ks\)\n$/);
    expect(existsSync(output)).toBe(false);
    expect((await stat(page)).size).toBeGreaterThan(1000);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('refuses a report column that is not in the input or not numeric, before writing anything', async () => {
    const output = join(dir, 'never.parquet');
    for (const [column, message] of [
      ['nope', /^arrow-balance: report column "nope" is not in the input; its columns are "f1", "f2", "f3", "f4", "label"\n$/],
      ['label', /^arrow-balance: report column "label" is the label or a column the job adds; choose feature columns\n$/],
    ] as const) {
      const run = await runCli(['balance', input, '--label', 'label', '-o', output, '--report', join(dir, 'never.html'), '--report-columns', column]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(message);
    }
    expect(existsSync(output)).toBe(false);
    expect(existsSync(join(dir, 'never.html'))).toBe(false);
    // The page's path is checked before the job runs: a missing folder, the output itself, an input.
    for (const [page, message] of [
      [join(dir, 'no-such-folder', 'r.html'), /^arrow-balance: \S+r\.html: output folder \S+no-such-folder does not exist; create it first\n$/],
      [output, /^arrow-balance: \S+never\.parquet: is also the output; write the report to another path\n$/],
      [input, /^arrow-balance: \S+labelled\.parquet: is also an input \(\S+\); write the output to another path\n$/],
    ] as const) {
      const inputBytes = await readFile(input);
      const run = await runCli(['balance', input, '--label', 'label', '-o', output, '--report', page]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
      expect(existsSync(output)).toBe(false);
      expect((await readFile(input)).equals(inputBytes)).toBe(true);
    }
    const weighted = await runCli(['weight', input, '--label', 'label', '-o', output, '--report', output]);
    expect(weighted.stderr).toMatch(/is also the output; write the report to another path\n$/);
    const bad = await runCli(['balance', input, '--label', 'label', '-o', output, '--max-ks', '2']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^arrow-balance: --max-ks takes a distance from 0 to 1, got "2"/);
  }, 60_000);

  it('prints the distances in --json and escapes every value from the data in the page', async () => {
    const hostile = join(dir, 'hostile.parquet');
    await db.run(
      `COPY (SELECT i::DOUBLE AS "<b>x</b>", (i % 13)::DOUBLE AS y, CASE WHEN i % 10 = 0 THEN '<img src=x onerror=alert(1)>' ELSE 'plain' END AS label
       FROM range(5000) t(i)) TO '${hostile}' (FORMAT parquet)`,
    );
    const page = join(dir, 'hostile.html');
    const run = await runCli(['balance', hostile, '--label', 'label', '-o', join(dir, 'hostile-out.parquet'), '--seed', '1', '--report', page, '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as BalanceReport;
    expect(checksOf(report).map((c) => [c.class, c.column])).toEqual([
      ['<img src=x onerror=alert(1)>', '<b>x</b>'],
      ['<img src=x onerror=alert(1)>', 'y'],
      ['plain', '<b>x</b>'],
      ['plain', 'y'],
    ]);
    const html = await readFile(page, 'utf8');
    expect(html).not.toMatch(/<img|<b>x/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  }, 60_000);

  it('stays under 1 MB for 12 columns and 10 classes', async () => {
    const wide = join(dir, 'wide.parquet');
    const classes = Object.fromEntries(Array.from({ length: 10 }, (_, c) => [String(c), c === 0 ? 0.55 : 0.05]));
    await writeLabelledParquet(wide, { rows: 100_000, classes, featureColumns: 14, db });
    const page = join(dir, 'wide.html');
    const run = await runCli(['balance', wide, '--label', 'label', '-o', join(dir, 'wide-out.parquet'), '--report', page]);
    expect(run.status).toBe(0);
    const html = await readFile(page, 'utf8');
    expect(html.length).toBeLessThan(1024 * 1024);
    expect(html.match(/class="cell"/g)).toHaveLength(120);
    expect(html).toContain('Numeric columns not drawn: <code>f13</code>, <code>f14</code>.');
  }, 60_000);

  it('weight --report: a page of the classes, their weights and weighted totals, and the effective sample size', async () => {
    const page = join(dir, 'weights.html');
    const run = await runCli(['weight', input, '--label', 'label', '-o', join(dir, 'weighted.parquet'), '--report', page, '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { inputCounts: { classes: Array<{ value: number; count: number }> }; weights: Array<{ value: number; weight: number }> };
    const html = await readFile(page, 'utf8');
    let sum = 0;
    let squares = 0;
    for (const { value, count } of report.inputCounts.classes) {
      const weight = report.weights.find((w) => w.value === value)?.weight ?? NaN;
      expect(html).toContain(`<tr><td>${value}</td><td class="number">${weight.toPrecision(6)}</td><td class="number">${count.toLocaleString('en-US')}</td><td class="number">${(weight * count).toFixed(1)}</td></tr>`);
      sum += weight * count;
      squares += weight * weight * count;
    }
    expect(html).toContain(`Effective sample size (Kish): ${((sum * sum) / squares).toFixed(1)}.`);
    expect(html).not.toContain('class="cell"');
  }, 60_000);

  it('checks an Arrow IPC stream read once: the same distances as the same rows in Parquet', async () => {
    const fixture = arrowRsStream(6_000, 700);
    const parquet = join(dir, 'ipc-twin.parquet');
    await writeFile(parquet, fixture.parquet);
    const fromStream = await balanceParquet({ arrow: Readable.from([fixture.stream]) }, join(dir, 'ipc-out.arrows'), { label: 'label', seed: 2, mode: 'reservoir', report: { path: join(dir, 'ipc.html') } });
    const fromParquet = await balanceParquet(parquet, join(dir, 'ipc-twin-out.parquet'), { label: 'label', seed: 2, mode: 'reservoir', overwrite: true, report: {} });
    expect(checksOf(fromStream).map((c) => `${c.class}/${c.column}`)).toEqual(['0/id', '0/x', '1/id', '1/x', '2/id', '2/x']);
    expect(checksOf(fromStream)).toEqual(checksOf(fromParquet));
    expect(await readFile(join(dir, 'ipc.html'), 'utf8')).toContain('class="cell"');
  }, 60_000);
});
