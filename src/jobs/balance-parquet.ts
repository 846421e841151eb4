import { availableParallelism } from 'node:os';
import type { RecordBatch, Schema } from 'apache-arrow';
import { ClassCounts } from '../classes/class-counts.js';
import { ClassTally } from '../classes/class-tally.js';
import { LabelCoder } from '../classes/label-coder.js';
import type { NullPolicy } from '../classes/label-coder.js';
import type { DataFormat } from '../ipc/ipc-format.js';
import { Spool } from '../ipc/spool.js';
import { randomSeed, seededRandom } from '../random.js';
import { prepareBalance, type BalanceEngine } from '../sampling/balance-engine.js';
import type { BalanceMode, BalanceOptions } from '../sampling/balance-options.js';
import { DEFAULT_CAPACITY } from '../sampling/reservoir.js';
import { ShuffleBuffer } from '../sampling/shuffle.js';
import { validateTargetSpec, type Strategy, type TargetSpec } from '../sampling/target-spec.js';
import { ArrowBalanceError } from '../errors.js';
import { planBalance, type BalancePlan } from '../plan/balance-plan.js';
import { StitchedWriter } from '../parquet/stitch/stitched-writer.js';
import { resolveSources, type ParquetSource } from '../parquet/sources.js';
import { executePlan } from './plan-executor.js';
import { prewarmWorker } from '../parquet/wasm/worker-pool.js';
import { PlanRunner } from '../plan/plan-runner.js';
import { resolveTargets } from '../sampling/targets.js';
import { countUnits } from './count-units.js';
import { yieldToEventLoop } from './event-loop.js';
import { expectedOutputCounts } from './expected-output.js';
import { REPORT_METADATA_KEY, type BalanceProgress, type BalanceReport } from './balance-report.js';
import { inputNames, storedReport } from './job-report.js';
import { outputWriteOptions, refuseInputAsOutput, checkReportPath, writeParquetJob, type ParquetOutputOptions } from './parquet-output.js';
import { isArrowInput, isRereadable, pinnedJobInput, type JobInput } from './job-input.js';
import { createJobWriter, outputFormat, type JobOutput, type JobWriter } from './job-output.js';
import { finishDistributions, parquetSchema, planSampling, prepareDistributions, type JobDistributions } from './balance-distributions.js';
import type { DistributionCheck } from '../report/distribution-checks.js';
import type { DistributionReportOptions } from '../report/distribution-report.js';
import { formatCount } from '../text/format-count.js';

/**
 * Rows per batch of the balancing pass: a whole row group of usual size (parquet-wasm never joins row
 * groups into one batch). Fewer, larger batches than `fromParquet`'s default of 65,536 cost less per row
 * (each batch is a message from the worker, a plan and a gather): 0.85-0.90 s against 0.86-0.93 s on
 * 5,000,000 rows in row groups of 122,880, for a larger decoder heap (one decoded row group, not half).
 */
const BALANCE_PASS_BATCH_ROWS = 131_072;
/** Most worker threads a job may ask for. */
const MAX_WORKERS = 64;

