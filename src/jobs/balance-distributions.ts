/**
 * The distribution report of a balancing job (see `src/report/`): which columns, how the plan's workers
 * sample, and the page and checks at the end.
 */
import type { Schema } from 'apache-arrow';
import type { ClassCounts } from '../classes/class-counts.js';
import { classKey, showClass } from '../classes/class-value.js';
import type { NullPolicy } from '../classes/label-coder.js';
import type { ParquetEngine } from '../parquet/engine.js';
import { openParquet } from '../parquet/open-reader.js';
import type { ParquetSource } from '../parquet/sources.js';
import type { TaskReport } from '../parquet/wasm/worker-protocol.js';
import type { DistributionCheck } from '../report/distribution-checks.js';
import { DEFAULT_SAMPLE_SIZE, DistributionSamples, finishDistributionReport, type DistributionReportOptions } from '../report/distribution-report.js';
import { reportColumns, type ReportColumns } from '../report/report-columns.js';
import { sampleRate } from '../report/sample-tap.js';
import { ArrowBalanceError } from '../errors.js';

/** A job's report in the making: its columns and both sides' samples. */
export interface JobDistributions {
  readonly columns: ReportColumns;
  readonly samples: DistributionSamples;
  readonly options: DistributionReportOptions;
}

/**
 * The schema of Parquet input, from its footer alone (for a report's columns before anything is written).
 * @throws ArrowBalanceError as the reader does
 */
export async function parquetSchema(input: ParquetSource, engine: ParquetEngine | undefined): Promise<Schema> {
  const reader = await openParquet(input, { engine });
  try {
    return reader.schema;
  } finally {
    reader.close();
  }
}

/**
 * Checks the report options and chooses the columns from the input's schema.
 * @param schema the input's schema
 * @param options the report options
 * @param job the job's label, null policy, seed and added columns
 * @throws ArrowBalanceError for a bad option or column
 */
export function prepareDistributions(
  schema: Schema,
  options: DistributionReportOptions,
  job: { readonly label: string; readonly nulls: NullPolicy; readonly seed: string; readonly added: readonly string[] },
): JobDistributions {
  const size = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  if (!Number.isSafeInteger(size) || size < 10 || size > 1_000_000) throw new ArrowBalanceError(`the report's sample size must be an integer from 10 to 1,000,000, got ${String(size)}`);
  if (options.limit !== undefined && (!Number.isSafeInteger(options.limit) || options.limit < 0)) throw new ArrowBalanceError(`the report's column limit must be a whole number, got ${String(options.limit)}`);
  if (options.maxKs !== undefined && !(options.maxKs >= 0 && options.maxKs <= 1)) throw new ArrowBalanceError(`--max-ks must be a distance from 0 to 1, got ${String(options.maxKs)}`);
  const columns = reportColumns(schema, [job.label, ...job.added], options.columns, options.limit);
  const samples = new DistributionSamples({ seed: job.seed, label: job.label, nulls: job.nulls, columns: columns.drawn, size });
  return { columns, samples, options };
}

/**
 * How a plan's workers sample: each class's rows on both sides are known, so workers send only the rows
 * below each class's rate (see `sampleRate`), and the rows seen are the plan's.
 * @param distributions the job's report
 * @param classes each class's rows in and out
 * @returns the rates, by class key
 */
export function planSampling(distributions: JobDistributions, classes: ReadonlyArray<{ readonly key: string; readonly count: number; readonly target: number }>): TaskReport['rates'] {
  const { samples } = distributions;
  return classes.map(({ key, count, target }) => {
    samples.input.see(key, count);
    samples.output.see(key, target);
    return [key, sampleRate(samples.settings.size, count), sampleRate(samples.settings.size, target)] as const;
  });
}

/**
 * Ends the report: the checks, the page (when asked), and the `maxKs` gate.
 * @param distributions the job's report
 * @param job what the page shows besides the checks
 * @returns the checks, for the job's report
 * @throws ArrowBalanceError when a distance exceeds `maxKs`
 */
export function finishDistributions(
  distributions: JobDistributions,
  job: { readonly name: string; readonly summary: string; readonly input: ClassCounts; readonly output: ClassCounts | undefined; readonly recipe: ReadonlyArray<readonly [string, string]> },
): DistributionCheck[] {
  const values = job.input.values();
  const keys = values.map(classKey);
  const classNames = new Map(values.map((value) => [classKey(value), showClass(value)]));
  const checks = job.output === undefined ? [] : distributions.samples.checks(keys);
  return finishDistributionReport(
    checks,
    {
      job: job.name,
      summary: job.summary,
      classes: values.map((value) => ({ label: showClass(value), input: job.input.count(value), output: job.output?.count(value) })),
      classNames,
      listed: distributions.columns.listed,
      other: distributions.columns.other,
      sampleSize: distributions.samples.settings.size,
      recipe: job.recipe,
    },
    distributions.options,
  );
}
