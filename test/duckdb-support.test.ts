import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeParquet,
  openDuckDb,
  parquetMetadata,
  parquetRowCount,
  parquetSource,
  sameRows,
  sqlString,
} from './support/duckdb.js';
import type { DuckDbSession } from './support/duckdb.js';
import {
  ALL_TYPES_COLUMNS,
  actualRowGroupSize,
  classCounts,
  writeAllTypesParquet,
  writeLabelledParquet,
} from './support/fixtures.js';

let dir: string;
let db: DuckDbSession;
let allTypes: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrow-balance-duckdb-'));
  db = await openDuckDb({ threads: 2 });
  allTypes = join(dir, 'all-types.parquet');
  await writeAllTypesParquet(allTypes, {
    rows: 5000,
    rowGroupSize: 2048,
    compression: 'zstd',
    seed: 7,
    keyValueMetadata: { origin: "duckdb's fixture" },
    db,
  });
});

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

/** Writes the result of `select` (which may read `src`) to a new file in the temp folder. */
async function copyWith(name: string, select: string): Promise<string> {
  const path = join(dir, name);
  await db.run(`COPY (${select}) TO ${sqlString(path)} (FORMAT parquet)`);
  return path;
}

describe('writeAllTypesParquet', () => {
  it('writes every column with the DuckDB type listed in ALL_TYPES_COLUMNS', async () => {
    const columns = await describeParquet(allTypes, db);
    expect(columns).toEqual(ALL_TYPES_COLUMNS.map((c) => ({ name: c.name, type: c.duckdbType })));
    expect(columns.map((c) => c.type)).toEqual(
      expect.arrayContaining([
        'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'FLOAT',
        'DOUBLE', 'DECIMAL(10,2)', 'DECIMAL(38,9)', 'BOOLEAN', 'VARCHAR', 'DATE', 'TIME', 'TIMESTAMP',
        'TIMESTAMP WITH TIME ZONE', 'VARCHAR[]', 'STRUCT(x INTEGER, y VARCHAR)',
      ]),
    );
  });

  it('lays out row groups, compression and key-value metadata as asked', async () => {
    const metadata = await parquetMetadata(allTypes, db);
    expect(metadata.rows).toBe(5000);
    expect(metadata.rowGroups.map((g) => g.rows)).toEqual([2048, 2048, 904]);
    expect(metadata.compressions).toEqual(['ZSTD']);
    expect(metadata.keyValue).toEqual({ origin: "duckdb's fixture" });
    expect(metadata.formatVersion).toBe(1);
    expect(metadata.createdBy).toMatch(/^DuckDB/);
    const encodings = (path: string) => metadata.rowGroups[0]?.columns.find((c) => c.path === path)?.encodings ?? [];
    expect(encodings('str_dict').some((e) => e.endsWith('_DICTIONARY'))).toBe(true);
    expect(encodings('enum').some((e) => e.endsWith('_DICTIONARY'))).toBe(true);
    expect(metadata.rowGroups[0]?.columns.map((c) => c.path)).toContain('struct.x');
  });

  it('puts nulls in every column except id', async () => {
    const names = ALL_TYPES_COLUMNS.map((c) => c.name);
    const row = (await db.rows(`SELECT ${names.map((n) => `count(*) - count("${n}") AS "${n}"`).join(', ')}
      FROM ${parquetSource(allTypes)}`))[0] ?? {};
    for (const name of names) {
      const nulls = Number(row[name]);
      if (name === 'id') expect(nulls, name).toBe(0);
      else expect(nulls, name).toBeGreaterThanOrEqual(Math.floor(5000 / 7));
    }
  });

  it('holds the edge values: big uint64, NaN and infinities, empty strings and lists, null elements and fields', async () => {
    const [facts] = await db.rows(`SELECT
        count(*) FILTER (WHERE u64 > 9223372036854775808) AS u64_above_2_63,
        count(*) FILTER (WHERE u64 = 9007199254740993) AS u64_2_53_plus_1,
        count(*) FILTER (WHERE u64 = 18446744073709551615) AS u64_max,
        count(*) FILTER (WHERE isnan(f64)) AS f64_nan,
        count(*) FILTER (WHERE isinf(f64)) AS f64_inf,
        count(*) FILTER (WHERE isnan(f32)) AS f32_nan,
        count(*) FILTER (WHERE dec_38_9 = '99999999999999999999999999999.999999999'::DECIMAL(38,9)) AS dec38_max,
        count(*) FILTER (WHERE str = '') AS empty_str,
        count(*) FILTER (WHERE str LIKE '%🦆%' OR str LIKE '%日本語%') AS unicode_str,
        count(DISTINCT str_dict) AS dict_values,
        count(*) FILTER (WHERE len(list_str) = 0) AS empty_lists,
        count(*) FILTER (WHERE list_count(list_str) < len(list_str)) AS null_elements,
        count(*) FILTER (WHERE struct IS NOT NULL AND struct.x IS NULL) AS null_x,
        count(*) FILTER (WHERE struct IS NOT NULL AND struct.y IS NULL) AS null_y,
        count(*) FILTER (WHERE ts < TIMESTAMP '1970-01-01') AS ts_before_epoch
      FROM ${parquetSource(allTypes)}`);
    for (const [name, value] of Object.entries(facts ?? {})) expect(Number(value), name).toBeGreaterThan(0);
    expect(Number(facts?.['dict_values'])).toBe(4);
  });

  it('is deterministic in the seed and honours compression, columns and Parquet version', async () => {
    const again = join(dir, 'all-types-again.parquet');
    await writeAllTypesParquet(again, { rows: 5000, rowGroupSize: 2048, compression: 'snappy', seed: 7, db });
    expect((await sameRows(allTypes, again, { ordered: true, db })).same).toBe(true);

    const other = join(dir, 'all-types-seed-8.parquet');
    await writeAllTypesParquet(other, { rows: 5000, compression: 'gzip', seed: 8, db });
    const differs = await sameRows(allTypes, other, { db });
    expect(differs.same).toBe(false);
    expect(differs.onlyInA).toBeGreaterThan(4000);
    expect((await parquetMetadata(other, db)).compressions).toEqual(['GZIP']);

    const small = join(dir, 'all-types-small.parquet');
    const summary = await writeAllTypesParquet(small, {
      rows: 700,
      columns: ['id', 'i32', 'str'],
      compression: 'uncompressed',
      parquetVersion: 'v2',
      db,
    });
    expect(summary).toEqual({ path: small, rows: 700, rowGroups: 1 });
    expect((await describeParquet(small, db)).map((c) => c.name)).toEqual(['id', 'i32', 'str']);
    const metadata = await parquetMetadata(small, db);
    expect(metadata.compressions).toEqual(['UNCOMPRESSED']);
    expect(metadata.formatVersion).toBe(2);
  });

  it('writes the same instants whatever the session time zone', async () => {
    const elsewhere = await openDuckDb({ threads: 1 });
    try {
      await elsewhere.run(`SET TimeZone = 'America/New_York'`);
      const path = join(dir, 'all-types-new-york.parquet');
      await writeAllTypesParquet(path, { rows: 5000, rowGroupSize: 2048, seed: 7, db: elsewhere });
      const result = await sameRows(allTypes, path, { ordered: true, db });
      expect(result.same, result.summary).toBe(true);
    } finally {
      elsewhere.close();
    }
  });

  it('rounds row groups up to whole DuckDB vectors and rejects bad options', async () => {
    expect(actualRowGroupSize(1000)).toBe(2048);
    expect(actualRowGroupSize(4096)).toBe(4096);
    const path = join(dir, 'rg.parquet');
    const { rowGroups } = await writeAllTypesParquet(path, { rows: 5000, rowGroupSize: 1000, columns: ['id'], db });
    expect(rowGroups).toBe(Math.ceil(5000 / actualRowGroupSize(1000)));
    await expect(writeAllTypesParquet(path, { rows: -1 })).rejects.toThrow(/rows must be an integer/);
    // @ts-expect-error lz4 (not lz4_raw) is refused on purpose
    await expect(writeAllTypesParquet(path, { compression: 'lz4' })).rejects.toThrow(/compression must be one of/);
    // @ts-expect-error an unknown column
    await expect(writeAllTypesParquet(path, { columns: ['nope'] })).rejects.toThrow(/unknown column nope/);
  });
});