/** Options of {@link balanceParquet}: what to balance and how, and the output's. */
export interface BalanceParquetOptions extends ParquetOutputOptions<BalanceProgress> {
  /** The label column. */
  readonly label: string;
  /** `'under'` (default), `'over'` or `'hybrid'`. */
  readonly strategy?: Strategy | undefined;
  /** imbalanced-learn's `sampling_strategy`, `{ class: rows }` or proportions; default `'auto'`. */
  readonly target?: TargetSpec | undefined;
  /** `'exact'` (default: a first pass counts classes), `'reservoir'` (one pass) or `'online'`. */
  readonly mode?: BalanceMode | undefined;
  /** Random seed; drawn and reported when absent. */
  readonly seed?: number | string | undefined;
  /** Null labels: `'error'` (default), `'drop'` or `'class'`. */
  readonly nulls?: NullPolicy | undefined;
  /** Distinct label values accepted (default 100,000, at most 2^24); one more stops the job at once (an id column, not classes). */
  readonly maxClasses?: number | undefined;
  /** Adds a Float64 column of that name holding n_c / k_c. */
  readonly importanceWeight?: string | undefined;
  /** Reservoir rows per class (reservoir mode). */
  readonly capacity?: number | undefined;
  /** Shuffle the output through a buffer of this many rows (spreads replicated rows apart). */
  readonly shuffle?: number | undefined;
  /**
   * Worker threads decoding row groups in parallel in the second pass of a streamed job (reservoir and
   * online modes, or exact mode with `shuffle`; parquet-wasm; default 1); see `workers` for exact mode. The
   * writer encodes in one of them. More decode faster on more free cores, each with its own wasm heap
   * (about 50 MB). The first pass decodes only the label column, a few requests, with one.
   */
  readonly decoders?: number | undefined;
  /**
   * Worker threads that run the plan's units in exact mode (default: the cores available). Each reads,
   * decodes, samples and encodes whole row groups; the file is the same bytes whatever the number. Used
   * with the default engine and without `shuffle` (which orders the whole output in one buffer).
   */
  readonly workers?: number | undefined;
  /**
   * The output's format: `'parquet'`, `'arrow'` (Arrow IPC file, Feather v2) or `'arrows'` (Arrow IPC
   * stream). Default: from the output's extension (`.arrow`, `.feather`, `.arrows`; anything else Parquet),
   * an IPC stream for a stream output. The Parquet options (`compression`, `rowGroupSize`, `engine`) apply to
   * Parquet output only; Arrow IPC output keeps the batches as they are sampled.
   */
  readonly format?: DataFormat | undefined;
  /**
   * Check that each class kept its distribution: sample both sides, give each (class, numeric column) its
   * Kolmogorov-Smirnov distance in the report's `ks`, and write an HTML page (see `src/report/`).
   */
  readonly report?: DistributionReportOptions | undefined;
}

/**
 * Balances Parquet file(s) or Arrow IPC into one balanced Parquet file (or Arrow IPC file or stream),
 * streaming with bounded memory.
 *
 * Exact by default: a first pass reads only the label column to count classes, a second pass streams
 * every row through exact selection sampling, so output counts are exact. `mode: 'reservoir'` does one
 * pass. The output is written atomically (nothing appears unless the job succeeds) and its key-value
 * metadata holds the report under the key `arrow-balance` (Arrow IPC output: its schema's metadata).
 *
 * Exact mode with Parquet input and output runs as a plan on worker threads; every other combination runs
 * the same plan in one pipeline (as the `parquetjs-lite` engine does), so for a given seed an Arrow IPC
 * output holds the rows a Parquet output holds. Arrow IPC input has no row groups: its units are ranges of
 * 122,880 rows. An IPC stream read once (stdin) is copied to a temporary file while the count pass reads it,
 * and the sampling pass reads the copy (see `Spool`); reservoir and online modes read it once, without a copy.
 *
 * Memory: a couple of row groups (Arrow IPC: a record batch or two), plus the reservoirs (capacity x classes rows, in row groups pinning at
 * most 4 x capacity x classes rows) in reservoir mode and the shuffle buffer when asked for.
 *
 * ## Example
 * ```ts
 * const report = await balanceParquet('samples/mammography.parquet', 'out/balanced.parquet', {
 *   label: 'label', strategy: 'under', seed: 42,
 * });
 * console.log(report.outputCounts); // { total: 520, classes: [{ value: -1, count: 260 }, { value: 1, count: 260 }] }
 * ```
 * @param input a file, a list of files or a directory, as `fromParquet` takes, or `{ arrow: source }` with a
 *   source `fromArrow` takes (a path, bytes, or a byte stream such as `process.stdin`)
 * @param output the file to write, or a writable stream (Arrow IPC)
 * @param options what to balance and how to write it
 * @returns the report
 */
