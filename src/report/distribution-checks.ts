/**
 * For each class and each report column: how far the output's distribution is from the input's, as the
 * two-sample Kolmogorov-Smirnov distance between the two sides' samples, with its p-value and the error the
 * sampling adds.
 */
import type { ClassSamples } from './class-samples.js';
import { ksDistance, ksPValue, ksSamplingError } from './kolmogorov-smirnov.js';

/** One class's check in one column. */
export interface DistributionCheck {
  /** The class's key (`classKey`). */
  readonly class: string;
  readonly column: string;
  /** KS distance between the input's and the output's sampled values (0 when either side has none). */
  readonly ks: number;
  /** The two-sample test's p-value for that distance and those sample sizes. */
  readonly pValue: number;
  /** With 95 % probability, the KS distance of the whole class differs from `ks` by at most this (0 when both samples are whole). */
  readonly error: number;
  /** Non-null values sampled on each side. */
  readonly inputValues: number;
  readonly outputValues: number;
}

/** A check with both sides' sorted values, for drawing. */
export interface DrawnCheck extends DistributionCheck {
  readonly input: Float64Array;
  readonly output: Float64Array;
}

/**
 * Checks every class the input holds in every column.
 * @param input the input's samples
 * @param output the output's samples
 * @param columns the report's columns
 * @returns checks in class order (as `classes` gives them), then column order
 */
export function checkDistributions(input: ClassSamples, output: ClassSamples, classes: readonly string[], columns: readonly string[]): DrawnCheck[] {
  return classes.flatMap((key) =>
    columns.map((column): DrawnCheck => {
      const a = input.values(key, column);
      const b = output.values(key, column);
      const ks = ksDistance(a.values, b.values);
      const whole = (samples: ClassSamples, rows: number): number => (rows >= samples.seen(key) ? Infinity : rows);
      return {
        class: key,
        column,
        ks,
        pValue: ksPValue(ks, a.values.length, b.values.length),
        error: ksSamplingError(whole(input, a.rows), whole(output, b.rows)),
        inputValues: a.values.length,
        outputValues: b.values.length,
        input: a.values,
        output: b.values,
      };
    }),
  );
}

/** A check without its values: what `--json` and the file's metadata hold. */
export function checkSummary({ input: _input, output: _output, ...summary }: DrawnCheck): DistributionCheck {
  return { ...summary, ks: round(summary.ks), pValue: round(summary.pValue), error: round(summary.error) };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