describe('sameRows', () => {
  it('finds an identical DuckDB copy the same, NaN, lists and structs included', async () => {
    const copy = await copyWith('copy.parquet', `SELECT * FROM ${parquetSource(allTypes)}`);
    const result = await sameRows(allTypes, copy, { ordered: true, db });
    expect(result.same, result.summary).toBe(true);
    expect(result).toMatchObject({ rowsA: 5000, rowsB: 5000, onlyInA: 0, onlyInB: 0, schemaDifferences: [] });
    expect(result.differingColumns).toEqual({});
    expect(result.summary).toMatch(/^same rows in the same order: both have 5000 rows/);
  });

  it('detects one changed value', async () => {
    const changed = await copyWith(
      'changed.parquet',
      `SELECT * REPLACE (CASE WHEN id = 17 THEN 'changed' ELSE str END AS str) FROM ${parquetSource(allTypes)}`,
    );
    const result = await sameRows(allTypes, changed, { db });
    expect(result.same).toBe(false);
    expect(result).toMatchObject({ rowsA: 5000, rowsB: 5000, onlyInA: 1, onlyInB: 1 });
    expect(result.examplesOnlyInB[0]?.['str']).toBe('changed');
    expect(result.examplesOnlyInA[0]?.['id']).toBe('17');
    expect(result.summary).toContain('1 row(s) only in A, 1 row(s) only in B');
    expect(result.summary).toContain('"str":"changed"');
  });

  it('detects an extra duplicate row, which a set comparison would miss', async () => {
    const extra = await copyWith(
      'extra.parquet',
      `SELECT * FROM ${parquetSource(allTypes)} UNION ALL SELECT * FROM ${parquetSource(allTypes)} WHERE id = 5`,
    );
    const result = await sameRows(allTypes, extra, { db });
    expect(result.same).toBe(false);
    expect(result).toMatchObject({ rowsA: 5000, rowsB: 5001, onlyInA: 0, onlyInB: 1 });
    expect(result.summary).toContain('A has 5000 rows, B has 5001');
  });

  it('names the columns that differ when comparing in order', async () => {
    const changed = await copyWith(
      'changed-two.parquet',
      `SELECT * REPLACE (CASE WHEN id % 1000 = 3 THEN NULL ELSE f64 END AS f64,
                         CASE WHEN id = 4 THEN {'x': 1, 'y': 'other'} ELSE struct END AS struct)
       FROM ${parquetSource(allTypes)}`,
    );
    const result = await sameRows(allTypes, changed, { ordered: true, db });
    expect(result.same).toBe(false);
    // rows 3, 1003, ... held NaN in f64 (k = 3) unless null: NaN -> NULL is a difference, NaN = NaN is not
    const nanRowsMadeNull = await db.count(
      `SELECT count(*) FROM ${parquetSource(allTypes)} WHERE id % 1000 = 3 AND f64 IS NOT NULL`,
    );
    expect(result.differingColumns).toEqual({ f64: nanRowsMadeNull, struct: 1 });
    expect(result.summary).toContain(`values differ at the same position in: f64 (${nanRowsMadeNull} rows), struct (1 rows)`);
  });

  it('ignores order unless asked to check it', async () => {
    const reversed = await copyWith('reversed.parquet', `SELECT * FROM ${parquetSource(allTypes)} ORDER BY id DESC`);
    expect((await sameRows(allTypes, reversed, { db })).same).toBe(true);
    const ordered = await sameRows(allTypes, reversed, { ordered: true, db });
    expect(ordered.same).toBe(false);
    expect(ordered.summary).toContain('order-sensitive');
  });

  it('reports a changed type and a missing column', async () => {
    const widened = await copyWith(
      'widened.parquet',
      `SELECT * REPLACE (i32::BIGINT AS i32) FROM ${parquetSource(allTypes)}`,
    );
    const typeResult = await sameRows(allTypes, widened, { db });
    expect(typeResult.same).toBe(false);
    expect(typeResult.schemaDifferences).toEqual(['column 4 "i32": INTEGER in A, BIGINT in B']);

    const dropped = await copyWith('dropped.parquet', `SELECT * EXCLUDE (struct) FROM ${parquetSource(allTypes)}`);
    const dropResult = await sameRows(allTypes, dropped, { db });
    expect(dropResult.same).toBe(false);
    expect(dropResult.onlyInA).toBeNull();
    expect(dropResult.summary).toMatch(/column count: A has 23 .*B has 22/);
  });
});

