import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastValueFrom } from 'rxjs';
import { fromParquet } from '../operators/from-parquet.js';
import { toParquet } from '../operators/to-parquet.js';
import { balanceParquet } from '../src/jobs/balance-parquet.js';
import { weightParquet } from '../src/jobs/weight-parquet.js';
import { nearlyDistinctColumns } from '../src/parquet/distinct-columns.js';
import { openDuckDb, sqlString } from './support/duckdb.js';
import { writeMixedParquet } from './support/mixed-fixture.js';

describe('nearlyDistinctColumns', () => {
  it('names the integer, timestamp and string columns whose values nearly all differ', () => {
    const n = 10_000;
    const table = tableFromArrays({
      id: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)),
      small: Int32Array.from({ length: n }, (_, i) => i % 20),
      thirds: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 3)),
      uid: Array.from({ length: n }, (_, i) => `u${i}`),
      cat: Array.from({ length: n }, (_, i) => `c${i % 7}`),
      x: Float64Array.from({ length: n }, (_, i) => i / 3),
    });
    // `thirds` repeats each value three times in a row: a third of the values in a run differ.
    expect(nearlyDistinctColumns(table.batches)).toEqual(['id', 'uid']);
    // The same rows cut into other batches: the same choice.
    const cut = [table.slice(0, 1_234), table.slice(1_234, 7_000), table.slice(7_000)].flatMap((part) => part.batches);
    expect(nearlyDistinctColumns(cut)).toEqual(['id', 'uid']);
  });

  it('leaves alone columns with too few values to tell, and columns of nulls', () => {
    const few = tableFromArrays({ id: Int32Array.from({ length: 50 }, (_, i) => i) });
    expect(nearlyDistinctColumns(few.batches)).toEqual([]);
    expect(nearlyDistinctColumns([])).toEqual([]);
  });
});

describe('the encodings a balanced file is written with', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ab-encodings-'));
    await writeMixedParquet(join(dir, 'mixed.parquet'), { rows: 60_000, rowGroupSize: 20_000 });
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Each column's encodings in a file, as DuckDB reads its footer. */
  async function encodingsOf(path: string): Promise<Map<string, string>> {
    const db = await openDuckDb();
    try {
      const rows = await db.rows(`SELECT DISTINCT path_in_schema AS col, encodings FROM parquet_metadata(${sqlString(path)}) ORDER BY col`);
      return new Map(rows.map(({ col, encodings: used }) => [String(col), String(used)]));
    } finally {
      db.close();
    }
  }

  function expectPlainWhereUnique(encodings: Map<string, string>): void {
    for (const unique of ['id', 'ts', 'uid']) expect(encodings.get(unique)).not.toMatch(/DICTIONARY/);
    for (const repeating of ['cat', 'label', 'label_s']) expect(encodings.get(repeating)).toMatch(/DICTIONARY/);
  }

  it('skip dictionaries for unique columns and keep them for repeating ones: a plan run by workers', async () => {
    const output = join(dir, 'under.parquet');
    await balanceParquet(join(dir, 'mixed.parquet'), output, { label: 'label', strategy: 'under', seed: 3, workers: 2 });
    expectPlainWhereUnique(await encodingsOf(output));
  }, 60_000);

  it('... and one pipeline (weightParquet, toParquet), the same choice whatever the batch sizes', async () => {
    const weighted = join(dir, 'weighted.parquet');
    await weightParquet(join(dir, 'mixed.parquet'), weighted, { label: 'label' });
    expectPlainWhereUnique(await encodingsOf(weighted));
    // The choice is made from the first 16,384 rows, however they come: the same encodings (the files' bytes
    // differ with the batch sizes, as they did before this choice).
    for (const batchSize of [1_000, 7_777, 65_536]) {
      const copy = join(dir, `copy-${batchSize}.parquet`);
      await lastValueFrom(fromParquet(join(dir, 'mixed.parquet'), { batchSize }).pipe(toParquet(copy)));
      expectPlainWhereUnique(await encodingsOf(copy));
    }
  }, 60_000);
});