export async function balanceParquet(input: JobInput, output: JobOutput, options: BalanceParquetOptions): Promise<BalanceReport> {
  const started = performance.now();
  const mode = options.mode ?? 'exact';
  const seed = options.seed ?? randomSeed();
  const strategy = options.strategy ?? 'under';
  const warnings: string[] = [];
  const balanceOptions = (counts?: ClassCounts): BalanceOptions => ({
    label: options.label,
    strategy,
    mode,
    seed,
    onWarning: (message) => warnings.push(message),
    ...defined({ target: options.target, nulls: options.nulls, maxClasses: options.maxClasses, importanceWeight: options.importanceWeight, capacity: options.capacity, counts }),
  });
  // Check every option before reading anything (exact targets are checked against the counts later).
  if (mode === 'exact') validateTargetSpec(options.target ?? 'auto', strategy);
  if (mode === 'exact' && options.capacity !== undefined) throw new ArrowBalanceError('capacity is used only by mode "reservoir"');
  prepareBalance(mode === 'exact' ? { ...balanceOptions(), mode: 'online', target: undefined } : balanceOptions());
  const decoders = options.decoders ?? 1;
  const workers = checkWorkers(options.workers);
  const shuffle = options.shuffle === undefined ? undefined : new ShuffleBuffer(options.shuffle, seededRandom(`${String(seed)}/shuffle`));

  const inputTally = new ClassTally();
  const nulls = options.nulls ?? 'error';
  const { maxClasses } = options;
  const inputCoder = new LabelCoder({ label: options.label, nulls, maxClasses });
  const outputTally = new ClassTally();
  const outputCoder = new LabelCoder({ label: options.label, nulls, maxClasses });
  let inputCounts: ClassCounts | undefined;
  let rowsRead = 0;
  let rowsWritten = 0;
  const names = inputNames(input);
  let ks: DistributionCheck[] | undefined;
  /** The report at the end (`seconds` given), or as far as known at the first write (for the file's metadata). */
  const reportSoFar = (seconds?: number): BalanceReport => ({
    input: names,
    output: writerPath,
    label: options.label,
    strategy,
    mode,
    target: options.target ?? 'auto',
    seed,
    capacity: mode === 'reservoir' ? (options.capacity ?? DEFAULT_CAPACITY) : null,
    shuffle: options.shuffle ?? null,
    importanceWeight: options.importanceWeight ?? null,
    inputCounts: (inputCounts ?? inputTally.snapshot(inputCoder)).toJSON(),
    outputCounts: outputCountsSoFar(seconds !== undefined),
    rowsRead,
    rowsWritten,
    warnings,
    ks: ks ?? null,
    seconds: seconds ?? 0,
  });
  // Exact mode knows its output counts in advance; reservoir mode has sampled everything before its first
  // write; online mode knows them only at the end.
  const outputCountsSoFar = (atEnd: boolean): BalanceReport['outputCounts'] => {
    // Parts come encoded from the workers: the plan's counts are the output's.
    if (stitched !== undefined && inputCounts !== undefined) return expectedOutputCounts(inputCounts, strategy, options.target).toJSON();
    if (atEnd) return outputTally.snapshot(outputCoder).toJSON();
    if (mode === 'exact' && inputCounts !== undefined) return expectedOutputCounts(inputCounts, strategy, options.target).toJSON();
    return mode === 'online' ? null : outputTally.snapshot(outputCoder).toJSON();
  };
  // Evaluated when the single writer writes its first batch (by then the output counts are known except in
  // online mode), or when the stitched file is finished.
  const writeOptions = outputWriteOptions(options, () => ({ [REPORT_METADATA_KEY]: JSON.stringify(storedReport(reportSoFar())) }));
  const format = outputFormat(output, options.format);
  // Resolved once: both passes read the same files, and the same versions of URLs (ETags pinned).
  const source = await pinnedJobInput(input);
  await refuseInputAsOutput(source, output);
  if (options.report?.path !== undefined) await checkReportPath(source, output, options.report?.path);
  const arrowInput = isArrowInput(input);
  // Before any output exists, a bad report column fails the job with nothing created; an Arrow IPC input's
  // schema is known once it is open (a stream is read once).
  const reportFor = (schema: Schema): JobDistributions | undefined =>
    options.report === undefined
      ? undefined
      : prepareDistributions(schema, options.report, { label: options.label, nulls, seed: String(seed), added: options.importanceWeight === undefined ? [] : [options.importanceWeight] });
  // Exact mode runs a plan of row-group units (see src/plan) on worker threads that encode parts, stitched
  // into one Parquet file; the other modes, the pure-JavaScript engine, a shuffle, Arrow IPC input (no row
  // groups for workers to fetch alone) and Arrow IPC output (nothing to stitch) stream batches through one writer.
  const onWorkers = mode === 'exact' && writeOptions.engine === 'parquet-wasm' && shuffle === undefined && format === 'parquet' && !arrowInput;
  // Every worker boots (a new isolate, parquet-wasm compiled) while the schema is read and the count pass runs.
  if (onWorkers) prewarmWorker(workers);
  let distributions = options.report === undefined || arrowInput ? undefined : reportFor(await parquetSchema(source as ParquetSource, options.engine));
  const stitched = onWorkers ? StitchedWriter.create(output as string, writeOptions) : undefined;
  const writer: JobWriter = stitched ?? createJobWriter(output, format, writeOptions);
  const writerPath = writer.path;
  const checkAborted = (): void => options.signal?.throwIfAborted();
  // A stream read once (stdin) that exact mode must read twice: copied while the count pass reads it.
  const spool = arrowInput && mode === 'exact' && !isRereadable(input) ? Spool.create() : undefined;
  try {
    await writeParquetJob(writer, options.signal, async (open) => {
      const progress = (phase: BalanceProgress['phase']): void =>
        options.onProgress?.({ phase, rowsRead, rowsTotal: inputCounts?.total, rowsWritten });
      const planExact = async (): Promise<BalancePlan> => {
        const teed = spool === undefined || !arrowInput ? undefined : spool.tee(input.arrow as AsyncIterable<Uint8Array>);
        const units = await countUnits(source, { label: options.label, nulls: options.nulls, maxClasses, engine: options.engine }, options, teed);
        spool?.finish();
        inputCounts = units.counts;
        // Checks the target against the counts, with the same messages as the balance() operator.
        prepareBalance(balanceOptions(inputCounts));
        const targets = resolveTargets(inputCounts, strategy, options.target);
        return planBalance(units.places, units.unitRows, (code) => units.coder.value(code), inputCounts, targets, strategy, seed);
      };
      const sampling = { label: options.label, nulls, importanceWeight: options.importanceWeight, maxClasses };
      let units: number | undefined;
      const finishReport = (): void => {
        if (distributions === undefined) return;
        const inputs = inputCounts ?? inputTally.snapshot(inputCoder);
        const outputs = stitched !== undefined ? expectedOutputCounts(inputs, strategy, options.target) : outputTally.snapshot(outputCoder);
        ks = finishDistributions(distributions, {
          name: 'balance',
          summary: `${strategy}-sampling (${mode}) of ${formatCount(rowsRead)} rows into ${formatCount(outputs.total)}`,
          input: inputs,
          output: outputs,
          recipe: recipeOf(reportSoFar(), units, workers, (performance.now() - started) / 1000),
        });
      };
      if (stitched !== undefined) {
        const plan = await planExact();
        units = plan.units.length;
        const report = distributions === undefined ? undefined : { samples: distributions.samples, rates: planSampling(distributions, plan.classes) };
        await executePlan(await resolveSources(source as ParquetSource), plan, {
          report,
          workers,
          sampling,
          encode: { compression: writeOptions.compression, rowGroupSize: writeOptions.rowGroupSize },
          signal: options.signal,
          onPart: (part, rowsIn, rowsOut) => {
            stitched.append(part);
            rowsRead += rowsIn;
            rowsWritten += rowsOut;
            progress('balance');
          },
        });
        finishReport();
        return;
      }
      // Exact and online modes finish with each input batch before the next (their output is gathered into
      // new buffers, or written at once), so its memory may be reused; reservoirs and the shuffle buffer keep rows.
      const transient = mode !== 'reservoir' && shuffle === undefined;
      // The balancing pass opens, and decodes its first row groups, while the count pass runs: the worker
      // decodes them while this thread tallies labels. Arrow IPC input opens after the count pass (its copy,
      // when it is a stream, is complete only then).
      const openPass = () => open(source, { engine: options.engine, decoders, batchSize: BALANCE_PASS_BATCH_ROWS, transient }, spool?.path);
      let opening = arrowInput ? undefined : openPass();
      const early = opening?.then((reader) => reader.next());
      early?.catch(() => undefined);
      let engine: BalanceEngine | undefined;
      // Exact mode on this thread (pure-JavaScript engine, a shuffle, Arrow IPC): the same plan, run in order.
      let runner: PlanRunner | undefined;
      try {
        if (mode === 'exact') runner = new PlanRunner(await planExact(), sampling);
        else engine = prepareBalance(balanceOptions())();
      } catch (error) {
        // Let the balancing pass's reader be opened (and so closed with the job) before giving up.
        await opening?.catch(() => undefined);
        throw error;
      }
      opening ??= openPass();
      const firstBatches = early ?? opening.then((reader) => reader.next());
      // Awaited after `opening`: should that fail, this one is left unawaited.
      firstBatches.catch(() => undefined);
      const reader = await opening;
      distributions ??= reportFor(reader.schema);
      const inputTap = distributions?.samples.tap('input');
      const outputTap = distributions?.samples.tap('output');
      let sampledRows = 0;
      const write = async (sampled: readonly RecordBatch[]): Promise<void> => {
        for (const batch of sampled) {
          outputTally.add(outputCoder.encode(batch));
          outputTap?.push(batch, sampledRows);
          sampledRows += batch.numRows;
        }
        for (const batch of sampled) {
          for (const shuffled of shuffle === undefined ? [batch] : shuffle.push(batch)) {
            await writer.room();
            writer.write(shuffled);
            rowsWritten += shuffled.numRows;
          }
        }
      };
      for (let batches = await firstBatches; batches !== null; batches = await reader.next()) {
        for (const batch of batches) {
          if (inputCounts === undefined) inputTally.add(inputCoder.encode(batch));
          inputTap?.push(batch, rowsRead);
          rowsRead += batch.numRows;
          await write(runner === undefined ? (engine as BalanceEngine).push(batch) : runner.push(batch));
        }
        await yieldToEventLoop();
        checkAborted();
        progress('balance');
      }
      // Reservoir and online modes meet an empty input here (exact mode's count pass refused it already).
      if (inputCounts === undefined && inputTally.total === 0) {
        throw new ArrowBalanceError('balancing needs at least two classes but the input has no labelled rows; check that it is not empty and that its labels are not all null');
      }
      if (runner === undefined) await write((engine as BalanceEngine).finish());
      else runner.finish();
      for (const batch of shuffle?.finish() ?? []) {
        await writer.room();
        writer.write(batch);
        rowsWritten += batch.numRows;
      }
      finishReport();
    });
  } finally {
    spool?.remove();
  }
  return reportSoFar((performance.now() - started) / 1000);
}

/** The `workers` option, checked (default: the cores available). */
function checkWorkers(workers: number | undefined): number {
  if (workers === undefined) return availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new ArrowBalanceError(`workers must be an integer from 1 to ${MAX_WORKERS}, got ${String(workers)}`);
  }
  return workers;
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The facts of a run, as the report page lists them (`units`: the plan's, when it ran on workers). */
function recipeOf(report: BalanceReport, units: number | undefined, workers: number, seconds: number): Array<[string, string]> {
  return [
    ['input', report.input.join(', ')],
    ['output', report.output],
    ['label', report.label],
    ['strategy', report.strategy],
    ['mode', report.mode],
    ['plan', units === undefined ? 'one pipeline' : `${formatCount(units)} units (row groups), ${workers} worker thread(s)`],
    ['target', typeof report.target === 'string' ? report.target : JSON.stringify(report.target)],
    ['seed', String(report.seed)],
    ['importance weight', report.importanceWeight ?? 'none'],
    ['shuffle buffer', report.shuffle === null ? 'none' : String(report.shuffle)],
    ['rows read', formatCount(report.rowsRead)],
    ['seconds so far', seconds.toFixed(2)],
  ];
}
