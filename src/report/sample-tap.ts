/**
 * Feeds a side's {@link ClassSamples} from batches: every row is counted for its class, and the rows whose
 * priority may put them in their class's sample have their values in the report's columns recorded.
 */
import { DataType, makeVector, type Data, type RecordBatch, type Vector } from 'apache-arrow';
import { classKey } from '../classes/class-value.js';
import { LabelCoder, type NullPolicy } from '../classes/label-coder.js';
import { ClassSamples } from './class-samples.js';
import { priorityFloor, rowPriority, seedHash } from './row-priority.js';

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

/** Rows of a batch that may join the sample: their indices in the batch, positions on the side, classes and priorities. */
export interface Selection {
  readonly indices: readonly number[];
  readonly rows: readonly number[];
  readonly keys: readonly string[];
  readonly priorities: readonly number[];
}

/** A side's samples, fed batch by batch. */
export class SampleTap {
  private readonly coder: LabelCoder;
  private readonly seed: number;
  private readonly keyOfCode: string[] = [];

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
   * Counts a batch's rows by class and picks the rows that may join the sample.
   * @param batch rows holding the label column
   * @param firstRow the position on this side of the batch's first row
   */
  select(batch: RecordBatch, firstRow: number): Selection {
    const codes = this.coder.encode(batch);
    const counts: number[] = [];
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code >= 0) counts[code] = (counts[code] ?? 0) + 1;
    }
    // Each class's cutoff as it is now: rows admitted against it are checked again when recorded.
    const cutoffs = new Float64Array(counts.length).fill(2);
    counts.forEach((count, code) => {
      const key = (this.keyOfCode[code] ??= classKey(this.coder.value(code)));
      this.samples.see(key, count);
      cutoffs[code] = Math.min(this.samples.cutoff(key), this.settings.rates?.get(key) ?? 2);
    });
    const selection: { indices: number[]; rows: number[]; keys: string[]; priorities: number[] } = { indices: [], rows: [], keys: [], priorities: [] };
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code < 0) continue;
      // A priority's first 32 bits tell most rows out at a third of the cost of all 53.
      if (priorityFloor(this.seed, firstRow + i) > (cutoffs[code] as number)) continue;
      const priority = rowPriority(this.seed, firstRow + i);
      if (priority > (cutoffs[code] as number)) continue;
      selection.indices.push(i);
      selection.rows.push(firstRow + i);
      selection.keys.push(this.keyOfCode[code] as string);
      selection.priorities.push(priority);
    }
    return selection;
  }

  /**
   * Records the selected rows' values in one column.
   * @param selection rows picked by {@link select} from the batch the column belongs to
   * @param column the column's name
   * @param data the column, with the batch's rows
   */
  record(selection: Selection, column: string, data: Data | Vector): void {
    const vector = 'get' in data ? data : makeVector(data);
    selection.indices.forEach((index, i) => {
      const value: unknown = vector.get(index);
      const number = value === null ? null : typeof value === 'bigint' ? Number(value) : (value as number);
      this.samples.record(selection.keys[i] as string, selection.rows[i] as number, selection.priorities[i] as number, column, number);
    });
  }

  /**
   * Samples a batch: counts its rows and records the report's columns it holds.
   * @param batch rows with the label column
   * @param firstRow the position on this side of its first row
   */
  push(batch: RecordBatch, firstRow: number): void {
    const selection = this.select(batch, firstRow);
    if (selection.indices.length === 0) return;
    for (const column of this.settings.columns) {
      const vector = batch.getChild(column);
      if (vector !== null) this.record(selection, column, vector);
    }
  }
}

/** Whether a column's values are drawn in the report: integers and floating-point numbers. */
export function isReportable(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type);
}
