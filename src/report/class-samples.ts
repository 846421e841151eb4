/**
 * The report's samples: for each class, up to `size` rows of one side (input or output), the ones with the
 * lowest priorities (see `row-priority.ts`), and their values in the report's columns. A bottom-k sample is a
 * uniform sample without replacement, and it merges exactly: the rows a job keeps are the same whether one
 * pipeline saw every row or workers each saw some, and whether a row's columns were recorded together or by
 * column slices apart. Memory: about 2 x size rows per class.
 */

/** A sampled row: its position on its side, its priority, and the values recorded so far (null: a null value). */
export interface SampledRow {
  readonly row: number;
  readonly priority: number;
  readonly values: Record<string, number | null>;
}

/** Samples of one side as plain data (to cross threads): rows by class key, and rows seen per class. */
export interface ClassSamplesData {
  readonly size: number;
  readonly classes: ReadonlyArray<readonly [key: string, seen: number, rows: readonly SampledRow[]]>;
}

interface ClassRows {
  seen: number;
  rows: Map<number, SampledRow>;
  /** The last row kept by the latest trim (the size-th lowest): rows after it in (priority, row) order are not kept. */
  cutoff: { readonly priority: number; readonly row: number } | undefined;
}

/** Bottom-k samples of one side, by class. */
export class ClassSamples {
  private readonly classes = new Map<string, ClassRows>();

  /** @param size rows kept per class */
  constructor(readonly size: number) {}

  /** Counts a row of a class seen (sampled or not). */
  see(key: string, rows = 1): void {
    this.classOf(key).seen += rows;
  }

  /**
   * The priority above which a row of a class cannot join the sample any more (2 while the sample is not full),
   * so that only rows at or below it need their values read.
   */
  cutoff(key: string): number {
    return this.classes.get(key)?.cutoff?.priority ?? 2;
  }

  /**
   * Records a row's value in one column (the row joins the sample if it is not in it yet).
   * @param key the row's class
   * @param row its position on its side
   * @param priority its priority
   * @param column the column
   * @param value its value (null for a null)
   */
  record(key: string, row: number, priority: number, column: string, value: number | null): void {
    const rows = this.classOf(key);
    let sampled = rows.rows.get(row);
    if (sampled === undefined) {
      if (after(priority, row, rows.cutoff)) return;
      sampled = { row, priority, values: {} };
      rows.rows.set(row, sampled);
    }
    sampled.values[column] = value;
    if (rows.rows.size >= 2 * this.size) trim(rows, this.size);
  }

  /**
   * Adds another sample of the same side: a row recorded in both gets both's columns.
   * @param other the sample
   * @param countSeen whether to add its rows seen (not when several samples saw the same rows: column slices)
   */
  merge(other: ClassSamplesData, countSeen = true): void {
    for (const [key, seen, rows] of other.classes) {
      this.see(key, countSeen ? seen : 0);
      const sample = this.classOf(key);
      for (const { row, priority, values } of rows) {
        const held = sample.rows.get(row);
        if (held !== undefined) Object.assign(held.values, values);
        else if (!after(priority, row, sample.cutoff)) sample.rows.set(row, { row, priority, values: { ...values } });
      }
      if (sample.rows.size >= 2 * this.size) trim(sample, this.size);
    }
  }

  /** The sample as plain data, trimmed to `size` rows per class. */
  toData(): ClassSamplesData {
    const classes = [...this.classes].map(([key, rows]): [string, number, SampledRow[]] => {
      trim(rows, this.size);
      return [key, rows.seen, [...rows.rows.values()]];
    });
    return { size: this.size, classes };
  }

  /** Rows seen per class. */
  seen(key: string): number {
    return this.classes.get(key)?.seen ?? 0;
  }

  /**
   * A class's sampled values in one column, sorted ascending (nulls left out), and how many rows were sampled.
   * @param key the class
   * @param column the column
   */
  values(key: string, column: string): { readonly values: Float64Array; readonly rows: number; readonly nulls: number } {
    const rows = this.classes.get(key);
    if (rows === undefined) return { values: new Float64Array(0), rows: 0, nulls: 0 };
    trim(rows, this.size);
    const values: number[] = [];
    let nulls = 0;
    for (const { values: recorded } of rows.rows.values()) {
      const value = recorded[column];
      if (value === null || value === undefined || Number.isNaN(value)) nulls++;
      else values.push(value);
    }
    return { values: Float64Array.from(values).sort(), rows: rows.rows.size, nulls };
  }

  /** The classes seen, in the order they were first seen. */
  keys(): string[] {
    return [...this.classes.keys()];
  }

  private classOf(key: string): ClassRows {
    let rows = this.classes.get(key);
    if (rows === undefined) {
      rows = { seen: 0, rows: new Map(), cutoff: undefined };
      this.classes.set(key, rows);
    }
    return rows;
  }
}

/** Whether a row comes after the cutoff in (priority, row) order, so it cannot join the sample. */
function after(priority: number, row: number, cutoff: ClassRows['cutoff']): boolean {
  return cutoff !== undefined && (priority > cutoff.priority || (priority === cutoff.priority && row > cutoff.row));
}

/** Keeps the `size` rows first in (priority, row) order, and remembers the last of them. */
function trim(rows: ClassRows, size: number): void {
  if (rows.rows.size <= size) return;
  const kept = [...rows.rows.values()].sort((a, b) => a.priority - b.priority || a.row - b.row).slice(0, size);
  rows.rows = new Map(kept.map((sampled) => [sampled.row, sampled]));
  const last = kept[kept.length - 1] as SampledRow;
  rows.cutoff = { priority: last.priority, row: last.row };
}
