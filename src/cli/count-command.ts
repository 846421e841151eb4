import { parseArgs } from 'node:util';
import type { NullPolicy } from '../classes/label-coder.js';
import { countParquet } from '../jobs/count-parquet.js';
import { ENGINES, resolveEngine } from '../parquet/engine.js';
import { oneOf } from './output-job-args.js';
import { classTableLines } from './class-table.js';
import { UsageError } from './cli-error.js';
import { writeLines, type CommandIo } from './command-io.js';
import { joinNegativeValues, parseMaxClasses, parseNulls } from './parse-values.js';
import { jsonText } from '../text/escape-text.js';
import { commandInput } from './command-input.js';

const OPTIONS = {
  label: { type: 'string' },
  nulls: { type: 'string' },
  'max-classes': { type: 'string' },
  engine: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/**
 * `arrow-balance count <input...> --label <column> [--nulls ...] [--max-classes <n>] [--engine ...] [--json]`.
 * @param args the arguments after `count`
 * @param io where output goes
 */
export async function countCommand(args: readonly string[], io: CommandIo): Promise<void> {
  const { values, positionals } = parseArgs({ args: joinNegativeValues(args, OPTIONS), allowPositionals: true, options: OPTIONS });
  if (positionals.length === 0) throw new UsageError('count needs at least one input file');
  if (values.label === undefined) throw new UsageError('count needs --label <column>');
  const nulls: NullPolicy | undefined = values.nulls === undefined ? undefined : parseNulls(values.nulls);
  const maxClasses = parseMaxClasses(values['max-classes']);
  const counts = await countParquet(commandInput('count', positionals), {
    label: values.label,
    nulls,
    maxClasses,
    engine: resolveEngine(oneOf('engine', values.engine, ENGINES)),
  });
  if (values.json) io.out(`${jsonText(counts.toJSON())}\n`);
  else writeLines(io.out, classTableLines([{ title: 'rows', counts }]));
}
