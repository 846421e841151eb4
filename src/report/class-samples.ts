/**
 * The report's samples: for each class, up to `size` rows of one side (input or output), the ones with the
 * lowest priorities (see `row-priority.ts`), and their values in the report's columns. A bottom-k sample is a
 * uniform sample without replacement, and it merges exactly: the rows a job keeps are the same whether one
 * pipeline saw every row or workers each saw some, and whether a row's columns were recorded together or by
 * column slices apart. Memory: about 2 x size rows per class.
 *
 * Rows are held column by column in typed arrays (a null is NaN, which the checks count as a null too): a job
 * samples hundreds of thousands of values, and one object per row made the report cost a quarter of the job.
 */

/**
 * One class's sample as typed arrays (cheap to copy between threads): its rows, and
 * per column (in the order of {@link ClassSamplesData.columns}) their values and whether each was recorded.
 */
export interface ClassSampleData {
  readonly key: string;
  /** The class's rows seen. */
  readonly seen: number;
  /** The sampled rows' positions on their side. */
  readonly rows: Float64Array;
  readonly priorities: Float64Array;
  /** Per column: the rows' values (NaN for a null). */
  readonly values: readonly Float64Array[];
  /** Per column: 1 where a row's value was recorded (column slices record some columns each). */
  readonly recorded: readonly Uint8Array[];
}

/** Samples of one side as plain data (to cross threads): the columns and the classes. */
export interface ClassSamplesData {
  readonly size: number;
  readonly columns: readonly string[];
  readonly classes: readonly ClassSampleData[];
}

/**
 * The cutoff priority of a class whose sample is not full: above every priority (they are below 1). Not an
 * integer, so that the field holding it is a double from the start (a field that changes representation sends
 * the compiled code that reads it back to the interpreter).
 */
const NO_CUTOFF = 1.5;

/** Records values of a class's admitted rows (see {@link ClassSamples.admit}). */
export interface SampleWriter {
  /** Records a value (NaN for a null) of the row in `slot`, in the column at `column` ({@link ClassSamples.columnOf}). */
  write(slot: number, column: number, value: number): void;
}

/** One class's rows, in slots 0 to `count - 1`. */
class ClassRows implements SampleWriter {
  seen = 0;
  count = 0;
  rows: Float64Array = new Float64Array(64);
  priorities: Float64Array = new Float64Array(64);
  /** Per column position: values and whether recorded, slot by slot. */
  values: Float64Array[] = emptyListOf(new Float64Array(0));
  recorded: Uint8Array[] = emptyListOf(new Uint8Array(0));
  /**
   * Each row's slot, to join a row's columns recorded apart: filled when first needed, emptied by a trim. (The
   * fields keep one type from the start: a field that changes type sends the compiled code that uses it back
   * to the interpreter.)
   */
  private readonly slots = new Map<number, number>();
  private slotsFilled = false;
  /** The last row kept by the latest trim (the size-th lowest): rows after it in (priority, row) order are not kept. */
  cutoffPriority = NO_CUTOFF;
  cutoffRow = 0;

  /** Whether a row comes after the cutoff in (priority, row) order, so it cannot join the sample. */
  after(priority: number, row: number): boolean {
    return priority > this.cutoffPriority || (priority === this.cutoffPriority && row > this.cutoffRow);
  }

  /**
   * A new slot for a row, its values not recorded (slots from `count` on have no recorded flags set: trims
   * clear those they free).
   */
  add(row: number, priority: number): number {
    if (this.count === this.rows.length) this.grow(2 * this.rows.length);
    const slot = this.count;
    this.count = slot + 1;
    this.rows[slot] = row;
    this.priorities[slot] = priority;
    if (this.slotsFilled) this.slots.set(row, slot);
    return slot;
  }

  /** The slot holding a row, if any. */
  slotOf(row: number): number | undefined {
    if (!this.slotsFilled) {
      for (let slot = 0; slot < this.count; slot++) this.slots.set(this.rows[slot] as number, slot);
      this.slotsFilled = true;
    }
    return this.slots.get(row);
  }

  /**
   * Appends rows that are not held yet, with their values in some columns (bulk copies).
   * @param data the rows, priorities, and values and recorded flags by column
   * @param positions each data column's position here
   */
  append(data: ClassSampleData, positions: readonly number[]): void {
    const from = this.count;
    const count = data.rows.length;
    if (from + count > this.rows.length) this.grow(Math.max(2 * this.rows.length, from + count));
    this.rows.set(data.rows, from);
    this.priorities.set(data.priorities, from);
    positions.forEach((position, c) => {
      const { values, recorded } = this.column(position);
      values.set(data.values[c] as Float64Array, from);
      recorded.set(data.recorded[c] as Uint8Array, from);
    });
    this.count += count;
    this.forgetSlots();
  }