describe('writeLabelledParquet', () => {
  it('writes 12 DOUBLE features and a label with exactly the requested class shares', async () => {
    const path = join(dir, 'labelled.parquet');
    const summary = await writeLabelledParquet(path, {
      rows: 100_000,
      classes: { majority: 0.9, middle: 0.09, rare: 0.01 },
      rowGroupSize: 32_768,
      db,
    });
    expect(summary).toMatchObject({ rows: 100_000, rowGroups: 4, labelType: 'VARCHAR' });
    expect(summary.counts).toEqual({ majority: 90_000, middle: 9_000, rare: 1_000 });
    expect(await describeParquet(path, db)).toEqual([
      ...Array.from({ length: 12 }, (_, k) => ({ name: `f${k + 1}`, type: 'DOUBLE' })),
      { name: 'label', type: 'VARCHAR' },
    ]);
    const counted = await db.rows(`SELECT label, count(*) AS n FROM ${parquetSource(path)} GROUP BY ALL`);
    expect(Object.fromEntries(counted.map((r) => [r['label'], Number(r['n'])]))).toEqual(summary.counts);
    expect((await parquetMetadata(path, db)).compressions).toEqual(['SNAPPY']);
  });

  it('scatters each class through the file instead of grouping it', async () => {
    const path = join(dir, 'labelled-spread.parquet');
    await writeLabelledParquet(path, { rows: 100_000, classes: { a: 0.99, b: 0.01 }, featureColumns: 1, db });
    const perTenth = await db.rows(`SELECT file_row_number // 10000 AS tenth, count(*) AS n
      FROM ${parquetSource(path, { fileRowNumber: true })} WHERE label = 'b' GROUP BY ALL ORDER BY tenth`);
    expect(perTenth).toHaveLength(10);
    for (const row of perTenth) expect(Math.abs(Number(row['n']) - 100)).toBeLessThanOrEqual(5);
  });

  it('infers INTEGER labels, mixes feature types, and is deterministic', async () => {
    const options = {
      rows: 20_000,
      classes: { '-1': 42, '1': 1 },
      featureColumns: 4,
      featureTypes: 'mixed',
      labelColumn: 'y',
      seed: 3,
      compression: 'zstd',
      db,
    } as const;
    const a = join(dir, 'labelled-int-a.parquet');
    const b = join(dir, 'labelled-int-b.parquet');
    const summary = await writeLabelledParquet(a, options);
    await writeLabelledParquet(b, options);
    expect(summary.labelType).toBe('INTEGER');
    expect(summary.counts).toEqual({ '-1': 19_535, '1': 465 });
    expect((await describeParquet(a, db)).map((c) => `${c.name} ${c.type}`)).toEqual([
      'f1 DOUBLE', 'f2 FLOAT', 'f3 INTEGER', 'f4 BIGINT', 'y INTEGER',
    ]);
    expect(await db.count(`SELECT count(*) FROM ${parquetSource(a)} WHERE y = 1`)).toBe(465);
    expect((await sameRows(a, b, { ordered: true, db })).same).toBe(true);
    expect(await parquetRowCount(a, db)).toBe(20_000);
  });

  it('classCounts splits rows exactly by largest remainder', () => {
    expect(classCounts(1000, { a: 0.9, b: 0.09, c: 0.01 })).toEqual({ a: 900, b: 90, c: 10 });
    expect(classCounts(10, { x: 1, y: 1, z: 1 })).toEqual({ x: 4, y: 3, z: 3 });
    expect(classCounts(7, { p: 0.5, q: 0.5 })).toEqual({ p: 4, q: 3 });
    const odd = classCounts(999_983, { a: 0.7, b: 0.2, c: 0.07, d: 0.03 });
    expect(Object.values(odd).reduce((s, n) => s + n, 0)).toBe(999_983);
    expect(() => classCounts(10, {})).toThrow(RangeError);
    expect(() => classCounts(10, { a: 0 })).toThrow(/share of class "a"/);
  });
});
