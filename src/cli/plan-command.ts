import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkOutputFolder } from '../parquet/temp-file.js';
import { ArrowBalanceError } from '../errors.js';
import { planBalanceJob, writePlanFile } from '../jobs/plan-balance-job.js';
import { planFingerprint } from '../plan/plan-fingerprint.js';
import { escapeText, jsonText } from '../text/escape-text.js';
import { formatCount } from '../text/format-count.js';
import { UsageError } from './cli-error.js';
import type { CommandIo } from './command-io.js';
import { withInterrupts } from './interrupt.js';
import { joinNegativeValues } from './parse-values.js';
import { PLAN_OPTIONS, planArgs } from './plan-args.js';

const OPTIONS = {
  ...PLAN_OPTIONS,
  output: { type: 'string', short: 'o' },
  engine: { type: 'string' },
  force: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

/**
 * `arrow-balance plan <input...> --label <column> [balance options] -o plan.json`: runs the count pass and
 * writes the plan file that `balance --plan --shard` runs (see `--help`).
 * @param args the arguments after `plan`
 * @param io where output goes
 */
export async function planCommand(args: readonly string[], io: CommandIo): Promise<void> {
  const { values, positionals } = parseArgs({ args: joinNegativeValues(args, OPTIONS), allowPositionals: true, options: OPTIONS });
  if (positionals.length === 0) throw new UsageError('plan needs at least one input file');
  if (values.label === undefined) throw new UsageError('plan needs --label <column>');
  if (values.output === undefined) throw new UsageError('plan needs -o, --output <plan.json>');
  if (positionals.some((path) => path === '-' || /\.(arrows?|feather|ipc)$/.test(path))) throw new UsageError('plan reads Parquet files (a plan names row groups); convert Arrow IPC input to Parquet first');
  const options = planArgs(values, values.label);
  const output = values.output;
  // Before the count pass: a plan that cannot be written is refused at once.
  checkOutputFolder(output);
  if (!values.force && existsSync(output)) throw new ArrowBalanceError(`${output}: output file already exists; choose another path or allow overwriting (--force)`);
  const warnings: string[] = [];
  const file = await withInterrupts((signal) => planBalanceJob(positionals, { ...options, signal, onWarning: (message) => warnings.push(message) }));
  writePlanFile(output, file, { overwrite: values.force });
  for (const warning of warnings) io.err(`arrow-balance: note: ${escapeText(warning.replace(/^arrow-balance: /, ''))}\n`);
  const summary = {
    plan: output,
    fingerprint: planFingerprint(file),
    seed: file.seed,
    inputs: file.inputs.length,
    units: file.plan.units.length,
    inputRows: file.inputCounts.total,
    outputRows: file.plan.outputRows,
  };
  if (values.json) {
    io.out(`${jsonText(summary)}\n`);
    return;
  }
  io.out(`planned ${formatCount(summary.units)} units (row groups) of ${formatCount(summary.inputs)} file(s), seed ${String(summary.seed)}: ${formatCount(summary.inputRows)} rows in, ${formatCount(summary.outputRows)} out; plan ${summary.fingerprint} written to ${escapeText(output)}\n`);
}