  /** Records a value (NaN for a null) in a column. */
  write(slot: number, column: number, value: number): void {
    if (column >= this.values.length) this.column(column);
    (this.values[column] as Float64Array)[slot] = value;
    (this.recorded[column] as Uint8Array)[slot] = 1;
  }

  /** A column's arrays (made when first written). */
  column(column: number): { readonly values: Float64Array; readonly recorded: Uint8Array } {
    while (this.values.length <= column) {
      this.values.push(new Float64Array(this.rows.length));
      this.recorded.push(new Uint8Array(this.rows.length));
    }
    return { values: this.values[column] as Float64Array, recorded: this.recorded[column] as Uint8Array };
  }

  /** Keeps the `size` rows first in (priority, row) order, in slot order, and remembers the last of them. */
  trim(size: number): void {
    if (this.count <= size) return;
    const last = this.priorities.slice(0, this.count).sort()[size - 1] as number;
    let below = 0;
    const tied: number[] = [];
    for (let slot = 0; slot < this.count; slot++) {
      const priority = this.priorities[slot] as number;
      if (priority < last) below++;
      else if (priority === last) tied.push(this.rows[slot] as number);
    }
    // Rows sharing the last priority (rare: 53 bits) are kept in row order, as many as there is room for.
    tied.sort((a, b) => a - b);
    const keptTied = new Set(tied.slice(0, size - below));
    const keep = new Int32Array(size);
    let kept = 0;
    for (let slot = 0; slot < this.count; slot++) {
      const priority = this.priorities[slot] as number;
      if (priority < last || (priority === last && keptTied.has(this.rows[slot] as number))) keep[kept++] = slot;
    }
    for (const array of [this.rows, this.priorities, ...this.values]) compactFloats(array, keep);
    for (const array of this.recorded) {
      compactBytes(array, keep);
      array.fill(0, size, this.count);
    }
    this.count = size;
    this.forgetSlots();
    this.cutoffPriority = last;
    this.cutoffRow = tied[size - below - 1] as number;
  }

  private forgetSlots(): void {
    this.slots.clear();
    this.slotsFilled = false;
  }

  private grow(capacity: number): void {
    this.rows = grownFloats(this.rows, capacity);
    this.priorities = grownFloats(this.priorities, capacity);
    // In place: a new array from `map` would be of another kind (see emptyListOf).
    for (let c = 0; c < this.values.length; c++) {
      this.values[c] = grownFloats(this.values[c] as Float64Array, capacity);
      const recorded = new Uint8Array(capacity);
      recorded.set(this.recorded[c] as Uint8Array);
      this.recorded[c] = recorded;
    }
  }
}

/**
 * An empty array made to hold objects like `example`: a `[]` literal starts as an array of small integers, and
 * its change of kind at the first push sent the compiled code that writes values back to the interpreter, once
 * per new sample (every task).
 */
function emptyListOf<T extends object>(example: T): T[] {
  const list = [example];
  list.pop();
  return list;
}

function grownFloats(array: Float64Array, capacity: number): Float64Array {
  const bigger = new Float64Array(capacity);
  bigger.set(array);
  return bigger;
}

/** Bottom-k samples of one side, by class. */
export class ClassSamples {
  private readonly classes = new Map<string, ClassRows>();
  private readonly columns: string[] = [];
  private readonly columnIndex = new Map<string, number>();

  /** @param size rows kept per class */
  constructor(readonly size: number) {}

  /** Counts a row of a class seen (sampled or not). */
  see(key: string, rows = 1): void {
    this.classOf(key).seen += rows;
  }

  /**
   * The priority above which a row of a class cannot join the sample any more (above 1 while the sample is not full),
   * so that only rows at or below it need their values read.
   */
  cutoff(key: string): number {
    return this.classes.get(key)?.cutoffPriority ?? NO_CUTOFF;
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
    const slot = rows.slotOf(row) ?? this.admit(key, row, priority);
    if (slot >= 0) rows.write(slot, this.columnOf(column), value ?? Number.NaN);
    this.compact();
  }

  /**
   * Lets a row that is not in the sample join it, if its priority allows, for its values to be recorded with
   * the class's {@link writer}. Slots stay valid until {@link compact}.
   * @param key the row's class
   * @param row its position on its side
   * @param priority its priority
   * @returns the row's slot, or -1 when the row cannot be in the sample
   */
  admit(key: string, row: number, priority: number): number {
    const rows = this.classOf(key);
    return rows.after(priority, row) ? -1 : rows.add(row, priority);
  }

  /** What records a class's values: `write(slot, column position, value or NaN for a null)`. */
  writer(key: string): SampleWriter {
    return this.classOf(key);
  }

