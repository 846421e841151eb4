/**
 * `MiniBatchAssembler`: cuts record batches into fixed-size mini-batches of typed arrays (the trainer bridge's
 * synchronous engine).
 */
import type { RecordBatch } from 'apache-arrow';
import { takeRows } from '../arrow/take.js';
import type { ClassValue } from '../classes/class-value.js';
import type { NullPolicy } from '../classes/label-options.js';
import { ArrowBalanceError } from '../errors.js';
import { ClassIndexer } from './class-indexer.js';
import { ColumnLocator } from './column-layout.js';
import type { ColumnLayout } from './column-layout.js';
import { copyNumericColumn, fillNullRows } from './numeric-column.js';
import type { TrainingBatch } from './training-batch.js';

/** What the assembler needs to know; `trainingBatches` checks these options before building one. */
export interface AssemblerOptions {
  readonly features: readonly string[];
  readonly label: string;
  readonly weight: string | undefined;
  readonly batchSize: number;
  readonly fillNull: number | undefined;
  readonly nulls: NullPolicy;
  readonly maxClasses: number;
  readonly classes: readonly ClassValue[] | undefined;
}

/** A record batch waiting to be cut, with its class indices and how far it has been read. */
interface Pending {
  readonly batch: RecordBatch;
  readonly layout: ColumnLayout;
  readonly labels: Int32Array;
  cursor: number;
}

/** The mini-batch being filled. */
interface Filling {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly w: Float32Array | undefined;
  rows: number;
}

/**
 * Turns record batches into {@link TrainingBatch}es of exactly `batchSize` rows (the last may be shorter),
 * copying each feature column into the row-major `x` with one typed-array loop per column.
 *
 * `add(batch)` checks and queues a batch (its label column is coded at once); `take()` returns the next full
 * mini-batch, or undefined when the queued rows do not fill one; `flush()` returns the rows left over.
 * Rows keep their order; a mini-batch may span record batches.
 *
 * Memory: the queued record batches (the caller adds one only when `take()` comes back empty, so normally
 * one) plus the mini-batch being filled.
 *
 * ## Example
 * ```ts
 * const assembler = new MiniBatchAssembler({ features: ['f1', 'f2'], label: 'y', weight: undefined,
 *   batchSize: 32, fillNull: undefined, nulls: 'error', maxClasses: 100_000, classes: undefined });
 * assembler.add(recordBatch);
 * for (let b = assembler.take(); b !== undefined; b = assembler.take()) train(b);
 * ```
 */
export class MiniBatchAssembler {
  readonly #options: AssemblerOptions;
  readonly #locator: ColumnLocator;
  readonly #indexer: ClassIndexer;
  readonly #pending: Pending[] = [];
  #filling: Filling | undefined;

  /**
   * @param options checked options
   * @throws TypeError for a bad `classes` list
   */
  constructor(options: AssemblerOptions) {
    this.#options = options;
    this.#locator = new ColumnLocator(options.features, options.weight);
    this.#indexer = new ClassIndexer(options.label, options.nulls, options.classes, options.maxClasses);
  }

