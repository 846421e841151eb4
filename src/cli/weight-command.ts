import { parseArgs } from 'node:util';
import { ClassCounts } from '../classes/class-counts.js';
import { weightParquet } from '../jobs/weight-parquet.js';
import type { WeightProgress } from '../jobs/weight-parquet.js';
import { WEIGHT_SCHEMES } from '../weights/schemes.js';
import type { WeightScheme } from '../weights/schemes.js';
import type { WeightColumnType } from '../weights/weight-options.js';
import { UsageError } from './cli-error.js';
import { writeLines, type CommandIo } from './command-io.js';
import { withInterrupts } from './interrupt.js';
import { joinNegativeValues, parseNulls } from './parse-values.js';
import { OUTPUT_JOB_OPTIONS, oneOf, outputJobArgs } from './output-job-args.js';
import { progressLine } from './progress.js';
import { weightTableLines } from './weight-table.js';
import { escapeText, jsonText } from '../text/escape-text.js';
import { formatCount } from '../text/format-count.js';

const OPTIONS = {
  ...OUTPUT_JOB_OPTIONS,
  scheme: { type: 'string' },
  beta: { type: 'string' },
  'class-weight': { type: 'string', multiple: true },
  column: { type: 'string' },
  type: { type: 'string' },
  replace: { type: 'boolean', default: false },
  report: { type: 'string' },
} as const;

/**
 * `arrow-balance weight <input...> --label <column> -o <file> [--scheme ...] [--beta <b>] [--class-weight <class>=<w> ...]
 * [--column <name>] [--type float32|float64] [--nulls ...] [--replace] [--compression ...] [--row-group-size <n>]
 * [--engine ...] [--force] [--json] [--quiet]`: writes a copy of the input with a class-weight column.
 *
 * Prints the class table with the weights (or, with `--json`, the report) on stdout; progress on stderr when it
 * is a terminal.
 *
 * @param args the arguments after `weight`
 * @param io where output goes
 * @throws UsageError for a usage mistake; ArrowBalanceError when the job fails
 */
export async function weightCommand(args: readonly string[], io: CommandIo): Promise<void> {
  const { values, positionals } = parseArgs({ args: joinNegativeValues(args, OPTIONS), allowPositionals: true, options: OPTIONS });
  const { input, output, toStdout, ...writeArgs } = outputJobArgs('weight', values, positionals, io.stdout ?? process.stdout);
  // With -o -, stdout carries the Arrow IPC stream alone: the table (or JSON) goes to stderr.
  const say = toStdout ? io.err : io.out;
  const classWeights = values['class-weight'] === undefined ? undefined : parseClassWeights(values['class-weight']);
  const scheme = (oneOf('scheme', values.scheme, WEIGHT_SCHEMES) ?? (classWeights === undefined ? 'balanced' : 'manual')) as WeightScheme;
  if (scheme === 'manual' && classWeights === undefined) throw new UsageError('--scheme manual needs --class-weight <class>=<weight> for every class');
  if (scheme !== 'manual' && classWeights !== undefined) throw new UsageError(`--class-weight is used only by --scheme manual, not ${scheme}`);
  if (values.beta !== undefined && scheme !== 'effective') throw new UsageError(`--beta is used only by --scheme effective, not ${scheme}`);
  if (values.column === '') throw new UsageError('--column needs a column name');
  const line = values.quiet || !io.errIsTerminal ? undefined : progressLine((text) => io.err(text.replace('balancing:', 'weighting:')));
  const onProgress = line === undefined
    ? undefined
    : (progress: WeightProgress) => line.onProgress({ ...progress, phase: progress.phase === 'count' ? 'count' : 'balance' });
  const options = {
    ...writeArgs,
    scheme,
    beta: values.beta === undefined ? undefined : parseBeta(values.beta),
    classWeights,
    column: values.column,
    type: oneOf('type', values.type, ['float32', 'float64']) as WeightColumnType | undefined,
    nulls: values.nulls === undefined ? undefined : parseNulls(values.nulls),
    replace: values.replace,
    report: values.report === undefined ? undefined : { path: values.report },
    onProgress,
  };
  const report = await withInterrupts((signal) => weightParquet(input, output, { ...options, signal })).finally(() => line?.done());
  if (values.json) {
    say(`${jsonText(report)}\n`);
    return;
  }
  const counts = ClassCounts.fromJSON(report.inputCounts);
  const weights = new Map(report.weights.map(({ value, weight }): [string, number] => [String(value), weight]));
  writeLines(say, weightTableLines(counts, weights));
  const beta = report.beta === null ? '' : ` (beta ${report.beta})`;
  say(`\n${report.scheme} weights${beta} in column "${escapeText(report.column)}" (${report.type}): ${formatCount(report.rowsRead)} rows read, `
    + `${formatCount(report.rowsWritten)} written to ${toStdout ? 'stdout' : escapeText(report.output)} in ${report.seconds.toFixed(2)} s\n`);
}

/**
 * Parses the `--class-weight <class>=<weight>` values (split at the last `=`, so class names may hold `=`).
 * @param texts the values, one per flag
 * @returns weight per class key
 * @throws UsageError for a malformed value, a weight that is not a finite number >= 0, or a class named twice
 */
function parseClassWeights(texts: readonly string[]): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const text of texts) {
    const at = text.lastIndexOf('=');
    const key = text.slice(0, at);
    const weight = Number(text.slice(at + 1).trim());
    if (at < 1 || text.slice(at + 1).trim() === '' || !Number.isFinite(weight) || weight < 0) {
      throw new UsageError(`--class-weight "${text}" must be <class>=<weight> with a weight >= 0, e.g. --class-weight buy=0.75`);
    }
    if (Object.hasOwn(weights, key)) throw new UsageError(`--class-weight names class "${key}" twice`);
    weights[key] = weight;
  }
  return weights;
}

/** Parses `--beta`: a number with 0 <= beta < 1. */
function parseBeta(text: string): number {
  const beta = Number(text);
  if (text.trim() === '' || !(beta >= 0 && beta < 1)) throw new UsageError(`--beta must be a number from 0 up to (not including) 1, got "${text}"`);
  return beta;
}

