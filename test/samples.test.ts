import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFolders, findProjectRoot, makeSamples } from '../samples/make-samples.js';
import {
  describeParquet,
  openDuckDb,
  parquetMetadata,
  parquetRowCount,
  parquetSource,
  sameRows,
} from './support/duckdb.js';
import type { DuckDbSession } from './support/duckdb.js';

const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
const { dataDir, outDir: samplesDir } = defaultFolders(root);
const haveData = existsSync(join(dataDir, 'mammography.csv')) && existsSync(join(dataDir, 'page-blocks.csv'));

const MAMMOGRAPHY = join(samplesDir, 'mammography.parquet');
const PAGE_BLOCKS = join(samplesDir, 'page-blocks.parquet');

let db: DuckDbSession;
beforeAll(async () => {
  db = await openDuckDb({ threads: 1 });
});
afterAll(() => db.close());

async function classCounts(path: string): Promise<Record<string, number>> {
  const rows = await db.rows(`SELECT label::VARCHAR AS label, count(*) AS n FROM ${parquetSource(path)} GROUP BY ALL`);
  return Object.fromEntries(rows.map((row) => [String(row['label']), Number(row['n'])]));
}

describe('committed samples', () => {
  it('mammography.parquet: 11,183 rows, f1..f6 DOUBLE, label INTEGER -1/1', async () => {
    expect(await parquetRowCount(MAMMOGRAPHY, db)).toBe(11_183);
    expect(await describeParquet(MAMMOGRAPHY, db)).toEqual([
      ...['f1', 'f2', 'f3', 'f4', 'f5', 'f6'].map((name) => ({ name, type: 'DOUBLE' })),
      { name: 'label', type: 'INTEGER' },
    ]);
    expect(await classCounts(MAMMOGRAPHY)).toEqual({ '-1': 10_923, '1': 260 });
  });

  it('page-blocks.parquet: 5,473 rows, header names, integer and real features, five text labels', async () => {
    expect(await parquetRowCount(PAGE_BLOCKS, db)).toBe(5_473);
    const int = (name: string) => ({ name, type: 'INTEGER' });
    const real = (name: string) => ({ name, type: 'DOUBLE' });
    expect(await describeParquet(PAGE_BLOCKS, db)).toEqual([
      int('height'),
      int('length'),
      int('area'),
      real('eccen'),
      real('p_black'),
      real('p_and'),
      real('mean_tr'),
      int('blackpix'),
      int('blackand'),
      int('wb_trans'),
      { name: 'label', type: 'VARCHAR' },
    ]);
    expect(await classCounts(PAGE_BLOCKS)).toEqual({
      text: 4913,
      'horiz. line': 329,
      picture: 115,
      'vert. line': 88,
      graphic: 28,
    });
  });

  it('both are snappy-compressed, name their source and have no nulls', async () => {
    for (const path of [MAMMOGRAPHY, PAGE_BLOCKS]) {
      const metadata = await parquetMetadata(path, db);
      expect(metadata.compressions).toEqual(['SNAPPY']);
      expect(metadata.keyValue['source']).toMatch(/Woods et al\. \(1993\)|Page Blocks Classification \(Malerba, 1995\)/);
      const columns = await describeParquet(path, db);
      const nulls = columns.map((c) => `count(*) - count("${c.name}")`).join(' + ');
      expect(await db.count(`SELECT ${nulls} FROM ${parquetSource(path)}`)).toBe(0);
    }
  });
});

describe.skipIf(!haveData)('samples against the CSV files in ../shared/data', () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = await mkdtemp(join(tmpdir(), 'arrow-balance-samples-'));
    const written = await makeSamples({ dataDir, outDir: fresh });
    expect(written.map((w) => w.rows)).toEqual([11_183, 5_473]);
  });
  afterAll(async () => {
    await rm(fresh, { recursive: true, force: true });
  });

  it.each(['mammography.parquet', 'page-blocks.parquet'])('%s equals a fresh conversion, row for row', async (name) => {
    const result = await sameRows(join(samplesDir, name), join(fresh, name), { ordered: true, db });
    expect(result.same, result.summary).toBe(true);
    expect(result.onlyInA).toBe(0);
    expect(result.onlyInB).toBe(0);
  });

  it('mammography.parquet holds the CSV values in CSV order (quoted labels unwrapped)', async () => {
    const csv = parseCsv(await readFile(join(dataDir, 'mammography.csv'), 'utf8'));
    expect(csv.length).toBe(11_183);
    const rows = await db.rows(`SELECT * FROM ${parquetSource(MAMMOGRAPHY)}`);
    const expected = csv.map((fields) => [
      ...fields.slice(0, 6).map(Number),
      Number((fields[6] ?? '').replaceAll("'", '')),
    ]);
    expect(rows.map((row) => Object.values(row))).toEqual(expected);
  });

  it('page-blocks.parquet holds the CSV values in CSV order (BOM and CRLF handled)', async () => {
    const text = await readFile(join(dataDir, 'page-blocks.csv'), 'utf8');
    const [header, ...body] = parseCsv(text.replace(/^\uFEFF/, ''));
    expect(body.length).toBe(5_473);
    const rows = await db.rows(`SELECT * FROM ${parquetSource(PAGE_BLOCKS)}`);
    expect(Object.keys(rows[0] ?? {})).toEqual(header);
    const expected = body.map((fields) => [...fields.slice(0, 10).map(Number), fields[10]]);
    expect(rows.map((row) => Object.values(row))).toEqual(expected);
  });
});

/** Splits simple CSV text (no embedded delimiters) into fields; accepts LF or CRLF and no final newline. */
function parseCsv(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}
