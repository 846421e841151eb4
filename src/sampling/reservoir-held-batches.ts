import type { RecordBatch } from 'apache-arrow';
import { concatBatches } from '../arrow/concat.js';
import { takeRows } from '../arrow/take.js';

/** A table of references to held rows: entry `j < length` is row `row[j]` of held batch `slot[j]`. */
export interface RowRefs {
  readonly slot: Int32Array;
  readonly row: Int32Array;
  readonly length: number;
}

/** Fewest slots that never trigger a compaction on their own (see {@link HeldBatches.needsCompaction}). */
const MIN_SLOTS = 256;
/** Most batches a compaction leaves; more are concatenated into one (see {@link HeldBatches.compact}). */
const MAX_PIECES = 64;

/**
 * The input batches a buffering sampler still references, with a live-row count per batch.
 *
 * Samplers (reservoir, shuffle) keep rows as `(slot, row)` references into whole input batches instead of
 * copying them. A batch is dropped by {@link sweep} once no live row references it; {@link compact} copies
 * the live rows of held batches with dead rows into batches of their own (in slot, then row order, so input
 * order is kept) and rewrites the references, so that a few kept rows do not pin whole input batches.
 *
 * Memory bound: after `sweep()` + `compact()` whenever {@link needsCompaction}`(budget)` says so, the held
 * batches total at most `2 * max(budget, liveRows)` rows (plus the rows of the batch being pushed) in at
 * most `256 + liveRows / 64` batch objects. A compaction copies each live row once (a take per batch with
 * dead rows; twice when more than 64 pieces are then concatenated into one) and leaves only the live rows
 * pinned in at most 64 batches, so at least `max(budget, liveRows)` new pinned rows (or ~`192 + liveRows / 64`
 * new batches) arrive before the next: O(1) row copies per input row (at most 2).
 */
export class HeldBatches {
  private batches: (RecordBatch | null)[] = [];
  private live = new Int32Array(16);
  private pinned = 0;
  private liveCount = 0;

  /** Rows of all batches still held (live or not): the memory the references pin. */
  get pinnedRows(): number {
    return this.pinned;
  }

  /** Rows currently referenced (retained and not released). */
  get liveRows(): number {
    return this.liveCount;
  }

  /** Number of slots handed out since the last compaction or clear (released slots included). */
  get slotCount(): number {
    return this.batches.length;
  }

  /**
   * The held batch in a slot.
   * @param slot a slot returned by {@link add} that still has live rows
   * @returns the batch
   */
  batch(slot: number): RecordBatch {
    const batch = this.batches[slot];
    if (batch === undefined || batch === null) throw new RangeError(`arrow-balance: held batch slot ${slot} was released`);
    return batch;
  }

  /**
   * Rows of the batch in a slot, 0 once it was released.
   * @param slot a slot returned by {@link add}
   * @returns its row count
   */
  rowsIn(slot: number): number {
    return this.batches[slot]?.numRows ?? 0;
  }

  /**
   * Holds a batch; its rows count as pinned until {@link sweep} finds it without live rows.
   * @param batch the input batch
   * @returns its slot
   */
  add(batch: RecordBatch): number {
    const slot = this.batches.length;
    if (slot === this.live.length) {
      const grown = new Int32Array(slot * 2);
      grown.set(this.live);
      this.live = grown;
    }
    this.live[slot] = 0;
    this.batches.push(batch);
    this.pinned += batch.numRows;
    return slot;
  }

  /**
   * Counts more live rows in a slot.
   * @param slot the slot
   * @param rows how many (default 1)
   */
  retain(slot: number, rows = 1): void {
    this.live[slot] = (this.live[slot] as number) + rows;
    this.liveCount += rows;
  }

  /**
   * Counts live rows less in a slot; the batch stays readable until the next {@link sweep}.
   * @param slot the slot
   * @param rows how many (default 1)
   */
  release(slot: number, rows = 1): void {
    this.live[slot] = (this.live[slot] as number) - rows;
    this.liveCount -= rows;
  }

