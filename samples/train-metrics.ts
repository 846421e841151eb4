/**
 * Classification metrics for the trainer sample: per-class recall and precision, balanced accuracy and
 * macro-F1 from predicted and true class indices.
 */

/** Metrics of one model on the test rows. */
export interface ClassMetrics {
  /** Recall of each class, in class-index order. */
  readonly recall: readonly number[];
  /** Precision of each class (0 when the class is never predicted). */
  readonly precision: readonly number[];
  /** Mean of the per-class recalls. */
  readonly balancedAccuracy: number;
  /** Mean of the per-class F1 scores. */
  readonly macroF1: number;
  /** Share of rows classed right. */
  readonly accuracy: number;
}

/**
 * Computes the metrics from a confusion of true and predicted indices.
 *
 * @param truth true class index per row
 * @param predicted predicted class index per row
 * @param classes number of classes
 * @returns the metrics
 */
export function classMetrics(truth: Int32Array, predicted: Int32Array, classes: number): ClassMetrics {
  const tp = new Float64Array(classes);
  const actual = new Float64Array(classes);
  const guessed = new Float64Array(classes);
  let right = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    const p = predicted[i] as number;
    actual[t] = (actual[t] as number) + 1;
    guessed[p] = (guessed[p] as number) + 1;
    if (t === p) {
      tp[t] = (tp[t] as number) + 1;
      right += 1;
    }
  }
  const recall = Array.from(tp, (n, c) => (actual[c] === 0 ? 0 : n / (actual[c] as number)));
  const precision = Array.from(tp, (n, c) => (guessed[c] === 0 ? 0 : n / (guessed[c] as number)));
  const f1 = recall.map((r, c) => {
    const p = precision[c] as number;
    return r + p === 0 ? 0 : (2 * p * r) / (p + r);
  });
  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  return { recall, precision, balancedAccuracy: mean(recall), macroF1: mean(f1), accuracy: right / truth.length };
}
