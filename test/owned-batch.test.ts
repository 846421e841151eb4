import { tableFromArrays, tableFromIPC, tableToIPC, vectorFromArray, Dictionary, Int32, Utf8, Table, type RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ownedBatch } from '../src/arrow/owned-batch.js';
import { takeRows } from '../src/arrow/take.js';

/** A batch read in place from `memory` (as a worker reads parquet-wasm's heap), with a dictionary column. */
function borrowedBatch(): { batch: RecordBatch; memory: Uint8Array } {
  const table = tableFromArrays({ x: Float64Array.from([1, 2, 3, 4]), name: ['a', null, 'ccc', 'dd'] });
  const labels = vectorFromArray(['buy', 'skip', 'buy', 'skip'], new Dictionary(new Utf8(), new Int32()));
  const withLabels = new Table({ x: table.getChild('x')!, name: table.getChild('name')!, label: labels });
  const ipc = tableToIPC(withLabels, 'stream');
  const memory = new Uint8Array(ipc.length + 64);
  memory.set(ipc, 32);
  return { batch: tableFromIPC(memory.subarray(32, 32 + ipc.length)).batches[0] as RecordBatch, memory };
}

const rowsOf = (batch: RecordBatch): unknown[] => batch.toArray().map((row) => ({ ...row.toJSON() }));

describe('ownedBatch', () => {
  it('copies what lies in the borrowed memory, dictionaries included, so that reusing it changes nothing', () => {
    const { batch, memory } = borrowedBatch();
    const gathered = takeRows(batch, Int32Array.of(3, 0, 2));
    const owned = ownedBatch(gathered, memory.buffer);
    const before = rowsOf(owned);
    expect(before).toEqual([
      { x: 4, name: 'dd', label: 'skip' },
      { x: 1, name: 'a', label: 'buy' },
      { x: 3, name: 'ccc', label: 'buy' },
    ]);
    // The gather alone still shares the dictionary with the borrowed memory.
    memory.fill(0);
    expect(rowsOf(owned)).toEqual(before);
    expect(rowsOf(gathered)).not.toEqual(before);
  });

  it('copies a batch passed on whole, and returns a batch that owns its memory as it is', () => {
    const { batch, memory } = borrowedBatch();
    const owned = ownedBatch(batch, memory.buffer);
    const before = rowsOf(owned);
    memory.fill(0);
    expect(rowsOf(owned)).toEqual(before);
    expect(ownedBatch(owned, memory.buffer)).toBe(owned);
  });
});
