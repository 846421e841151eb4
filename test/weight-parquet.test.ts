import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromArrays } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { lastValueFrom, of, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet } from '../operators/from-parquet.js';
import { toParquet } from '../operators/to-parquet.js';
import { weightCommand } from '../src/cli/weight-command.js';
import { UsageError } from '../src/cli/cli-error.js';
import { weightParquet } from '../src/jobs/weight-parquet.js';
import type { WeightReport } from '../src/jobs/weight-parquet.js';
import { parquetMetadata } from './support/duckdb.js';
import { writeLabelledParquet } from './support/fixtures.js';

const MAMMOGRAPHY = fileURLToPath(new URL('../samples/mammography.parquet', import.meta.url));
const PAGE_BLOCKS = fileURLToPath(new URL('../samples/page-blocks.parquet', import.meta.url));
const W_MAJORITY = 11183 / (2 * 10923);
const W_MINORITY = 11183 / (2 * 260);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-weight-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string): Promise<RecordBatch[]> {
  return lastValueFrom(fromParquet(path).pipe(toArray()));
}

function values(batches: readonly RecordBatch[], name: string): number[] {
  return batches.flatMap((b) => Array.from(b.getChild(name)!.toArray() as ArrayLike<number>));
}

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
}

describe('weightParquet', () => {
  it('writes every row of mammography with its balanced weight, and the report in the metadata', async () => {
    const out = join(dir, 'mammography-weighted.parquet');
    const phases = new Set<string>();
    const report = await weightParquet(MAMMOGRAPHY, out, { label: 'label', onProgress: (p) => phases.add(p.phase) });
    expect(report).toMatchObject({
      input: [MAMMOGRAPHY],
      output: out,
      label: 'label',
      column: 'weight',
      type: 'float32',
      scheme: 'balanced',
      beta: null,
      nulls: 'error',
      inputCounts: { total: 11183, classes: [{ value: -1, count: 10923 }, { value: 1, count: 260 }] },
      weights: [{ value: -1, weight: W_MAJORITY }, { value: 1, weight: W_MINORITY }],
      rowsRead: 11183,
      rowsWritten: 11183,
    });
    expect(report.seconds).toBeGreaterThan(0);
    expect([...phases]).toEqual(['count', 'weight']);

    const input = await readAll(MAMMOGRAPHY);
    const output = await readAll(out);
    expect(output[0]!.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      ...['f1', 'f2', 'f3', 'f4', 'f5', 'f6'].map((name) => `${name}:Float64`), 'label:Int32', 'weight:Float32',
    ]);
    const labels = values(output, 'label');
    const weights = values(output, 'weight');
    expect(labels).toEqual(values(input, 'label'));
    expect(values(output, 'f6')).toEqual(values(input, 'f6'));
    expect(weights).toHaveLength(11183);
    const expected = labels.map((label) => Math.fround(label === 1 ? W_MINORITY : W_MAJORITY));
    expect(weights).toEqual(expected);
    expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(11183, 1);

    const metadata = await parquetMetadata(out);
    const stored = JSON.parse(metadata.keyValue['arrow-balance']!) as Partial<WeightReport>;
    const { seconds: _seconds, rowsRead: _rowsRead, rowsWritten: _rowsWritten, output: _output, ...rest } = report;
    expect(stored).toEqual(rest);
    expect(await leftovers()).toEqual([]);
  });

  it('passes the scheme options on: effective, Float64, another column name (page-blocks)', async () => {
    const out = join(dir, 'page-blocks-effective.parquet');
    const report = await weightParquet(PAGE_BLOCKS, out, { label: 'label', scheme: 'effective', beta: 0.99, type: 'float64', column: 'w' });
    // raw (1 - 0.99) / (1 - 0.99^n): graphic (28 rows) 0.01 / (1 - 0.754719) = 0.040770, vert. line (88) 0.01 / 0.587050
    // = 0.017034, picture (115) 0.01 / 0.685191 = 0.014594, horiz. line (329) 0.01 / 0.963358 = 0.010380, text (4913)
    // 0.01 / (1 - 4e-22) = 0.010000; sum 0.092779; weights 5 * raw / sum
    const byClass = Object.fromEntries(report.weights.map(({ value, weight }) => [String(value), weight]));
    expect(byClass['graphic']).toBeCloseTo((5 * 0.04077) / 0.092779, 3); // 2.1971
    expect(byClass['vert. line']).toBeCloseTo((5 * 0.017034) / 0.092779, 3); // 0.9180
    expect(byClass['text']).toBeCloseTo((5 * 0.01) / 0.092779, 3); // 0.5389
    expect(report.weights.reduce((s, { weight }) => s + weight, 0)).toBeCloseTo(5, 12);
    const output = await readAll(out);
    const labels = output.flatMap((b) => [...b.getChild('label')!] as string[]);
    const weights = values(output, 'w');
    expect(output[0]!.getChild('w')!.toArray()).toBeInstanceOf(Float64Array);
    expect(weights).toEqual(labels.map((label) => byClass[label]));
    const stored = JSON.parse((await parquetMetadata(out)).keyValue['arrow-balance']!) as WeightReport;
    expect(stored).toMatchObject({ scheme: 'effective', beta: 0.99, column: 'w', type: 'float64' });
  });

  it('passes the output options on: engine, compression, row-group size', async () => {
    const out = join(dir, 'lite.parquet');
    const report = await weightParquet(MAMMOGRAPHY, out, { label: 'label', engine: 'parquetjs-lite', compression: 'gzip', rowGroupSize: 5000 });
    expect(report.rowsWritten).toBe(11183);
    const metadata = await parquetMetadata(out);
    expect(metadata.rowGroups.map((g) => g.rows)).toEqual([5000, 5000, 1183]);
    expect(metadata.compressions).toEqual(['GZIP']);
    expect(JSON.parse(metadata.keyValue['arrow-balance']!)).toMatchObject({ scheme: 'balanced', weights: report.weights });
    const output = await readAll(out);
    expect(values(output, 'weight')).toEqual(values(output, 'label').map((label) => Math.fround(label === 1 ? W_MINORITY : W_MAJORITY)));
  });

  it('refuses to replace an existing output unless overwrite is set', async () => {
    const out = join(dir, 'exists.parquet');
    await weightParquet(MAMMOGRAPHY, out, { label: 'label' });
    const before = await readFile(out);
    await expect(weightParquet(MAMMOGRAPHY, out, { label: 'label', scheme: 'sqrt' })).rejects.toThrow(/exists\.parquet: output file already exists; choose another path or allow overwriting/);
    expect(await readFile(out)).toEqual(before);
    const report = await weightParquet(MAMMOGRAPHY, out, { label: 'label', scheme: 'sqrt', overwrite: true });
    expect(report.scheme).toBe('sqrt');
    expect(await leftovers()).toEqual([]);
  });

  it('refuses to write over one of its inputs, even with overwrite', async () => {
    const copy = join(dir, 'copy.parquet');
    await copyFile(MAMMOGRAPHY, copy);
    const before = await readFile(copy);
    await expect(weightParquet(copy, copy, { label: 'label', overwrite: true })).rejects.toThrow(/copy\.parquet: is also an input .*; write the output to another path/);
    await expect(weightParquet([MAMMOGRAPHY, copy], join(dir, '.', 'copy.parquet'), { label: 'label', overwrite: true })).rejects.toThrow(/is also an input/);
    expect(await readFile(copy)).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });

  it('leaves no file, partial or temporary, when the label column is missing', async () => {
    const out = join(dir, 'missing-label.parquet');
    await expect(weightParquet(MAMMOGRAPHY, out, { label: 'class' })).rejects.toThrow(
      `arrow-balance: ${MAMMOGRAPHY}: column "class" not found; columns are: f1, f2, f3, f4, f5, f6, label`,
    );
    expect(existsSync(out)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('removes the partial output when stopped midway (abort signal after the first row group is written)', async () => {
    const input = join(dir, 'three-groups.parquet');
    // Row groups of ~10 MB each, so that each is read by a request of its own (small ones share one).
    await writeLabelledParquet(input, { rows: 300_000, classes: { common: 0.9, rare: 0.1 }, featureColumns: 12, rowGroupSize: 100_000 });
    const out = join(dir, 'stopped.parquet');
    const controller = new AbortController();
    const written: number[] = [];
    const job = weightParquet(input, out, {
      label: 'label',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase !== 'weight') return;
        written.push(p.rowsWritten);
        controller.abort(new Error('stop here'));
      },
    });
    await expect(job).rejects.toThrow('stop here');
    // One row group (DuckDB rounds its size up to a multiple of 2,048 rows) of the three was written.
    expect(written).toHaveLength(1);
    expect(written[0]).toBeGreaterThanOrEqual(100_000);
    expect(written[0]).toBeLessThan(150_000);
    expect(existsSync(out)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('fails before reading on a bad option or a clashing weight column, leaving no file', async () => {
    const out = join(dir, 'bad.parquet');
    await expect(weightParquet(MAMMOGRAPHY, out, { label: 'label', scheme: 'focal' as never })).rejects.toThrow(RangeError);
    await expect(weightParquet(MAMMOGRAPHY, out, { label: 'label', rowGroupSize: 0 })).rejects.toThrow(/rowGroupSize must be a positive integer/);
    await expect(weightParquet(MAMMOGRAPHY, out, { label: 'label', rowGroupsize: 10 } as never)).rejects.toThrow(/weightParquet\(\) has no option "rowGroupsize"; options are: .*rowGroupSize/);
    await expect(weightParquet(MAMMOGRAPHY, out, { label: 'label', column: 'f1' })).rejects.toThrow(/the input already has a column "f1"/);
    await expect(weightParquet(MAMMOGRAPHY, out, { label: 'label', classWeights: { '-1': 1 } })).rejects.toThrow(/class "1" has 260 rows but option "classWeights" \(--class-weight\) gives it no weight/);
    expect(existsSync(out)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });
});

describe('arrow-balance weight (CLI)', () => {
  function io(): { out: string[]; err: string[]; io: { out: (t: string) => void; err: (t: string) => void; errIsTerminal: boolean } } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t), errIsTerminal: false } };
  }

  it('prints the class table with the weights', async () => {
    const captured = io();
    const out = join(dir, 'cli.parquet');
    await weightCommand([MAMMOGRAPHY, '--label', 'label', '-o', out], captured.io);
    const text = captured.out.join('');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^class\s+rows\s+share\s+weight\s+weighted$/);
    expect(lines[1]).toMatch(/^-1\s+10,923\s+97\.7%\s+█+.?\s+0\.511901\s+50\.0%\s+█{12}$/);
    expect(lines[2]).toMatch(/^1\s+260\s+2\.3%\s+.?\s+21\.5058\s+50\.0%\s+█{12}$/);
    expect(lines[3]).toMatch(/^total\s+11,183\s+100\.0%\s+100\.0%$/);
    expect(text).toContain(`balanced weights in column "weight" (float32): 11,183 rows read, 11,183 written to ${out}`);
    expect(captured.err).toEqual([]);
  });

  it('--json prints the report; manual weights come from repeated --class-weight', async () => {
    const captured = io();
    const out = join(dir, 'cli-manual.parquet');
    await weightCommand([MAMMOGRAPHY, '--label', 'label', '-o', out, '--class-weight=-1=0.25', '--class-weight', '1=0.75', '--type', 'float64', '--json'], captured.io);
    const report = JSON.parse(captured.out.join('')) as WeightReport;
    expect(report).toMatchObject({ scheme: 'manual', type: 'float64', weights: [{ value: -1, weight: 0.25 }, { value: 1, weight: 0.75 }], rowsWritten: 11183 });
    expect(values(await readAll(out), 'weight').filter((w) => w === 0.75)).toHaveLength(260);
  });

  it('reports usage mistakes as UsageError', async () => {
    const out = join(dir, 'never.parquet');
    const usage = async (...args: string[]): Promise<unknown> => weightCommand([MAMMOGRAPHY, '-o', out, '--label', 'label', ...args], io().io).catch((e: unknown) => e);
    expect(await usage('--scheme', 'focal')).toBeInstanceOf(UsageError);
    expect(((await usage('--scheme', 'focal')) as Error).message).toMatch(/--scheme must be one of balanced, inverse, sqrt, effective, manual, got "focal"/);
    expect(((await usage('--beta', '0.9')) as Error).message).toMatch(/--beta is used only by --scheme effective, not balanced/);
    expect(((await usage('--scheme', 'effective', '--beta', '1')) as Error).message).toMatch(/--beta must be a number from 0 up to/);
    expect(((await usage('--class-weight', 'a')) as Error).message).toMatch(/--class-weight "a" must be <class>=<weight>/);
    expect(((await usage('--class-weight', 'a=-1')) as Error).message).toMatch(/weight >= 0/);
    expect(((await usage('--class-weight', 'a=1', '--class-weight', 'a=2')) as Error).message).toMatch(/names class "a" twice/);
    expect(((await usage('--scheme', 'manual')) as Error).message).toMatch(/--scheme manual needs --class-weight/);
    expect(((await usage('--scheme', 'sqrt', '--class-weight', 'a=1')) as Error).message).toMatch(/--class-weight is used only by --scheme manual/);
    expect(await weightCommand([MAMMOGRAPHY, '--label', 'label'], io().io).catch((e: unknown) => e)).toBeInstanceOf(UsageError);
    expect(existsSync(out)).toBe(false);
  });
});
