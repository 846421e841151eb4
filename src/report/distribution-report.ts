/**
 * What a job needs to show that each class kept its distribution: one bottom-k sample per side (see
 * `class-samples.ts`), fed on the main thread or merged from workers, and the checks and page at the end.
 */
import { writeFileSync } from 'node:fs';
import { ArrowBalanceError } from '../errors.js';
import { TempFile } from '../parquet/temp-file.js';
import { escapeText } from '../text/escape-text.js';
import { ClassSamples, type ClassSamplesData } from './class-samples.js';
import { checkDistributions, checkSummary, type DistributionCheck, type DrawnCheck } from './distribution-checks.js';
import type { ReportColumns } from './report-columns.js';
import { reportPage, type ReportModel } from './report-page.js';
import { SampleTap } from './sample-tap.js';
import type { NullPolicy } from '../classes/label-coder.js';

/** Rows sampled per class and side by default: the KS distance is then within about 0.05 of the whole class's (95 %). */
export const DEFAULT_SAMPLE_SIZE = 4096;

/** What a job is asked to check and show (API; the CLI's `--report`, `--report-columns`, `--max-ks`). */
export interface DistributionReportOptions {
  /** Write the HTML page here (atomically). */
  readonly path?: string | undefined;
  /** Columns to check; default: the first `limit` numeric columns. */
  readonly columns?: readonly string[] | undefined;
  /** Most columns checked when none are chosen (default 12). */
  readonly limit?: number | undefined;
  /** Rows sampled per class and side (default 4,096). */
  readonly sampleSize?: number | undefined;
  /** Fail the job, before its output is moved into place, when a class's KS distance in a column is larger. */
  readonly maxKs?: number | undefined;
}

/** How the sides are sampled: the same for a tap on the main thread and in a worker. */
export interface SampleSettings {
  readonly seed: string;
  readonly label: string;
  readonly nulls: NullPolicy;
  readonly columns: readonly string[];
  readonly size: number;
}

/** Both sides' samples of one job. */
export class DistributionSamples {
  readonly input: ClassSamples;
  readonly output: ClassSamples;

  constructor(readonly settings: SampleSettings) {
    this.input = new ClassSamples(settings.size);
    this.output = new ClassSamples(settings.size);
  }

  /** A tap feeding one side here (one pipeline on this thread). */
  tap(side: 'input' | 'output'): SampleTap {
    return new SampleTap({ ...this.settings, side }, side === 'input' ? this.input : this.output);
  }

  /**
   * Adds a worker's samples, without their rows seen: a plan knows every class's rows on both sides (call
   * {@link ClassSamples.see} with them), and column slices of one row group each see all its rows.
   * @param samples a task's samples
   * @param joins whether other samples held the same rows (column slices of one row group)
   */
  merge(samples: { readonly input: ClassSamplesData; readonly output: ClassSamplesData }, joins: boolean): void {
    this.input.merge(samples.input, false, joins);
    this.output.merge(samples.output, false, joins);
  }

  /** The checks of every class (in the given order) in every column. */
  checks(classes: readonly string[]): DrawnCheck[] {
    return checkDistributions(this.input, this.output, classes, this.settings.columns);
  }
}

/**
 * Ends a job's report: writes the page (when asked) and refuses a distance over the limit.
 * @param checks the checks
 * @param model the page's other parts
 * @param options the job's report options
 * @returns the checks without their values (for `--json` and the file's metadata)
 * @throws ArrowBalanceError when a distance exceeds `maxKs` (after the page is written)
 */
export function finishDistributionReport(checks: readonly DrawnCheck[], model: Omit<ReportModel, 'checks'>, options: DistributionReportOptions): DistributionCheck[] {
  if (options.path !== undefined) writeReportPage(options.path, { ...model, checks });
  if (options.maxKs !== undefined) {
    const over = checks.filter((check) => check.ks > (options.maxKs as number));
    if (over.length > 0) {
      const worst = over.reduce((a, b) => (b.ks > a.ks ? b : a));
      const name = model.classNames.get(worst.class) ?? worst.class;
      throw new ArrowBalanceError(
        `${over.length} class and column pair(s) moved more than --max-ks ${options.maxKs}: the largest, class ${escapeText(name)} in column "${escapeText(worst.column)}", by ${worst.ks.toFixed(4)}; the output was not written (see the report, or raise --max-ks)`,
      );
    }
  }
  return checks.map(checkSummary);
}

/** Reporting columns as the page lists them. */
export type { ReportColumns };

/**
 * Writes a report page atomically: into a hidden temporary file in the same folder, renamed when complete
 * (an existing page is replaced).
 * @throws ArrowBalanceError when the folder is missing or not writable
 */
export function writeReportPage(path: string, model: ReportModel): void {
  const file = TempFile.create(path, true);
  try {
    writeFileSync(file.fd, reportPage(model));
    file.commit();
  } catch (error) {
    file.discard();
    file.close();
    throw error;
  }
}
