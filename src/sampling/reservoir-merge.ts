import type { ClassReservoir } from './reservoir-class.js';

/** One class's part of the output: its reservoir and how many times each entry is emitted. */
export interface EntryRepeats {
  readonly res: ClassReservoir;
  /** Times each entry is emitted (`res.length` counts). */
  readonly repeats: Int32Array;
}

/** The merged output references: row `j` is row `row[j]` of held batch `slot[j]` and came from class `from[j]`. */
export interface MergedRefs {
  readonly slot: Int32Array;
  readonly row: Int32Array;
  /** Index into the `parts` given to {@link mergeInInputOrder}. */
  readonly from: Int32Array;
}

/** Rows per slot in the position key `slot * ROW_SPAN + row` (held batches have fewer than 2^31 rows). */
const ROW_SPAN = 2 ** 31;

/**
 * Merges the emitted entries of several class reservoirs into input order, each entry repeated as often as
 * its count says (copies side by side).
 *
 * Every reservoir keeps its entries in input order (`(slot, row)` ascending: slots are handed out in input
 * order and compaction keeps the order), and no row is in two reservoirs, so a k-way merge of the entries
 * with a non-zero count, by a binary heap over the classes' next entries, yields the input order.
 * Cost O(entries + output rows + emitted entries x log(classes)), independent of how many rows the held
 * batches pin. Memory: O(output rows) references plus O(classes).
 *
 * ## Example
 * ```ts
 * const { slot, row, from } = mergeInInputOrder([{ res: a, repeats: entryRepeats(a, 10) }, { res: b, repeats: entryRepeats(b, 10) }]);
 * ```
 * @param parts one reservoir and repeat counts per class
 * @returns the references, `sum of repeats` of them
 */
export function mergeInInputOrder(parts: readonly EntryRepeats[]): MergedRefs {
  let total = 0;
  for (const { res, repeats } of parts) for (let e = 0; e < res.length; e++) total += repeats[e] as number;
  const slot = new Int32Array(total);
  const row = new Int32Array(total);
  const from = new Int32Array(total);
  const next = new Int32Array(parts.length);
  const heap = new Int32Array(parts.length);
  const keyOf = new Float64Array(parts.length);
  let size = 0;
  const advance = (p: number): boolean => {
    const { res, repeats } = parts[p] as EntryRepeats;
    let e = next[p] as number;
    while (e < res.length && repeats[e] === 0) e++;
    next[p] = e;
    if (e === res.length) return false;
    keyOf[p] = (res.slot[e] as number) * ROW_SPAN + (res.row[e] as number);
    return true;
  };
  const siftDown = (at: number): void => {
    const p = heap[at] as number;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && (keyOf[heap[child + 1] as number] as number) < (keyOf[heap[child] as number] as number)) child++;
      if ((keyOf[heap[child] as number] as number) >= (keyOf[p] as number)) break;
      heap[at] = heap[child] as number;
      at = child;
    }
    heap[at] = p;
  };
  for (let p = 0; p < parts.length; p++) if (advance(p)) heap[size++] = p;
  for (let at = (size >> 1) - 1; at >= 0; at--) siftDown(at);
  let o = 0;
  while (size > 0) {
    const p = heap[0] as number;
    const { res, repeats } = parts[p] as EntryRepeats;
    const e = next[p] as number;
    const s = res.slot[e] as number;
    const r = res.row[e] as number;
    for (let k = repeats[e] as number; k > 0; k--, o++) {
      slot[o] = s;
      row[o] = r;
      from[o] = p;
    }
    next[p] = e + 1;
    if (!advance(p)) heap[0] = heap[--size] as number;
    siftDown(0);
  }
  return { slot, row, from };
}
