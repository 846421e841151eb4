import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet } from '../operators/from-parquet.js';
import { openParquet } from '../src/parquet/open-reader.js';
import { trainingBatches } from '../src/train/training-batches.js';
import { sqlString, withDuckDb } from './support/duckdb.js';
import { writeLabelledParquet } from './support/fixtures.js';

let dir: string;
let labelled: string;
let longStrings: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-transient-'));
  labelled = join(dir, 'labelled.parquet');
  // About 40 MB decoded in five read requests: more requests than the reader has slots to lend.
  await writeLabelledParquet(labelled, { rows: 400_000, classes: { 0: 0.9, 1: 0.1 }, featureColumns: 12, rowGroupSize: 40_960 });
  // Dictionary-encoded in the file, so far larger decoded than the footer's sizes say: batches outgrow the slots.
  longStrings = join(dir, 'long-strings.parquet');
  await withDuckDb((db) =>
    db.run(`COPY (SELECT repeat('abcdefghij', 10) || (i % 3)::VARCHAR AS s, (i % 2)::INTEGER AS label FROM range(300000) t(i)) TO ${sqlString(longStrings)} (FORMAT parquet, ROW_GROUP_SIZE 100000)`),
  );
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every batch of a file as IPC bytes, each copied before the next is asked for. */
async function readCopies(path: string, transient: boolean): Promise<Uint8Array[]> {
  const reader = await openParquet(path, { transient });
  const copies: Uint8Array[] = [];
  try {
    for (let batches = await reader.next(); batches !== null; batches = await reader.next()) {
      for (const batch of batches) copies.push(tableToIPC(new Table(batch), 'stream'));
    }
  } finally {
    reader.close();
  }
  return copies;
}

describe('transient reads', () => {
  it.each([
    ['batches that fit the lent memory', () => labelled],
    ['batches larger than the lent memory', () => longStrings],
  ])('give the same batches as plain reads: %s', async (_name, path) => {
    const plain = await readCopies(path(), false);
    const transient = await readCopies(path(), true);
    expect(transient.length).toBe(plain.length);
    transient.forEach((bytes, index) => expect(Buffer.compare(bytes, plain[index] as Uint8Array)).toBe(0));
  }, 60_000);

  it('hand out batches in shared memory lent to the worker, and plain reads do not', async () => {
    for (const transient of [true, false]) {
      const reader = await openParquet(labelled, { transient });
      const first = (await reader.next())?.[0];
      reader.close();
      expect(first?.getChild('f1')?.data[0]?.values.buffer instanceof SharedArrayBuffer).toBe(transient);
    }
  });

  it('reuse the lent memory: five read requests, one ahead, take two slots', async () => {
    // Count the slots the reader makes (each crossing to the worker and back wraps a slot in a new object,
    // so the batches' buffers cannot be compared).
    const Original = globalThis.SharedArrayBuffer;
    let made = 0;
    globalThis.SharedArrayBuffer = new Proxy(Original, {
      construct(target, args: unknown[]) {
        made += 1;
        return Reflect.construct(target, args) as object;
      },
    });
    let requests = 0;
    try {
      const reader = await openParquet(labelled, { transient: true });
      for (let batches = await reader.next(); batches !== null; batches = await reader.next()) requests += 1;
      reader.close();
    } finally {
      globalThis.SharedArrayBuffer = Original;
    }
    // The request handed out and the one decoded ahead; each later request takes the slot given back.
    expect({ requests, made }).toEqual({ requests: 5, made: 2 });
  });

  it('is refused by trainingBatches, which keeps rows across row groups', async () => {
    const reader = await openParquet(labelled, { transient: true });
    expect(reader.transient).toBe(true);
    const batches = trainingBatches(reader, { features: ['f1'], label: 'label', batchSize: 64 })[Symbol.asyncIterator]();
    await expect(batches.next()).rejects.toThrow(/^arrow-balance: trainingBatches cannot take a transient reader: it keeps rows across row groups/);
  });

  it('refuses a transient option that is not a boolean, and fromParquet refuses to read transiently', async () => {
    await expect(openParquet(labelled, { transient: 'yes' as unknown as boolean })).rejects.toThrow(/^arrow-balance: transient must be true or false, got yes$/);
    expect(() => fromParquet(labelled, { transient: true } as Parameters<typeof fromParquet>[1])).toThrow(/^arrow-balance: fromParquet cannot read transiently: its subscribers may keep batches; use openParquet/);
  });
});
