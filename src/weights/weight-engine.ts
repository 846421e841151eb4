/**
 * `WeightEngine`: the synchronous engine behind `weight()`: codes each batch's label and appends its class weights.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { appendFloatColumn } from '../arrow/append-column.js';
import { takeRows } from '../arrow/take.js';
import { LabelCoder } from '../classes/label-coder.js';
import { ArrowBalanceError } from '../errors.js';
import { FixedCodeWeights, RunningCodeWeights } from './code-weights.js';
import type { CodeWeights } from './code-weights.js';
import { checkWeightOptions } from './weight-options.js';
import type { CheckedWeightOptions, WeightOptions } from './weight-options.js';
import { assertOwnBatch } from '../arrow/own-batch.js';

/**
 * Appends each row's class weight to every batch. One engine serves one stream (it keeps the class coding
 * and, without counts, the running counts); the operator, the trainer bridge and the CLI drive it alike.
 *
 * Weights are exact from the first row when the options give `counts` or manual weights; otherwise they come
 * from the counts of the rows seen so far, this batch included, and drift until the class shares settle.
 * Under `nulls: 'drop'` rows with a null label are removed from the batch.
 *
 * Memory: O(classes); each output batch shares the input's columns and adds one weight array.
 *
 * ## Example
 * ```ts
 * const engine = prepareWeights({ label: 'y', counts: { a: 90, b: 9, c: 1 } })();
 * const weighted = engine.push(batch); // batch + a Float32 column "weight"
 * ```
 */
export class WeightEngine {
  readonly #coder: LabelCoder;
  readonly #weights: CodeWeights;
  #checkedSchema: Schema | undefined;

  /** @param options options checked by {@link checkWeightOptions} */
  constructor(private readonly options: CheckedWeightOptions) {
    this.#coder = new LabelCoder({ label: options.label, nulls: options.nulls, maxClasses: options.maxClasses });
    this.#weights = codeWeights(this.#coder, options);
  }

  /**
   * Checks that a schema can be weighted: it holds the label column and, unless `replace`, no column named like
   * the weight column. {@link WeightEngine.push} does this too; call it to fail before reading any rows.
   *
   * @param schema the input schema
   * @throws ArrowBalanceError naming the missing label column or the clashing weight column
   */
  checkSchema(schema: Schema): void {
    if (schema === this.#checkedSchema) return;
    const { label, column, replace } = this.options;
    const names = schema.fields.map((field) => field.name);
    if (!names.includes(label)) {
      throw new ArrowBalanceError(`label column "${label}" not found; columns are: ${names.length === 0 ? '(none)' : names.join(', ')}`);
    }
    if (!replace && names.includes(column)) {
      throw new ArrowBalanceError(`the input already has a column "${column}"; name the weight column otherwise (option "column", --column) or overwrite it (replace: true, --replace)`);
    }
    this.#checkedSchema = schema;
  }

  /**
   * Weights one batch.
   *
   * @param batch a batch holding the label column
   * @returns the batch (without null-label rows under `nulls: 'drop'`) with the weight column appended
   * @throws ArrowBalanceError for label problems, a clashing column, a class without a weight or contradicting `counts`
   */
  push(batch: RecordBatch): RecordBatch {
    assertOwnBatch(batch, 'weight');
    this.checkSchema(batch.schema);
    const codes = this.#coder.encode(batch);
    const kept = this.options.nulls === 'drop' ? keptRows(codes) : undefined;
    const rows = kept === undefined ? batch : takeRows(batch, kept.indices);
    const rowCodes = kept === undefined ? codes : kept.codes;
    const perCode = this.#weights.update(rowCodes);
    const n = rowCodes.length;
    const values = this.options.type === 'float64' ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = perCode[rowCodes[i] as number] as number;
    return appendFloatColumn(rows, this.options.column, values, { replace: this.options.replace });
  }
}

/**
 * Checks `weight()` options (before any data) and returns a factory of independent engines, one per stream.
 *
 * Memory: O(classes).
 *
 * @param options the `weight()` options
 * @returns a function that makes a fresh engine
 * @throws TypeError / RangeError naming a bad option; ArrowBalanceError when manual weights miss a class of `counts`
 */
export function prepareWeights(options: WeightOptions): () => WeightEngine {
  const checked = checkWeightOptions(options);
  return () => new WeightEngine(checked);
}

/** Weights fixed by the given counts, or by manual weights; without either, from running counts. */
function codeWeights(coder: LabelCoder, options: CheckedWeightOptions): CodeWeights {
  const { scheme, fixed, counts } = options;
  if (fixed !== undefined) return new FixedCodeWeights(coder, fixed, counts);
  if (scheme.scheme === 'manual') return new FixedCodeWeights(coder, scheme.byKey, undefined);
  return new RunningCodeWeights(scheme.scheme, scheme.beta);
}

/** The rows whose code is not -1 (a dropped null), or undefined when every row is kept. */
function keptRows(codes: Int32Array): { indices: Int32Array; codes: Int32Array } | undefined {
  let kept = 0;
  for (let i = 0; i < codes.length; i++) if ((codes[i] as number) >= 0) kept++;
  if (kept === codes.length) return undefined;
  const indices = new Int32Array(kept);
  const keptCodes = new Int32Array(kept);
  for (let i = 0, j = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code < 0) continue;
    indices[j] = i;
    keptCodes[j++] = code;
  }
  return { indices, codes: keptCodes };
}
