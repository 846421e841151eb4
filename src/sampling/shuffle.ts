import type { RecordBatch } from 'apache-arrow';
import type { RandomSource } from '../random.js';
import { gatherRefs } from './reservoir-gather.js';
import { HeldBatches } from './reservoir-held-batches.js';
import { assertOwnBatch } from '../arrow/own-batch.js';

/**
 * A bounded-buffer shuffle of Arrow record batches, like tf.data's `shuffle(buffer_size)`: the engine.
 *
 * The first `bufferRows` rows fill a buffer. After that, each incoming row takes the place of a uniformly
 * drawn buffered row, which is emitted. At the end the buffer is emitted in uniformly random order
 * (Fisher-Yates). With `bufferRows >= rows in the input` the output is a uniform random permutation;
 * otherwise a row moves at most about `bufferRows` positions earlier, and adjacent copies of a row
 * (replicated over-sampling) end up about `bufferRows` rows apart.
 *
 * Column-wise: the buffer is a table of `(slot, row)` references into held input batches; output rows are
 * gathered with `takeRows` per batch. One draw per row after the buffer is full, in row order, plus
 * one per buffered row at the end, so the output rows do not depend on how the input is cut into batches.
 * Each push emits one batch with as many rows as it took once the buffer is full (so output batches follow
 * input batch sizes); the end emits the buffer in batches of the largest input batch size seen.
 *
 * Memory: `bufferRows` buffered rows; held input batches are compacted so that they total at most
 * `2 * bufferRows` rows (plus the batch being pushed), and O(bufferRows) index arrays.
 *
 * ## Example
 * ```ts
 * const shuffler = new ShuffleBuffer(10_000, seededRandom(42));
 * const out = [...batches.flatMap((b) => shuffler.push(b)), ...shuffler.finish()];
 * ```
 */
export class ShuffleBuffer {
  private readonly held = new HeldBatches();
  private readonly slot: Int32Array;
  private readonly row: Int32Array;
  private filled = 0;
  private outSlot = new Int32Array(0);
  private outRow = new Int32Array(0);
  private largestBatch = 1;

  /**
   * @param bufferRows rows held in the buffer (a positive integer, at most 2^31 - 1)
   * @param random the uniform [0, 1) source; consumed once per row after the buffer is full and once per
   *   buffered row at the end
   */
  constructor(
    private readonly bufferRows: number,
    private readonly random: RandomSource,
  ) {
    if (!Number.isInteger(bufferRows) || bufferRows < 1 || bufferRows > 0x7fffffff) {
      throw new RangeError(`arrow-balance: shuffle bufferRows must be an integer from 1 to 2147483647, got ${bufferRows}`);
    }
    this.slot = new Int32Array(bufferRows);
    this.row = new Int32Array(bufferRows);
  }

  /** Rows currently in the buffer. */
  get bufferedRows(): number {
    return this.filled;
  }

  /** Rows of the input batches the buffer still holds (at most `2 * bufferRows` between pushes). */
  get pinnedRows(): number {
    return this.held.pinnedRows;
  }

  /**
   * Takes one batch: its rows enter the buffer and evicted rows leave.
   * @param batch an input batch (every batch must share one schema)
   * @returns the evicted rows as one batch, or nothing while the buffer is still filling
   */
  push(batch: RecordBatch): RecordBatch[] {
    assertOwnBatch(batch, 'shuffle');
    const n = batch.numRows;
    if (n === 0) return [];
    if (n > this.largestBatch) this.largestBatch = n;
    if (this.outSlot.length < n) {
      this.outSlot = new Int32Array(n);
      this.outRow = new Int32Array(n);
    }
    const { held, slot, row, outSlot, outRow, random, bufferRows } = this;
    const current = held.add(batch);
    let r = 0;
    for (; r < n && this.filled < bufferRows; r++, this.filled++) {
      slot[this.filled] = current;
      row[this.filled] = r;
      held.retain(current);
    }
    let out = 0;
    for (; r < n; r++, out++) {
      const j = Math.floor(random() * bufferRows);
      const evicted = slot[j] as number;
      outSlot[out] = evicted;
      outRow[out] = row[j] as number;
      held.release(evicted);
      slot[j] = current;
      row[j] = r;
      held.retain(current);
    }
    const emitted = out > 0 ? [gatherRefs(held, outSlot, outRow, 0, out)] : [];
    held.sweep();
    if (held.needsCompaction(bufferRows)) held.compact([{ slot, row, length: this.filled }]);
    return emitted;
  }

  /**
   * Ends the input: emits the buffered rows in uniformly random order and empties the buffer.
   * @returns the buffered rows, in batches of at most the largest input batch size
   */
  finish(): RecordBatch[] {
    const { slot, row, random } = this;
    const n = this.filled;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const s = slot[i] as number;
      const r = row[i] as number;
      slot[i] = slot[j] as number;
      row[i] = row[j] as number;
      slot[j] = s;
      row[j] = r;
    }
    const out: RecordBatch[] = [];
    for (let start = 0; start < n; start += this.largestBatch) {
      out.push(gatherRefs(this.held, slot, row, start, Math.min(n, start + this.largestBatch)));
    }
    this.filled = 0;
    this.held.clear();
    return out;
  }
}
