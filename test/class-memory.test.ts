import { RecordBatch, Utf8, vectorFromArray } from 'apache-arrow';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ClassTally } from '../src/classes/class-tally.js';
import { LabelCoder } from '../src/classes/label-coder.js';
import { prepareBalance } from '../src/sampling/balance-engine.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap and array-buffer bytes in use once garbage is collected (buffers are freed after the collection). */
async function bytesInUse(): Promise<number> {
  for (let round = 0; round < 4; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const CLASSES = 100_000;
const BATCH_ROWS = 65_536;

/** Batches of distinct labels, like an id column: 64-bit integers or strings such as 'user-1000003'. */
function idBatches(kind: 'int64' | 'string'): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (let from = 0; from < CLASSES; from += BATCH_ROWS) {
    const ids = Array.from({ length: Math.min(BATCH_ROWS, CLASSES - from) }, (_, i) => (from + i) * 7919 + 1_000_003);
    const vector = kind === 'int64' ? vectorFromArray(BigInt64Array.from(ids, BigInt)) : vectorFromArray(ids.map((id) => `user-${id}`), new Utf8());
    batches.push(new RecordBatch({ id: vector.data[0]! }));
  }
  return batches;
}

describe('memory per class of a count', () => {
  // Measured here: int64 57 bytes a class for the coder and tally, 75 with the counts they hand over; strings
  // of 12-14 characters 145 and 160. Before: 125 / 212 and 446 / 470 (a Uint8Array per string label, an
  // index by key built whether used or not, a pair and an object per class in the hand-over).
  it.each(['int64', 'string'] as const)('%s labels: under 200 bytes a class while counting and with the counts', async (kind) => {
    const batches = idBatches(kind);
    const before = await bytesInUse();
    const coder = new LabelCoder({ label: 'id' });
    const tally = new ClassTally();
    for (const batch of batches) tally.add(coder.encode(batch));
    const counting = ((await bytesInUse()) - before) / CLASSES;
    const counts = tally.snapshot(coder);
    const withCounts = ((await bytesInUse()) - before) / CLASSES;
    expect(counts.size).toBe(CLASSES);
    expect(coder.classCount).toBe(CLASSES);
    expect(counting).toBeLessThan(200);
    expect(withCounts).toBeLessThan(200);
  });
});

describe('memory per class of reservoir sampling', () => {
  it('a class of one row holds under 2,000 bytes (16 KiB of entries were allocated for each class)', async () => {
    const classes = 20_000;
    const ids = Int32Array.from({ length: classes }, (_, i) => i);
    const batch = new RecordBatch({ id: vectorFromArray(ids).data[0]!, f: vectorFromArray(Float64Array.from(ids, (i) => i / 2)).data[0]! });
    const before = await bytesInUse();
    const engine = prepareBalance({ label: 'id', mode: 'reservoir', seed: 1 })();
    expect(engine.push(batch)).toEqual([]);
    const perClass = ((await bytesInUse()) - before) / classes;
    expect(perClass).toBeLessThan(2000);
    expect(engine.finish().reduce((rows, out) => rows + out.numRows, 0)).toBe(classes);
  });
});
