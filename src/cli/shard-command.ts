import { escapeText, jsonText } from '../text/escape-text.js';
import { formatBytes, formatCount } from '../text/format-count.js';
import { balanceShard } from '../jobs/balance-shard.js';
import { COMPRESSIONS, type ParquetCompression } from '../parquet/write-options.js';
import { UsageError } from './cli-error.js';
import type { CommandIo } from './command-io.js';
import { withInterrupts } from './interrupt.js';
import { oneOf } from './output-job-args.js';
import { parseWholeNumber } from './parse-values.js';
import { PLAN_OPTION_NAMES, planArgs } from './plan-args.js';
import { parseShard, type ShardEnvironment } from './shard-spec.js';

/** Options of `balance` that a shard has no use for. */
const NOT_FOR_SHARDS = ['format', 'mode', 'shuffle', 'capacity', 'report', 'report-columns', 'max-ks', 'force'];

/**
 * `arrow-balance balance [<input...>] --shard <i>/<n>|auto [--shards <n>] [--plan plan.json] -o <folder>`:
 * runs one shard of a plan into `<folder>/part-<i>-of-<n>.parquet` (see `--help`).
 * @param values the parsed options of `balance`
 * @param positionals the inputs (optional with `--plan`: the plan's)
 * @param io where output goes
 * @param env the environment `--shard auto` reads
 */
export async function shardCommand(values: Readonly<Record<string, string | boolean | undefined>>, positionals: readonly string[], io: CommandIo, env: ShardEnvironment): Promise<void> {
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const shardText = text('shard');
  if (shardText === undefined) throw new UsageError('--plan runs with --shard <index>/<count> (or --shard auto); for one file, leave out --plan');
  for (const name of NOT_FOR_SHARDS) if (values[name] !== undefined && values[name] !== false) throw new UsageError(`--${name} does not apply to --shard (parts are exact-mode Parquet, replaced when run again)`);
  const folder = text('output');
  if (folder === undefined) throw new UsageError('--shard needs -o, --output <folder> for the part file');
  if (positionals.some((path) => path === '-' || /\.(arrows?|feather|ipc)$/.test(path))) throw new UsageError('shards read Parquet files (a plan names row groups); convert Arrow IPC input to Parquet first');
  const plan = text('plan');
  const shard = parseShard(shardText, text('shards'), env);
  if (plan !== undefined) {
    const extra = PLAN_OPTION_NAMES.find((name) => values[name] !== undefined);
    if (extra !== undefined) throw new UsageError(`--${extra} comes from the plan; leave it out with --plan (or leave out --plan to plan here)`);
  } else {
    if (positionals.length === 0) throw new UsageError('balance --shard needs its input files (or --plan plan.json)');
    if (text('label') === undefined) throw new UsageError('balance needs --label <column> (or --plan plan.json)');
    if (text('seed') === undefined) throw new UsageError('--shard without --plan needs --seed <n>, so that every shard draws the same plan (or make one: arrow-balance plan)');
  }
  const balance = plan === undefined ? planArgs(values as Record<string, string | undefined>, text('label') as string) : { engine: planArgs({ engine: text('engine') }, '').engine };
  const rowGroupSize = text('row-group-size');
  const workers = text('workers');
  const report = await withInterrupts((signal) =>
    balanceShard(positionals.length === 0 ? undefined : positionals, folder, {
      ...balance,
      plan,
      shard,
      signal,
      compression: oneOf('compression', text('compression'), COMPRESSIONS) as ParquetCompression | undefined,
      rowGroupSize: rowGroupSize === undefined ? undefined : parseWholeNumber('row-group-size', rowGroupSize, 1),
      workers: workers === undefined ? undefined : parseWholeNumber('workers', workers, 1, 64),
    }),
  );
  if (values['json'] === true) {
    io.out(`${jsonText(report)}\n`);
    return;
  }
  io.out(
    `shard ${shard.index} of ${shard.count} (units ${report.units[0]}-${report.units[1] - 1}, plan ${report.plan}): ${formatCount(report.outputCounts.total)} rows written to ${escapeText(report.part)} ` +
      `in ${report.seconds.toFixed(2)} s (${report.cpuSeconds.toFixed(2)} s CPU), ${formatBytes(report.bytesRead)} read\n`,
  );
}
