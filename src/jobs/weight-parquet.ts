import { resolve } from 'node:path';
import type { ClassCounts, ClassCountsJSON } from '../classes/class-counts.js';
import { classKey, showClass } from '../classes/class-value.js';
import type { ClassValue } from '../classes/class-value.js';
import type { NullPolicy } from '../classes/label-options.js';
import type { DataFormat } from '../ipc/ipc-format.js';
import { Spool } from '../ipc/spool.js';
import { isArrowInput, isRereadable, type JobInput } from './job-input.js';
import { createJobWriter, outputFormat, type JobOutput } from './job-output.js';
import { byClassKey, weightsFromCounts } from '../weights/class-weights.js';
import type { WeightScheme } from '../weights/schemes.js';
import { WeightEngine } from '../weights/weight-engine.js';
import { checkWeightOptions } from '../weights/weight-options.js';
import type { WeightColumnType, WeightOptions } from '../weights/weight-options.js';
import { yieldToEventLoop } from './event-loop.js';
import { countPass } from './count-parquet.js';
import { REPORT_METADATA_KEY } from './balance-report.js';
import { inputNames, storedReport } from './job-report.js';
import { writeReportPage } from '../report/distribution-report.js';
import { outputWriteOptions, PARQUET_OUTPUT_OPTIONS, refuseInputAsOutput, checkReportPath, writeParquetJob, type ParquetOutputOptions } from './parquet-output.js';
import { formatCount } from '../text/format-count.js';

/** Options of {@link weightParquet}: the `weight()` options (but `counts`, which the first pass finds) and the output's. */
export interface WeightParquetOptions extends Omit<WeightOptions, 'counts'>, ParquetOutputOptions<WeightProgress> {
  /**
   * The output's format: `'parquet'`, `'arrow'` (Arrow IPC file) or `'arrows'` (Arrow IPC stream). Default:
   * from the output's extension (`.arrow`, `.feather`, `.arrows`; anything else Parquet), an IPC stream for a
   * stream output.
   */
  readonly format?: DataFormat | undefined;
  /** Write an HTML page of the classes, their weights, weighted totals and effective sample size here. */
  readonly report?: { readonly path: string } | undefined;
}

/** Where a running {@link weightParquet} is. */
export interface WeightProgress {
  /** `'count'`: the first pass over the label column; `'weight'`: the pass that writes. */
  readonly phase: 'count' | 'weight';
  readonly rowsRead: number;
  /** Rows to weight (known after the count pass). */
  readonly rowsTotal: number | undefined;
  readonly rowsWritten: number;
}

/**
 * What {@link weightParquet} did. Also stored in the output's key-value metadata (key `arrow-balance`), without
 * `seconds`, `rowsRead` and `rowsWritten`, which are known only at the end (the rows written are `inputCounts.total`).
 */
export interface WeightReport {
  /** The input file(s), as given. */
  readonly input: readonly string[];
  /** The output file (absolute path), or `<stream>`. */
  readonly output: string;
  readonly label: string;
  /** The weight column. */
  readonly column: string;
  readonly type: WeightColumnType;
  readonly scheme: WeightScheme;
  /** The effective scheme's beta; null for the other schemes. */
  readonly beta: number | null;
  readonly nulls: NullPolicy;
  /** Rows per class in the input (null labels left out under `nulls: 'drop'`); its total is the rows written. */
  readonly inputCounts: ClassCountsJSON;
  /** The weight of each class with rows, in value order, before rounding to the column's type. */
  readonly weights: ReadonlyArray<{ readonly value: number | string | boolean | null; readonly weight: number }>;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  /** Wall time of the whole job. */
  readonly seconds: number;
}

/**
 * Writes a copy of Parquet file(s) or Arrow IPC with a class-weight column: every input row, with its weight.
 *
 * A first pass reads only the label column to count classes, so the weights are exact from the first row;
 * a second pass streams the rows through the `weight()` engine into the output. The output is written
 * atomically (nothing appears unless the job succeeds; on any error the temporary file is removed) and its
 * key-value metadata holds the report under the key `arrow-balance`. The output may not be one of the inputs.
 * Arrow IPC input or output works as for `balanceParquet` (an IPC stream read once is copied to a temporary
 * file during the count pass, and the weighting pass reads the copy).
 *
 * Memory: a couple of row groups, plus O(classes).
 *
 * ## Example
 * ```ts
 * const report = await weightParquet('samples/mammography.parquet', 'out/weighted.parquet', { label: 'label' });
 * console.log(report.weights); // [{ value: -1, weight: 0.5119… }, { value: 1, weight: 21.505… }]
 * ```
 * @param input a file, a list of files or a directory, as `fromParquet` takes, or `{ arrow: source }`
 * @param output the file to write, or a writable stream (Arrow IPC)
 * @param options the weight options (label, scheme, beta, classWeights, column, type, nulls, replace) and the output's
 * @returns the report
 * @throws TypeError / RangeError for a bad option (before anything is read); ArrowBalanceError for bad input or output
 */
