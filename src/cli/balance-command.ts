import { parseArgs } from 'node:util';
import { ClassCounts } from '../classes/class-counts.js';
import { balanceParquet } from '../jobs/balance-parquet.js';
import type { BalanceMode } from '../sampling/balance-options.js';
import type { Strategy } from '../sampling/target-spec.js';
import { classTableLines } from './class-table.js';
import { UsageError } from './cli-error.js';
import { writeLines, type CommandIo } from './command-io.js';
import { joinNegativeValues, parseNulls, parseWholeNumber } from './parse-values.js';
import { parseTarget } from './parse-target.js';
import { OUTPUT_JOB_OPTIONS, oneOf, outputJobArgs } from './output-job-args.js';
import { progressLine } from './progress.js';
import { shardCommand } from './shard-command.js';
import { withInterrupts } from './interrupt.js';
import { escapeText, jsonText } from '../text/escape-text.js';
import type { DistributionReportOptions } from '../report/distribution-report.js';
import { formatCount } from '../text/format-count.js';

const OPTIONS = {
  ...OUTPUT_JOB_OPTIONS,
  strategy: { type: 'string' },
  target: { type: 'string' },
  mode: { type: 'string' },
  seed: { type: 'string' },
  shuffle: { type: 'string' },
  'importance-weight': { type: 'string' },
  capacity: { type: 'string' },
  workers: { type: 'string' },
  report: { type: 'string' },
  'report-columns': { type: 'string' },
  'max-ks': { type: 'string' },
  plan: { type: 'string' },
  shard: { type: 'string' },
  shards: { type: 'string' },
} as const;

/**
 * `arrow-balance balance <input...> --label <column> -o <file> [options]` (see `--help`).
 * @param args the arguments after `balance`
 * @param io where output goes
 */
export async function balanceCommand(args: readonly string[], io: CommandIo): Promise<void> {
  const { values, positionals } = parseArgs({ args: joinNegativeValues(args, OPTIONS), allowPositionals: true, options: OPTIONS });
  if (values.shard !== undefined || values.plan !== undefined) {
    await shardCommand(values, positionals, io, process.env);
    return;
  }
  if (values.shards !== undefined) throw new UsageError('--shards goes with --shard auto');
  const { input, output, toStdout, ...writeArgs } = outputJobArgs('balance', values, positionals, io.stdout ?? process.stdout);
  // With -o -, stdout carries the Arrow IPC stream alone: the table (or JSON) goes to stderr.
  const say = toStdout ? io.err : io.out;
  if (values.capacity !== undefined && values.mode !== 'reservoir') throw new UsageError('--capacity is used only by --mode reservoir');
  const progress = values.quiet || !io.errIsTerminal ? undefined : progressLine(io.err);
  const options = {
    ...writeArgs,
    strategy: oneOf('strategy', values.strategy, ['under', 'over', 'hybrid'] as const) as Strategy | undefined,
    target: values.target === undefined ? undefined : parseTarget(values.target),
    mode: oneOf('mode', values.mode, ['exact', 'reservoir', 'online'] as const) as BalanceMode | undefined,
    seed: values.seed === undefined ? undefined : parseWholeNumber('seed', values.seed, 0),
    shuffle: values.shuffle === undefined ? undefined : parseWholeNumber('shuffle', values.shuffle, 1),
    nulls: values.nulls === undefined ? undefined : parseNulls(values.nulls),
    importanceWeight: values['importance-weight'],
    capacity: values.capacity === undefined ? undefined : parseWholeNumber('capacity', values.capacity, 1),
    workers: values.workers === undefined ? undefined : parseWholeNumber('workers', values.workers, 1),
    report: reportOptions(values),
    onProgress: progress?.onProgress,
  };
  const report = await withInterrupts((signal) => balanceParquet(input, output, { ...options, signal })).finally(() => progress?.done());
  // Warnings carry the `arrow-balance:` prefix already (they are also Node process warnings).
  for (const warning of report.warnings) io.err(`arrow-balance: note: ${escapeText(warning.replace(/^arrow-balance: /, ''))}\n`);
  if (values.json) {
    say(`${jsonText(report)}\n`);
    return;
  }
  const before = ClassCounts.fromJSON(report.inputCounts);
  const after = ClassCounts.fromJSON(report.outputCounts ?? { total: 0, classes: [] });
  writeLines(say, classTableLines([{ title: 'before', counts: before }, { title: 'after', counts: after }]));
  say(`\n${report.strategy} sampling (${report.mode}), seed ${String(report.seed)}: ${formatCount(report.rowsRead)} rows read, ${formatCount(report.rowsWritten)} written to ${toStdout ? 'stdout' : escapeText(report.output)} in ${report.seconds.toFixed(2)} s\n`);
  if (report.ks !== null && report.ks.length > 0) {
    const worst = report.ks.reduce((a, b) => (b.ks > a.ks ? b : a));
    say(`largest KS distance: ${worst.ks.toFixed(4)} (class ${escapeText(worst.class)}, column ${escapeText(worst.column)}, p ${worst.pValue.toPrecision(2)})${values.report === undefined ? '' : `; report: ${escapeText(values.report)}`}\n`);
  }
}

/** The distribution report's options from `--report`, `--report-columns` and `--max-ks` (none: no report). */
function reportOptions(values: { readonly report?: string | undefined; readonly 'report-columns'?: string | undefined; readonly 'max-ks'?: string | undefined }): DistributionReportOptions | undefined {
  if (values.report === undefined && values['report-columns'] === undefined && values['max-ks'] === undefined) return undefined;
  const maxKs = values['max-ks'] === undefined ? undefined : Number(values['max-ks']);
  if (maxKs !== undefined && !(maxKs >= 0 && maxKs <= 1)) throw new UsageError(`--max-ks takes a distance from 0 to 1, got "${escapeText(values['max-ks'] ?? '')}"`);
  const columns = values['report-columns']?.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  if (columns !== undefined && columns.length === 0) throw new UsageError('--report-columns takes column names separated by commas');
  return { path: values.report, columns, maxKs };
}
