import { parseArgs } from 'node:util';
import { ArrowBalanceError } from '../errors.js';
import { verifyParts } from '../jobs/verify-parts.js';
import { escapeText, jsonText } from '../text/escape-text.js';
import { formatCount } from '../text/format-count.js';
import { UsageError } from './cli-error.js';
import type { CommandIo } from './command-io.js';
import { parseWholeNumber } from './parse-values.js';

const OPTIONS = {
  plan: { type: 'string' },
  shards: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/**
 * `arrow-balance verify <folder> --plan plan.json [--shards <n>] [--json]`: checks a folder of parts against
 * their plan. Exits 1 with one line naming every problem (`--json` prints the report on stdout first).
 * @param args the arguments after `verify`
 * @param io where output goes
 */
export async function verifyCommand(args: readonly string[], io: CommandIo): Promise<void> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: OPTIONS });
  if (positionals.length !== 1) throw new UsageError('verify takes one folder of parts');
  if (values.plan === undefined) throw new UsageError('verify needs --plan <plan.json>');
  const folder = positionals[0] as string;
  const shards = values.shards === undefined ? undefined : parseWholeNumber('shards', values.shards, 1);
  const report = await verifyParts(folder, values.plan, { shards });
  if (values.json) io.out(`${jsonText(report)}\n`);
  if (!report.ok) throw new ArrowBalanceError(`${escapeText(folder)}: ${report.problems.length} problem(s): ${report.problems.join('; ')}`);
  if (!values.json) io.out(`${escapeText(folder)}: ${report.shards} part(s) of plan ${report.plan}, ${formatCount(report.rows)} rows, per-class counts as planned\n`);
}
