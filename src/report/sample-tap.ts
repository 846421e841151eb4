/**
 * Feeds a side's {@link ClassSamples} from batches: every row is counted for its class, and the rows whose
 * priority may put them in their class's sample have their values in the report's columns recorded.
 */
import { DataType, makeVector, Precision, type Data, type RecordBatch, type Vector } from 'apache-arrow';
import { classKey } from '../classes/class-value.js';
import { LabelCoder, type NullPolicy } from '../classes/label-coder.js';
import { ClassSamples, type SampleWriter } from './class-samples.js';
import { blockKey, fillPriorityBits, priorityWithKey, seedHash } from './row-priority.js';

/** What a tap samples. */
export interface TapSettings {
  /** The job's seed. */
  readonly seed: string;
  /** Which side the rows are on: each side has its own priorities. */
  readonly side: 'input' | 'output';
  readonly label: string;
  readonly nulls: NullPolicy;
  /** The report's columns (numeric). */
  readonly columns: readonly string[];
  /** Rows sampled per class. */
  readonly size: number;
  /**
   * Per class key, the priority above which rows are not sampled at all (see {@link sampleRate}); none: every
   * row may be. Workers that each see part of a side send only these rows.
   */
  readonly rates?: ReadonlyMap<string, number> | undefined;
}

/**
 * The priority below which a class's rows are sampled by workers: high enough that the rows below it number
 * at least `size` but for a chance of about 1e-5 (their count is binomial: the mean is 4.5 standard deviations
 * above `size`), low enough that workers send little more than `size` rows. The sample is then the `size`
 * rows of lowest priority among those, a uniform sample whatever runs the units.
 * @param size rows sampled per class
 * @param rows the class's rows on this side
 */
export function sampleRate(size: number, rows: number): number {
  return rows <= 0 ? 1 : Math.min(1, (size + 4.5 * Math.sqrt(size) + 10) / rows);
}

/**
 * Rows of a batch that may join the sample: their indices in the batch, positions on the side, priorities and
 * classes (codes, with each code's class key), and, once their first column is recorded, their slots in the
 * sample (-1: not admitted).
 */
export interface Selection {
  readonly indices: Int32Array;
  readonly rows: Float64Array;
  readonly priorities: Float64Array;
  readonly codes: Int32Array;
  readonly keys: readonly string[];
  slots?: Int32Array;
}

/**
 * A batch's labels already coded by a {@link LabelCoder} that has seen them (a worker's unit sampler), so that
 * the tap need not code them again.
 */
export interface CodedLabels {
  readonly codes: Int32Array;
  readonly coder: LabelCoder;
}

/** A side's samples, fed batch by batch. */
export class SampleTap {
  private readonly coder: LabelCoder;
  private readonly seed: number;
  /** The first bits of a batch's rows' priorities, and the rows they let in (both reused). */
  private bits = new Uint32Array(0);
  private candidates = new Int32Array(0);

  /**
   * @param settings what to sample
   * @param samples the samples to feed (new ones by default)
   */
  constructor(
    private readonly settings: TapSettings,
    readonly samples: ClassSamples = new ClassSamples(settings.size),
  ) {
    // Classes beyond the job's limit have stopped the job before any row gets here.
    this.coder = new LabelCoder({ label: settings.label, nulls: settings.nulls, maxClasses: 1 << 24 });
    this.seed = seedHash(`${settings.seed}:${settings.side}`);
  }

  /**
   * Picks the rows of a batch that may join the sample, and counts its rows by class unless the tap has rates
   * (a worker's: the plan knows the counts).
   * @param batch rows holding the label column
   * @param firstRow the position on this side of the batch's first row
   * @param coded the batch's labels, when a coder that has seen them coded them already
   */
  select(batch: RecordBatch, firstRow: number, coded?: CodedLabels): Selection {
    // Recorded selections are done with: their slots may move.
    this.samples.compact();
    const coder = coded?.coder ?? this.coder;
    const codes = coded?.codes ?? coder.encode(batch);
    const keys: string[] = [];
    for (let code = 0; code < coder.classCount; code++) keys.push(classKey(coder.value(code)));
    if (this.settings.rates === undefined) this.count(codes, keys);
    // Each class's cutoff as it is now, and in first bits (rows admitted against it are checked again when
    // recorded): a row whose first bits are above it cannot be in the sample.
    const cutoffs = new Float64Array(keys.length);
    const cutoffBits = new Float64Array(keys.length);
    for (let code = 0; code < keys.length; code++) {
      const key = keys[code] as string;
      cutoffs[code] = Math.min(this.samples.cutoff(key), this.settings.rates?.get(key) ?? 2);
      cutoffBits[code] = Math.floor((cutoffs[code] as number) * 4294967296);
    }
    if (this.bits.length < codes.length) {
      this.bits = new Uint32Array(codes.length);
      this.candidates = new Int32Array(codes.length);
    }
    const bits = this.bits.subarray(0, codes.length);
    fillPriorityBits(this.seed, firstRow, bits);
    const count = belowCutoffs(codes, bits, cutoffBits, this.candidates);
    return selected(this.seed, firstRow, this.candidates.subarray(0, count), codes, bits, cutoffs, keys);
  }

