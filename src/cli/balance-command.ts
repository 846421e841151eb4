import { parseArgs } from 'node:util';
import { ClassCounts } from '../classes/class-counts.js';
import { balanceParquet } from '../jobs/balance-parquet.js';
import { resolveEngine } from '../parquet/engine.js';
import { COMPRESSIONS, type ParquetCompression } from '../parquet/write-options.js';
import type { BalanceMode } from '../sampling/balance-engine.js';
import type { Strategy } from '../sampling/targets.js';
import { classTable } from './class-table.js';
import { UsageError } from './cli-error.js';
import type { CommandIo } from './command-io.js';
import { parseNulls, parseWholeNumber } from './parse-values.js';
import { parseTarget } from './parse-target.js';
import { progressLine } from './progress.js';
import { withInterrupts } from './interrupt.js';

/**
 * `arrow-balance balance <input...> --label <column> -o <file> [options]` (see `--help`).
 * @param args the arguments after `balance`
 * @param io where output goes
 */
export async function balanceCommand(args: readonly string[], io: CommandIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      label: { type: 'string' },
      output: { type: 'string', short: 'o' },
      strategy: { type: 'string' },
      target: { type: 'string' },
      mode: { type: 'string' },
      seed: { type: 'string' },
      shuffle: { type: 'string' },
      nulls: { type: 'string' },
      'importance-weight': { type: 'string' },
      compression: { type: 'string' },
      'row-group-size': { type: 'string' },
      engine: { type: 'string' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('balance needs at least one input file');
  if (values.label === undefined) throw new UsageError('balance needs --label <column>');
  if (values.output === undefined) throw new UsageError('balance needs -o, --output <file>');
  const progress = values.quiet || !io.errIsTerminal ? undefined : progressLine(io.err);
  const options = {
    label: values.label,
    strategy: oneOf('strategy', values.strategy, ['under', 'over', 'hybrid'] as const) as Strategy | undefined,
    target: values.target === undefined ? undefined : parseTarget(values.target),
    mode: oneOf('mode', values.mode, ['exact', 'reservoir', 'online'] as const) as BalanceMode | undefined,
    seed: values.seed === undefined ? undefined : parseWholeNumber('seed', values.seed, 0),
    shuffle: values.shuffle === undefined ? undefined : parseWholeNumber('shuffle', values.shuffle, 1),
    nulls: values.nulls === undefined ? undefined : parseNulls(values.nulls),
    importanceWeight: values['importance-weight'],
    compression: oneOf('compression', values.compression, COMPRESSIONS) as ParquetCompression | undefined,
    rowGroupSize: values['row-group-size'] === undefined ? undefined : parseWholeNumber('row-group-size', values['row-group-size'], 1),
    engine: resolveEngine(values.engine),
    overwrite: values.force,
    onProgress: progress?.onProgress,
  };
  const input = positionals.length === 1 ? (positionals[0] as string) : positionals;
  const output = values.output;
  const report = await withInterrupts((signal) => balanceParquet(input, output, { ...options, signal })).finally(() => progress?.done());
  if (values.json) {
    io.out(`${JSON.stringify(report)}\n`);
    return;
  }
  const before = ClassCounts.fromJSON(report.inputCounts);
  const after = ClassCounts.fromJSON(report.outputCounts ?? { total: 0, classes: [] });
  io.out(`${classTable([{ title: 'before', counts: before }, { title: 'after', counts: after }])}\n`);
  io.out(`\n${report.strategy} sampling (${report.mode}), seed ${String(report.seed)}: ${report.rowsRead.toLocaleString('en-US')} rows read, ${report.rowsWritten.toLocaleString('en-US')} written to ${report.output} in ${report.seconds.toFixed(2)} s\n`);
  for (const warning of report.warnings) io.err(`arrow-balance: note: ${warning}\n`);
}

function oneOf(name: string, value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined || allowed.includes(value)) return value;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
}