  /** Drops every held batch that has no live row left. */
  sweep(): void {
    const { batches, live } = this;
    for (let s = 0; s < batches.length; s++) {
      const batch = batches[s];
      if (batch !== null && batch !== undefined && live[s] === 0) {
        this.pinned -= batch.numRows;
        batches[s] = null;
      }
    }
  }

  /**
   * Whether to {@link compact}: the held batches pin more than `2 * max(budget, liveRows)` rows, or there are
   * more than `256 + liveRows / 64` slots (many tiny batches).
   * @param budget the most rows the caller can hold live (reservoir: capacity x classes; shuffle: bufferRows)
   * @returns true when a compaction is due
   */
  needsCompaction(budget: number): boolean {
    const live = this.liveCount;
    return this.pinned > 2 * Math.max(budget, live) || this.batches.length > MIN_SLOTS + (live >>> 6);
  }

  /**
   * Gathers the live rows, in (slot, row) order, and rewrites every reference to them: each held batch with
   * dead rows becomes a batch of its live rows (one take; a batch whose rows are all live is kept as it is),
   * and these stay separate slots unless there are more than {@link MAX_PIECES}, which are concatenated
   * into one batch. Slots without live rows are dropped. Each live `(slot, row)` must appear exactly once
   * across `refs`.
   * @param refs every reference table that points into these batches; rewritten in place
   */
  compact(refs: readonly RowRefs[]): void {
    const { batches, live } = this;
    const base = new Int32Array(batches.length + 1);
    for (let s = 0; s < batches.length; s++) base[s + 1] = (base[s] as number) + (batches[s]?.numRows ?? 0);
    const map = new Int32Array(base[batches.length] as number).fill(-1);
    for (const ref of refs) {
      for (let j = 0; j < ref.length; j++) map[(base[ref.slot[j] as number] as number) + (ref.row[j] as number)] = 0;
    }
    const pieces: RecordBatch[] = [];
    const pieceOf = new Int32Array(batches.length);
    const pieceStart: number[] = [];
    let next = 0;
    for (let s = 0; s < batches.length; s++) {
      const batch = batches[s];
      if (batch === null || batch === undefined || live[s] === 0) continue;
      const from = base[s] as number;
      const indices = new Int32Array(live[s] as number);
      let k = 0;
      pieceOf[s] = pieces.length;
      pieceStart.push(next);
      for (let r = 0, rows = batch.numRows; r < rows; r++) {
        if (map[from + r] === 0) {
          indices[k++] = r;
          map[from + r] = next++;
        }
      }
      pieces.push(k === batch.numRows ? batch : takeRows(batch, indices.subarray(0, k)));
    }
    const merge = pieces.length > MAX_PIECES;
    for (const ref of refs) {
      const { slot, row } = ref;
      for (let j = 0; j < ref.length; j++) {
        const s = slot[j] as number;
        const at = map[(base[s] as number) + (row[j] as number)] as number;
        const piece = merge ? 0 : (pieceOf[s] as number);
        slot[j] = piece;
        row[j] = at - (merge ? 0 : (pieceStart[piece] as number));
      }
    }
    this.batches = merge ? [concatBatches(pieces)] : pieces;
    live.fill(0);
    if (merge) live[0] = next;
    else pieces.forEach((piece, p) => (live[p] = piece.numRows));
    this.pinned = next;
    this.liveCount = next;
  }

  /**
   * Takes over the batches of another registry that still have live rows, as new slots after ours (so
   * their rows count as later input), and empties `other`.
   * @param other the registry to take batches from
   * @returns the new slot of each of `other`'s slots (-1 where it had no live row)
   */
  adopt(other: HeldBatches): Int32Array {
    const map = new Int32Array(other.batches.length).fill(-1);
    other.batches.forEach((batch, s) => {
      const live = other.live[s] as number;
      if (batch === null || live === 0) return;
      const slot = this.add(batch);
      map[s] = slot;
      this.live[slot] = live;
      this.liveCount += live;
    });
    other.clear();
    return map;
  }

  /** Forgets every batch and reference count. */
  clear(): void {
    this.batches = [];
    this.live.fill(0);
    this.pinned = 0;
    this.liveCount = 0;
  }
}
