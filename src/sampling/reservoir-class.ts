import { rankCut } from './reservoir-select.js';

/**
 * First allocation of a class reservoir's arrays; they double up to `2 * capacity`. Small, since a label may
 * have many classes of a few rows: 1,024 entries (16 KiB) a class took 6.2 GB for 300,000 one-row classes.
 */
const INITIAL_ENTRIES = 8;

/** What pruning needs from the held batches: to be told that an entry's row is no longer referenced. */
export interface SlotReleaser {
  /** Counts `rows` (default 1) referenced rows of `slot` as released. */
  release(slot: number, rows?: number): void;
}

/**
 * The bottom-k reservoir of one class: keeps the `capacity` rows with the smallest uniform keys.
 *
 * Threshold plus periodic selection: a row is appended when its key is below {@link threshold} (the k-th
 * smallest key at the last pruning; +Infinity before). When `2 * capacity` entries are held (a slack of
 * `capacity`) the reservoir prunes: {@link rankCut} finds the k-th smallest key and the entries above it are
 * dropped, in place. So a rejected row costs one comparison, an accepted one an append, and each pruning
 * O(capacity) for `capacity` accepted rows: O(1) per accepted row, sequential memory access (about 4x faster
 * here than a binary max-heap, whose sift-downs over 100,000 entries miss the cache). A slack of `capacity`
 * prunes far less often than one of `capacity / 4` (900,000 rows into capacity 100,000: 3 prunings instead
 * of 10, half the entries scanned) for about 15 % more accepted rows. Pruning at any other time (see
 * {@link prune}) keeps the same rows in the end, so callers may prune early to free rows.
 * Entries stay in input order, and equal keys keep the earlier row (a key equal to the threshold is
 * rejected; at the cut the earliest tied entries stay), so results do not depend on batch boundaries.
 * Memory: at most `2 * capacity` entries of 16 bytes; a pruning briefly adds under a byte per entry of
 * selection scratch (8 bytes below 4,096 entries).
 */
export class ClassReservoir {
  /** Key of each entry. */
  keys: Float64Array;
  /** Held-batch slot of each entry. */
  slot: Int32Array;
  /** Row (within its slot's batch) of each entry. */
  row: Int32Array;
  /** Entries held (at most `2 * capacity`; at most `capacity` right after {@link prune}). */
  length = 0;
  /** Keys must be below this to be kept: +Infinity until the first pruning, then the k-th smallest key. */
  threshold = Infinity;
  /** Entries held at most before a pruning. */
  readonly limit: number;

  /** @param capacity rows kept per class after pruning (a positive integer) */
  constructor(readonly capacity: number) {
    this.limit = 2 * capacity;
    const size = Math.min(this.limit, INITIAL_ENTRIES);
    this.keys = new Float64Array(size);
    this.slot = new Int32Array(size);
    this.row = new Int32Array(size);
  }

  /**
   * Appends a row whose key is below {@link threshold}; prunes when `2 * capacity` entries are held.
   * @param key the row's key
   * @param slot its held-batch slot
   * @param row its row in that batch
   * @param held told about every entry a pruning drops
   */
  insert(key: number, slot: number, row: number, held: SlotReleaser): void {
    if (this.length === this.keys.length) this.grow();
    const at = this.length++;
    this.keys[at] = key;
    this.slot[at] = slot;
    this.row[at] = row;
    if (this.length === this.limit) this.prune(held);
  }

  /**
   * Writes a row after the entries and keeps it only when `keep` is 1, without branching on `keep`; the
   * caller compares the key with {@link threshold}.
   * @param key the row's key
   * @param slot its held-batch slot
   * @param row its row in that batch
   * @param keep 1 to keep the row, 0 to leave it out
   * @returns true when `2 * capacity` entries are now held: call {@link prune} before the next row
   */
  place(key: number, slot: number, row: number, keep: number): boolean {
    const at = this.length;
    if (at === this.keys.length) this.grow();
    this.keys[at] = key;
    this.slot[at] = slot;
    this.row[at] = row;
    this.length = at + keep;
    return this.length === this.limit;
  }

  /**
   * Keeps only the `capacity` entries with the smallest keys (in input order) and lowers the threshold.
   * Whenever it runs, the rows kept at the end are the same: the `capacity` smallest keys of the class,
   * earliest first among equal keys (a pruning keeps a superset of them, and the lower threshold rejects
   * only rows that cannot be among them).
   * @param held told about every entry dropped
   */
  prune(held: SlotReleaser): void {
    const { keys, slot, row, capacity } = this;
    const n = this.length;
    if (n <= capacity) return;
    const { cut, below } = rankCut(keys.subarray(0, n), capacity - 1);
    let ties = capacity - below;
    // Branch-free: every entry is copied down and `kept` advances only for a kept one (whether a key is
    // below the cut is a coin flip the branch predictor would miss half the time). Entries of one slot are
    // adjacent (input order), so drops are released once per run of a slot.
    let kept = 0;
    let run = slot[0] as number;
    let dropped = 0;
    for (let e = 0; e < n; e++) {
      const key = keys[e] as number;
      const s = slot[e] as number;
      if (s !== run) {
        if (dropped > 0) held.release(run, dropped);
        run = s;
        dropped = 0;
      }
      keys[kept] = key;
      slot[kept] = s;
      row[kept] = row[e] as number;
      let keep = +(key < cut);
      if (key === cut && ties > 0) {
        keep = 1;
        ties--;
      }
      kept += keep;
      dropped += 1 - keep;
    }
    if (dropped > 0) held.release(run, dropped);
    this.length = kept;
    this.threshold = cut;
  }


  /**
   * Merges another reservoir of the same class and capacity into this one, exactly: the union keeps the
   * `capacity` smallest keys. Entries of `other` follow ours (later input); those at or above our threshold
   * are dropped at once, the rest are inserted (pruning as needed), and the threshold becomes the smaller
   * of the two (a pruned reservoir holds `capacity` keys below its threshold, so no row at or above it can
   * be among the smallest of the union).
   * @param other the reservoir to take entries from (left unchanged)
   * @param slotMap our slot for each of `other`'s slots (see `HeldBatches.adopt`)
   * @param held told about every entry dropped
   */
  absorb(other: ClassReservoir, slotMap: Int32Array, held: SlotReleaser): void {
    for (let e = 0; e < other.length; e++) {
      const key = other.keys[e] as number;
      const slot = slotMap[other.slot[e] as number] as number;
      if (key < this.threshold) this.insert(key, slot, other.row[e] as number, held);
      else held.release(slot);
    }
    if (other.threshold < this.threshold) this.threshold = other.threshold;
  }

  /** Forgets every entry and the threshold (keeps the arrays for reuse). */
  clear(): void {
    this.length = 0;
    this.threshold = Infinity;
  }

  private grow(): void {
    const size = Math.min(this.limit, this.keys.length * 2);
    const keys = new Float64Array(size);
    const slot = new Int32Array(size);
    const row = new Int32Array(size);
    keys.set(this.keys);
    slot.set(this.slot);
    row.set(this.row);
    this.keys = keys;
    this.slot = slot;
    this.row = row;
  }
}
