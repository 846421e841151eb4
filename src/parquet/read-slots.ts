import type { ReadRef } from './read-plan.js';
import type { OpenedFile } from './wasm/worker-protocol.js';

/** Slots of shared memory lent to the workers for transient reads, reused once their batches are dead. */
export class SlotPool {
  private readonly free: SharedArrayBuffer[] = [];

  /** @param bytes the size of every slot */
  constructor(private readonly bytes: number) {}

  /** A slot nobody uses: a free one, or a new one. */
  take(): SharedArrayBuffer {
    return this.free.pop() ?? new SharedArrayBuffer(this.bytes);
  }

  /** Takes back a slot whose batches are dead. */
  give(slot: SharedArrayBuffer): void {
    this.free.push(slot);
  }
}

/** Margin over the estimate, and bounds, of a slot's size (see {@link slotBytes}). */
const SLOT_MARGIN = 1.25;
const SLOT_MIN_BYTES = 1 << 20;
const SLOT_MAX_BYTES = 128 << 20;

/**
 * The size of a reader's slots: the largest read request's estimated decoded bytes, with a margin, within
 * 1 MB .. 128 MB. The estimate can fall short (dictionary-encoded strings decode far larger): a batch that
 * does not fit is sent in a buffer of its own.
 * @param plan the reader's read requests
 * @param described what the workers said of each input (estimated decoded bytes per row group)
 */
export function slotBytes(plan: readonly ReadRef[], described: readonly OpenedFile[]): number {
  const bytesOf = (ref: ReadRef): number => {
    const whole = ref.rowGroups.reduce((sum, group) => sum + (described[ref.file]?.rowGroupBytes[group] ?? 0), 0);
    if (ref.rows === undefined) return whole;
    // A window holds its share of the row group's bytes.
    const rows = described[ref.file]?.rowGroupRows[ref.rowGroups[0] ?? 0] ?? 1;
    return Math.ceil((whole * (ref.rows[1] - ref.rows[0])) / Math.max(1, rows));
  };
  const largest = plan.reduce((most, ref) => Math.max(most, bytesOf(ref)), 0);
  return Math.min(SLOT_MAX_BYTES, Math.max(SLOT_MIN_BYTES, Math.ceil((largest * SLOT_MARGIN) / 8) * 8));
}