  /** Rows queued and not yet in a returned mini-batch (including those in the one being filled). */
  get bufferedRows(): number {
    let rows = this.#filling?.rows ?? 0;
    for (const pending of this.#pending) rows += pending.batch.numRows - pending.cursor;
    return rows;
  }

  /**
   * Queues a record batch.
   *
   * @param batch a batch holding the feature, label and (if asked for) weight columns
   * @throws ArrowBalanceError for a missing or non-numeric column, nulls in a feature (without `fillNull`) or
   *   in the weight column, or a label problem (nulls, a class outside the `classes` list)
   */
  add(batch: RecordBatch): void {
    if (batch.numRows === 0) return;
    const layout = this.#locator.locate(batch);
    this.#checkNulls(batch, layout);
    let labels = this.#indexer.indices(batch);
    let rows = batch;
    if (this.#options.nulls === 'drop') {
      const kept = keptRows(labels);
      if (kept !== undefined) {
        if (kept.length === 0) return;
        rows = takeRows(batch, kept);
        labels = labels.filter((index) => index >= 0);
      }
    }
    this.#pending.push({ batch: rows, layout, labels, cursor: 0 });
  }

  /**
   * The next full mini-batch.
   *
   * @returns a batch of `batchSize` rows, or undefined when the queued rows do not fill one (add more)
   */
  take(): TrainingBatch | undefined {
    const size = this.#options.batchSize;
    const filling = (this.#filling ??= this.#newFilling());
    while (filling.rows < size) {
      const head = this.#pending[0];
      if (head === undefined) return undefined;
      const count = Math.min(size - filling.rows, head.batch.numRows - head.cursor);
      this.#copy(head, count, filling);
      if (head.cursor === head.batch.numRows) this.#pending.shift();
    }
    this.#filling = undefined;
    return this.#finish(filling, filling.x, filling.y, filling.w);
  }

  /**
   * The rows left after the last full mini-batch, as a shorter mini-batch. Call when the input has ended.
   *
   * @returns the remainder, or undefined when no rows are left
   */
  flush(): TrainingBatch | undefined {
    const filling = this.#filling;
    if (filling === undefined || filling.rows === 0) return undefined;
    this.#filling = undefined;
    const { rows } = filling;
    const features = this.#options.features.length;
    return this.#finish(filling, filling.x.slice(0, rows * features), filling.y.slice(0, rows), filling.w?.slice(0, rows));
  }

  #newFilling(): Filling {
    const { batchSize, features, weight } = this.#options;
    return {
      x: new Float32Array(batchSize * features.length),
      y: new Int32Array(batchSize),
      w: weight === undefined ? undefined : new Float32Array(batchSize),
      rows: 0,
    };
  }

  #copy(head: Pending, count: number, filling: Filling): void {
    const { batch, layout, labels, cursor: from } = head;
    const columns = batch.data.children;
    const stride = layout.features.length;
    const { fillNull } = this.#options;
    layout.features.forEach((column, j) => {
      const data = columns[column]!;
      const target = { out: filling.x, start: filling.rows * stride + j, stride };
      copyNumericColumn(data, from, count, target);
      if (fillNull !== undefined) fillNullRows(data, from, count, target, fillNull);
    });
    filling.y.set(labels.subarray(from, from + count), filling.rows);
    if (filling.w !== undefined && layout.weight >= 0) {
      copyNumericColumn(columns[layout.weight]!, from, count, { out: filling.w, start: filling.rows, stride: 1 });
    }
    head.cursor += count;
    filling.rows += count;
  }

  #finish(filling: Filling, x: Float32Array, y: Int32Array, w: Float32Array | undefined): TrainingBatch {
    const base = { x, y, rows: filling.rows, features: this.#options.features.length, classes: this.#indexer.classes };
    return w === undefined ? base : { ...base, w };
  }

  #checkNulls(batch: RecordBatch, layout: ColumnLayout): void {
    const { features, weight, fillNull } = this.#options;
    const columns = batch.data.children;
    if (fillNull === undefined) {
      layout.features.forEach((column, j) => {
        const nulls = columns[column]?.nullCount ?? 0;
        if (nulls > 0) {
          throw new ArrowBalanceError(
            `feature column "${features[j] ?? ''}" has ${nulls} null value${nulls === 1 ? '' : 's'} in a batch of ${batch.numRows} rows; `
            + 'fill or drop them first, or pass fillNull: <number> to write that value instead',
          );
        }
      });
    }
    const weightNulls = layout.weight >= 0 ? (columns[layout.weight]?.nullCount ?? 0) : 0;
    if (weightNulls > 0) {
      throw new ArrowBalanceError(
        `weight column "${weight ?? ''}" has ${weightNulls} null value${weightNulls === 1 ? '' : 's'} in a batch of ${batch.numRows} rows; every row needs a weight`,
      );
    }
  }
}

/** Rows whose label index is not -1, or undefined when every row is kept. */
function keptRows(labels: Int32Array): Int32Array | undefined {
  let dropped = 0;
  for (let i = 0; i < labels.length; i++) if ((labels[i] as number) < 0) dropped++;
  if (dropped === 0) return undefined;
  const kept = new Int32Array(labels.length - dropped);
  for (let i = 0, k = 0; i < labels.length; i++) if ((labels[i] as number) >= 0) kept[k++] = i;
  return kept;
}