export async function weightParquet(input: JobInput, output: JobOutput, options: WeightParquetOptions): Promise<WeightReport> {
  const started = performance.now();
  const { compression, rowGroupSize, engine, overwrite, onProgress, signal, format: formatOption, report: page, ...weightOptions } = options;
  const checked = checkWeightOptions(weightOptions, 'weightParquet()', [...PARQUET_OUTPUT_OPTIONS, 'format']);
  const format = outputFormat(output, formatOption);
  let counted: Pick<WeightReport, 'inputCounts' | 'weights'> = { inputCounts: { total: 0, classes: [] }, weights: [] };
  let rowsRead = 0;
  let rowsWritten = 0;
  const names = inputNames(input);
  const report = (seconds: number): WeightReport => ({
    input: names,
    output: typeof output === 'string' ? resolve(output) : writer.path,
    label: checked.label,
    column: checked.column,
    type: checked.type,
    scheme: checked.scheme.scheme,
    beta: checked.scheme.scheme === 'effective' ? checked.scheme.beta : null,
    nulls: checked.nulls,
    ...counted,
    rowsRead,
    rowsWritten,
    seconds,
  });
  // Called at the first write, after the count pass: everything is known but the timing and the row totals.
  const writeOptions = outputWriteOptions(options, () => ({ [REPORT_METADATA_KEY]: JSON.stringify(storedReport(report(0))) }));
  await refuseInputAsOutput(input, output);
  if (page?.path !== undefined) await checkReportPath(input, output, page?.path);
  const writer = createJobWriter(output, format, writeOptions);
  // A stream read once (stdin) is copied while the count pass reads it; the weighting pass reads the copy.
  const spool = isArrowInput(input) && !isRereadable(input) ? Spool.create() : undefined;
  try {
    await writeParquetJob(writer, signal, async (open) => {
      const teed = spool === undefined || !isArrowInput(input) ? undefined : spool.tee(input.arrow as AsyncIterable<Uint8Array>);
      const counts = await countPass(input, { label: checked.label, nulls: checked.nulls, maxClasses: checked.maxClasses, engine }, options, teed);
      spool?.finish();
      const weights = new WeightEngine(checkWeightOptions({ ...weightOptions, counts }, 'weightParquet()', [...PARQUET_OUTPUT_OPTIONS, 'format']));
      counted = { inputCounts: counts.toJSON(), weights: weightList(counts, weightsFromCounts(counts, checked.scheme)) };
      // Transient: each batch is weighted and written (serialised) at once, so its memory may be reused.
      const reader = await open(input, { engine, transient: true }, spool?.path);
      weights.checkSchema(reader.schema);
      for (let batches = await reader.next(); batches !== null; batches = await reader.next()) {
        await yieldToEventLoop();
        // after every wait: an abort that came meanwhile (or from onProgress) stops the job with the signal's reason
        signal?.throwIfAborted();
        for (const batch of batches) {
          rowsRead += batch.numRows;
          const weighted = weights.push(batch);
          await writer.room();
          writer.write(weighted);
          rowsWritten += weighted.numRows;
        }
        onProgress?.({ phase: 'weight', rowsRead, rowsTotal: counts.total, rowsWritten });
      }
      signal?.throwIfAborted();
      if (page !== undefined) writeWeightPage(page.path, report((performance.now() - started) / 1000), counts);
    });
  } finally {
    spool?.remove();
  }
  return report((performance.now() - started) / 1000);
}

/** The weight of each class with rows, in the counts' value order, with JSON-safe values. */
function weightList(counts: ClassCounts, weights: ReadonlyMap<ClassValue, number>): WeightReport['weights'] {
  const byKey = byClassKey(weights);
  return counts.toJSON().classes
    .filter((entry) => entry.count > 0)
    .map((entry) => ({ value: entry.value, weight: byKey.get(classKey(entry.value)) as number }));
}

/** The weighting's page: rows per class, each class's weight and weighted total, and the effective sample size. */
function writeWeightPage(path: string, report: WeightReport, counts: ClassCounts): void {
  const weights = byClassKey(new Map(report.weights.map(({ value, weight }) => [value as ClassValue, weight])));
  const classes = counts.values().map((value) => ({ label: showClass(value), weight: weights.get(classKey(value)) ?? 0, rows: counts.count(value) }));
  const sum = classes.reduce((total, c) => total + c.rows * c.weight, 0);
  const squares = classes.reduce((total, c) => total + c.rows * c.weight * c.weight, 0);
  writeReportPage(path, {
    job: 'weight',
    summary: `${report.scheme} class weights in column "${report.column}" for ${formatCount(report.rowsRead)} rows`,
    classes: classes.map((c) => ({ label: c.label, input: c.rows, output: undefined })),
    classNames: new Map(),
    checks: [],
    listed: [],
    other: [],
    sampleSize: 0,
    weights: { classes, effectiveSize: squares === 0 ? 0 : (sum * sum) / squares },
    recipe: [
      ['input', report.input.join(', ')],
      ['output', report.output],
      ['label', report.label],
      ['scheme', report.beta === null ? report.scheme : `${report.scheme} (beta ${report.beta})`],
      ['weight column', `${report.column} (${report.type})`],
      ['nulls', report.nulls],
      ['rows read', formatCount(report.rowsRead)],
      ['seconds so far', report.seconds.toFixed(2)],
    ],
  });
}