  /** Trims every class holding twice its size or more (slots change). */
  compact(): void {
    for (const rows of this.classes.values()) if (rows.count >= 2 * this.size) rows.trim(this.size);
  }

  /** Where a column's values are kept (the `column` of {@link SampleWriter.write}). */
  columnOf(column: string): number {
    let position = this.columnIndex.get(column);
    if (position === undefined) {
      position = this.columns.push(column) - 1;
      this.columnIndex.set(column, position);
    }
    return position;
  }

  /**
   * Adds another sample of the same side: a row recorded in both gets both's columns.
   * @param other the sample
   * @param countSeen whether to add its rows seen (not when several samples saw the same rows: column slices)
   * @param joins whether it may hold rows held here already (column slices' samples), whose columns are joined;
   *   without, its rows are appended in bulk
   */
  merge(other: ClassSamplesData, countSeen = true, joins = true): void {
    const positions = other.columns.map((column) => this.columnOf(column));
    for (const data of other.classes) {
      this.see(data.key, countSeen ? data.seen : 0);
      const sample = this.classOf(data.key);
      // Rows after the cutoff are appended too: the next trim drops them.
      if (!joins) sample.append(data, positions);
      else this.join(sample, data, positions);
      if (sample.count >= 2 * this.size) sample.trim(this.size);
    }
  }

  /** Adds a class's rows, joining the columns of those held already. */
  private join(sample: ClassRows, data: ClassSampleData, positions: readonly number[]): void {
    const slots = Int32Array.from(data.rows, (row, r) => sample.slotOf(row) ?? (sample.after(data.priorities[r] as number, row) ? -1 : sample.add(row, data.priorities[r] as number)));
    positions.forEach((position, c) => {
      const from = data.values[c] as Float64Array;
      const fromRecorded = data.recorded[c] as Uint8Array;
      const to = sample.column(position);
      for (let r = 0; r < slots.length; r++) {
        const slot = slots[r] as number;
        if (slot < 0 || fromRecorded[r] !== 1) continue;
        to.values[slot] = from[r] as number;
        to.recorded[slot] = 1;
      }
    });
  }

  /** The sample as plain data, trimmed to `size` rows per class (copies of its arrays). */
  toData(): ClassSamplesData {
    const classes = [...this.classes].map(([key, sample]): ClassSampleData => {
      sample.trim(this.size);
      const n = sample.count;
      return {
        key,
        seen: sample.seen,
        rows: sample.rows.slice(0, n),
        priorities: sample.priorities.slice(0, n),
        values: this.columns.map((_, c) => sample.values[c]?.slice(0, n) ?? new Float64Array(n)),
        recorded: this.columns.map((_, c) => sample.recorded[c]?.slice(0, n) ?? new Uint8Array(n)),
      };
    });
    return { size: this.size, columns: [...this.columns], classes };
  }

  /** Rows seen per class. */
  seen(key: string): number {
    return this.classes.get(key)?.seen ?? 0;
  }

  /**
   * A class's sampled values in one column, sorted ascending (nulls and NaN left out), and how many rows were
   * sampled.
   * @param key the class
   * @param column the column
   */
  values(key: string, column: string): { readonly values: Float64Array; readonly rows: number; readonly nulls: number } {
    const rows = this.classes.get(key);
    if (rows === undefined) return { values: new Float64Array(0), rows: 0, nulls: 0 };
    rows.trim(this.size);
    const position = this.columnIndex.get(column);
    const values = position === undefined ? undefined : rows.values[position];
    const recorded = position === undefined ? undefined : rows.recorded[position];
    const out = new Float64Array(rows.count);
    let kept = 0;
    for (let slot = 0; slot < rows.count; slot++) {
      const value = values?.[slot] as number;
      if (recorded?.[slot] === 1 && !Number.isNaN(value)) out[kept++] = value;
    }
    return { values: out.slice(0, kept).sort(), rows: rows.count, nulls: rows.count - kept };
  }

  /** The classes seen, in the order they were first seen. */
  keys(): string[] {
    return [...this.classes.keys()];
  }

  private classOf(key: string): ClassRows {
    let rows = this.classes.get(key);
    if (rows === undefined) {
      rows = new ClassRows();
      this.classes.set(key, rows);
    }
    return rows;
  }
}

/** Moves the kept slots (ascending) to the front. */
function compactFloats(array: Float64Array, keep: Int32Array): void {
  for (let i = 0; i < keep.length; i++) array[i] = array[keep[i] as number] as number;
}

/** The same for flags (a loop of its own: one loop over both kinds of array ran several times slower). */
function compactBytes(array: Uint8Array, keep: Int32Array): void {
  for (let i = 0; i < keep.length; i++) array[i] = array[keep[i] as number] as number;
}
