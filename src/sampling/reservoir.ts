import type { RecordBatch } from 'apache-arrow';
import { ArrowBalanceError, ERROR_PREFIX } from '../errors.js';
import type { ReservoirEngineOptions, SampledBatch, SamplingEngine } from './engine.js';
import { ClassReservoir } from './reservoir-class.js';
import { HeldBatches } from './reservoir-held-batches.js';
import { flushReservoirs } from './reservoir-flush.js';
import type { ReservoirReport } from './reservoir-report.js';

export type { ReservoirClassReport, ReservoirReport } from './reservoir-report.js';

/** Default rows kept per class (`balance({ capacity })`). */
export const DEFAULT_CAPACITY = 100_000;
/** Most rows per output batch of a flush; fixed, so output batches do not depend on input batch sizes. */
export const RESERVOIR_BATCH_ROWS = 65_536;

/**
 * Reservoir sampling for `balance({ mode: 'reservoir' })`: counts unknown, one pass, bounded memory.
 *
 * Every row (dropped null labels excepted) draws a uniform key from `random`, in row order, so the result
 * does not depend on batch sizes. Each class keeps the `capacity` rows with the smallest keys (a bottom-k
 * reservoir pruned by periodic selection; see {@link ClassReservoir}). At the end (or of each `window` of
 * input rows) the counts seen resolve the target; each class emits its `k` smallest keys (under), or every held row `floor(T / n)` times
 * plus the `T mod n` smallest keys once more (over), all classes together in input order. This gives exactly
 * the counts exact mode gives. A class with more rows than `capacity` can supply at most `capacity` rows: its
 * target is capped, `warn` is told and {@link report} records it. Targets are only known at the end, so
 * every class is held, also classes the target leaves alone; nothing is emitted before the end of input
 * (or window). Importance weights are `n_c / emitted_c`.
 *
 * Memory: at most `capacity` rows per class, plus a pruning slack of `capacity` ({@link heldRows}), referenced
 * in held input batches that are compacted after each push so that they total at most
 * `4 * capacity * classes` rows ({@link pinnedRows}), twice what the reservoirs may hold; 16 bytes of key
 * and reference per held row. A flush also builds its output.
 *
 * ## Example
 * ```ts
 * const coder = new LabelCoder({ label: 'y' });
 * const sampler = new ReservoirSampler({ coder, strategy: 'under', target: 'auto', random: seededRandom(1),
 *   weights: false, warn: console.warn, capacity: 100_000, window: undefined });
 * for (const batch of batches) sampler.push(batch, coder.encode(batch));
 * const out = sampler.finish(); // each class cut to the minority count, rows in input order
 * ```
 */
export class ReservoirSampler implements SamplingEngine {
  private readonly held = new HeldBatches();
  private readonly reservoirs: ClassReservoir[] = [];
  /** Per class code: rows seen in this window, and the key a row must beat to enter the reservoir. */
  private seen = new Float64Array(0);
  private limit = new Float64Array(0);
  private readonly capacity: number;
  private readonly window: number;
  private windowRows = 0;
  private windowIndex = 0;
  private last: ReservoirReport | undefined;