  /** Counts rows by class. */
  private count(codes: Int32Array, keys: readonly string[]): void {
    const counts = new Int32Array(keys.length);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code >= 0) counts[code] = (counts[code] as number) + 1;
    }
    for (let code = 0; code < keys.length; code++) if ((counts[code] as number) > 0) this.samples.see(keys[code] as string, counts[code] as number);
  }

  /**
   * Records the selected rows' values in one column. The rows join the sample with the first column recorded,
   * and their slots stay valid until the next {@link select}.
   * @param selection rows picked by {@link select} from the batch the column belongs to
   * @param column the column's name
   * @param data the column, with the batch's rows
   */
  record(selection: Selection, column: string, data: Data | Vector): void {
    selection.slots ??= this.admit(selection);
    const values = numbersAt(data, selection.indices);
    const position = this.samples.columnOf(column);
    const writers = selection.keys.map((key) => this.samples.writer(key));
    writeValues(selection.slots, selection.codes, writers, position, values);
  }

  private admit(selection: Selection): Int32Array {
    const { rows, priorities, codes, keys } = selection;
    const slots = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) slots[i] = this.samples.admit(keys[codes[i] as number] as string, rows[i] as number, priorities[i] as number);
    return slots;
  }

  /**
   * Samples a batch: counts its rows and records the report's columns it holds.
   * @param batch rows with the label column
   * @param firstRow the position on this side of its first row
   * @param coded its labels, when coded already
   */
  push(batch: RecordBatch, firstRow: number, coded?: CodedLabels): void {
    const selection = this.select(batch, firstRow, coded);
    if (selection.indices.length === 0) return;
    for (const column of this.settings.columns) {
      const vector = batch.getChild(column);
      if (vector !== null) this.record(selection, column, vector);
    }
  }
}

/**
 * The candidates whose whole priority is at or below their class's cutoff: the selection (typed copies).
 */
function selected(seed: number, firstRow: number, candidates: Int32Array, codes: Int32Array, bits: Uint32Array, cutoffs: Float64Array, keys: readonly string[]): Selection {
  const indices = new Int32Array(candidates.length);
  const rows = new Float64Array(candidates.length);
  const priorities = new Float64Array(candidates.length);
  const selectedCodes = new Int32Array(candidates.length);
  let count = 0;
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates[c] as number;
    const code = codes[i] as number;
    const row = firstRow + i;
    const priority = priorityWithKey(blockKey(seed, row), row, bits[i]);
    if (priority > (cutoffs[code] as number)) continue;
    indices[count] = i;
    rows[count] = row;
    priorities[count] = priority;
    selectedCodes[count] = code;
    count++;
  }
  return { indices: indices.subarray(0, count), rows: rows.subarray(0, count), priorities: priorities.subarray(0, count), codes: selectedCodes.subarray(0, count), keys };
}

/** Writes one column's values of the admitted rows of a selection. */
function writeValues(slots: Int32Array, codes: Int32Array, writers: readonly SampleWriter[], column: number, values: Float64Array): void {
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    if (slot >= 0) (writers[codes[i] as number] as SampleWriter).write(slot, column, values[i] as number);
  }
}

/**
 * Puts in `out` the rows whose first priority bits are at or below their class's cutoff, and returns how
 * many. Every row of a batch passes here: a small loop of its own that the compiler keeps optimized (in
 * `select`, the few rows let in changed its arrays' shapes, and each change sent the loop back to the
 * interpreter for the rest of a batch).
 */
function belowCutoffs(codes: Int32Array, bits: Uint32Array, cutoffBits: Float64Array, out: Int32Array): number {
  let count = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code >= 0 && (bits[i] as number) <= (cutoffBits[code] as number)) out[count++] = i;
  }
  return count;
}

/**
 * A numeric column's values at some rows, as numbers (NaN for a null): from its buffers for one chunk of
 * integers, 32- and 64-bit floats, through Arrow's getter otherwise (half floats, several chunks). Each kind of
 * buffer has a loop of its own: one loop over them all ran several times slower.
 */
function numbersAt(column: Data | Vector, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length);
  const data = 'get' in column ? (column.data.length === 1 ? column.data[0] : undefined) : column;
  if (data === undefined || !(DataType.isInt(data.type) || (DataType.isFloat(data.type) && data.type.precision !== Precision.HALF))) {
    const vector = 'get' in column ? column : makeVector(column);
    indices.forEach((index, i) => {
      const value: unknown = vector.get(index);
      out[i] = value === null ? Number.NaN : Number(value);
    });
    return out;
  }
  const values: unknown = data.values;
  if (values instanceof Float64Array) gatherFloat64(values, data.offset, indices, out);
  else if (values instanceof BigInt64Array || values instanceof BigUint64Array) gatherBigInts(values, data.offset, indices, out);
  else gatherNumbers(values as ArrayLike<number>, data.offset, indices, out);
  if (data.nullCount > 0) indices.forEach((index, i) => {
    if (!data.getValid(index)) out[i] = Number.NaN;
  });
  return out;
}

function gatherFloat64(values: Float64Array, offset: number, indices: Int32Array, out: Float64Array): void {
  for (let i = 0; i < indices.length; i++) out[i] = values[offset + (indices[i] as number)] as number;
}

function gatherBigInts(values: BigInt64Array | BigUint64Array, offset: number, indices: Int32Array, out: Float64Array): void {
  for (let i = 0; i < indices.length; i++) out[i] = Number(values[offset + (indices[i] as number)]);
}

function gatherNumbers(values: ArrayLike<number>, offset: number, indices: Int32Array, out: Float64Array): void {
  for (let i = 0; i < indices.length; i++) out[i] = values[offset + (indices[i] as number)] as number;
}

/** Whether a column's values are drawn in the report: integers and floating-point numbers. */
export function isReportable(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type);
}