  /** @param options the engine options; `capacity` >= 1 and `window` >= 1 (or undefined), both integers */
  constructor(private readonly options: ReservoirEngineOptions) {
    const { capacity, window } = options;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 0x3fffffff) {
      throw new RangeError(`${ERROR_PREFIX}option "capacity" is ${capacity}; give rows per class, an integer from 1 to 1073741823`);
    }
    if (window !== undefined && (!Number.isSafeInteger(window) || window < 1)) {
      throw new RangeError(`${ERROR_PREFIX}option "window" is ${window}; give a positive integer number of input rows`);
    }
    this.capacity = capacity;
    this.window = window ?? Infinity;
  }

  /** Rows held in the reservoirs now: at most `2 * capacity` x classes (see {@link ClassReservoir}). */
  get heldRows(): number {
    return this.held.liveRows;
  }

  /** Rows of the input batches kept alive by the held rows (at most `4 * capacity * classes` after each push). */
  get pinnedRows(): number {
    return this.held.pinnedRows;
  }

  /** What the last flush did (per class: seen, held, target, emitted, capped), or undefined before one. */
  get report(): ReservoirReport | undefined {
    return this.last;
  }

  /**
   * Offers a batch's rows to the reservoirs; emits only when a window ends inside the batch.
   * @param batch the input batch
   * @param codes its class codes (`-1` = dropped null)
   * @returns the samples of the windows completed by this batch (none without `window`)
   */
  push(batch: RecordBatch, codes: Int32Array): SampledBatch[] {
    const out: SampledBatch[] = [];
    const n = batch.numRows;
    for (let start = 0; start < n; ) {
      const end = Math.min(n, start + (this.window - this.windowRows));
      this.offer(batch, codes, start, end);
      this.windowRows += end - start;
      start = end;
      if (this.windowRows === this.window) for (const part of this.flush()) out.push(part);
    }
    this.bound();
    return out;
  }

  /**
   * Merges the reservoirs of another sampler (e.g. one that read another shard) into this one, exactly: per
   * class the union keeps the `capacity` smallest keys, counts seen add up, and `other`'s rows count as
   * input after ours (for output order). `other` is emptied. Both samplers must share one `LabelCoder` (so
   * class codes agree), have the same capacity, no `window`, and draw keys from independent random
   * sources (different seeds), or the union is not a uniform sample.
   * @param other the sampler to merge in
   * @throws ArrowBalanceError when the samplers cannot be merged (names the reason)
   */
  merge(other: ReservoirSampler): void {
    const why =
      other === this ? 'a sampler cannot merge with itself'
      : other.options.coder !== this.options.coder ? 'the samplers use different label coders; build both with one LabelCoder'
      : other.capacity !== this.capacity ? `the capacities differ (${this.capacity} and ${other.capacity}); give both the same "capacity"`
      : this.window !== Infinity || other.window !== Infinity ? 'windowed samplers emit as they go; merge samplers without "window"'
      : undefined;
    if (why !== undefined) throw new ArrowBalanceError(`cannot merge reservoirs: ${why}`);
    const slotMap = this.held.adopt(other.held);
    other.reservoirs.forEach((res, code) => {
      if (code >= this.reservoirs.length) this.open(code);
      const mine = this.reservoirs[code] as ClassReservoir;
      mine.absorb(res, slotMap, this.held);
      this.seen[code] = (this.seen[code] as number) + (other.seen[code] as number);
      this.limit[code] = mine.threshold;
      res.clear();
    });
    this.windowRows += other.windowRows;
    other.seen.fill(0);
    other.limit.fill(Infinity);
    other.windowRows = 0;
    this.bound();
  }

  /**
   * Ends the input: resolves the target from the counts seen and emits each class's sample in input order.
   * @returns the sample (of the last, partial window with `window`); nothing for an input without rows
   * @throws ArrowBalanceError when the target does not fit the counts seen (e.g. only one class)
   */
  finish(): SampledBatch[] {
    return this.windowRows > 0 ? this.flush() : [];
  }

  /**
   * The hot loop: one key per row, compared with its class's threshold (the k-th smallest key once the
   * reservoir is full). Branch-free: every row is written after its class's entries and kept only when its
   * key is below the threshold (see {@link ClassReservoir.place}), since the comparison is a coin flip the
   * branch predictor would often miss. Entries name the slot the batch will get; it is added before the
   * first pruning or at the end, and only when a row is kept, and its kept rows are counted live once.
   */
  private offer(batch: RecordBatch, codes: Int32Array, start: number, end: number): void {
    const { held, reservoirs } = this;
    const random = this.options.random;
    let { seen, limit } = this;
    let classes = reservoirs.length;
    const slot = held.slotCount;
    let added = false;
    let kept = 0;
    for (let i = start; i < end; i++) {
      const c = codes[i] as number;
      if (c < 0) continue;
      if (c >= classes) {
        this.open(c);
        ({ seen, limit } = this);
        classes = reservoirs.length;
      }
      const key = random();
      seen[c] = (seen[c] as number) + 1;
      const keep = +(key < (limit[c] as number));
      kept += keep;
      const res = reservoirs[c] as ClassReservoir;
      if (res.place(key, slot, i, keep)) {
        if (!added) {
          held.add(batch); // gets `slot`: slots are handed out in order
          added = true;
        }
        res.prune(held);
        limit[c] = res.threshold;
      }
    }
    if (kept === 0) return;
    if (!added) held.add(batch);
    held.retain(slot, kept);
  }

  /**
   * Keeps the held batches within twice the rows the reservoirs may hold (`2 * capacity` per class with the
   * pruning slack), `4 * capacity * classes` rows: drops batches without live rows, and when they still pin
   * more (or are too many, see `HeldBatches.needsCompaction`), prunes every reservoir to its capacity
   * (pruning early does not change the result) so that only rows that can still be sampled, at most
   * `capacity * classes`, are copied by the compaction that follows. A compaction leaves at most
   * `capacity * classes` rows pinned in at most 64 batches, so the next comes only after three times as
   * many new pinned rows (or ~192 new batches): each input row is read by at most ~1.3 compactions and
   * copied by 1/3 on average, where a bound of `2 * capacity * classes` would read it twice and copy it once.
   */
  private bound(): void {
    const { held, reservoirs, limit } = this;
    held.sweep();
    if (!held.needsCompaction(2 * this.capacity * reservoirs.length)) return;
    reservoirs.forEach((res, code) => {
      res.prune(held);
      limit[code] = res.threshold;
    });
    held.sweep();
    held.compact(reservoirs);
  }

  /** Adds reservoirs (and per-code counters) for every class code up to `code`. */
  private open(code: number): void {
    while (this.reservoirs.length <= code) this.reservoirs.push(new ClassReservoir(this.capacity));
    if (this.seen.length <= code) {
      const size = Math.max(8, code + 1, this.seen.length * 2);
      const seen = new Float64Array(size);
      const limit = new Float64Array(size).fill(Infinity);
      seen.set(this.seen);
      limit.set(this.limit);
      this.seen = seen;
      this.limit = limit;
    }
  }

  /** Resolves the targets of the rows seen since the last flush, emits the sample and starts afresh. */
  private flush(): SampledBatch[] {
    const { coder, strategy, target, weights, warn } = this.options;
    const window = this.window === Infinity ? undefined : { index: this.windowIndex, firstRow: this.windowIndex * this.window };
    const { reservoirs, seen, held, windowRows: rows } = this;
    const batchRows = RESERVOIR_BATCH_ROWS;
    const { out, report } = flushReservoirs({ reservoirs, seen, held, coder, strategy, target, weights, batchRows, rows, window });
    this.last = report;
    for (const res of this.reservoirs) res.clear();
    this.seen.fill(0);
    this.limit.fill(Infinity);
    this.held.clear();
    this.windowRows = 0;
    this.windowIndex++;
    for (const message of report.warnings) warn(message);
    return out;
  }
}
