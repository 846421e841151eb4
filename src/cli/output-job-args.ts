import type { Writable } from 'node:stream';
import { DATA_FORMATS, type DataFormat } from '../ipc/ipc-format.js';
import type { JobInput } from '../jobs/job-input.js';
import { outputFormat } from '../jobs/job-output.js';
import { ENGINES, resolveEngine, type ParquetEngine } from '../parquet/engine.js';
import { COMPRESSIONS, type ParquetCompression } from '../parquet/write-options.js';
import { UsageError } from './cli-error.js';
import { parseMaxClasses, parseWholeNumber } from './parse-values.js';
import { commandInput } from './command-input.js';

/** The `parseArgs` options every command that writes a Parquet file takes (`balance`, `weight`). */
export const OUTPUT_JOB_OPTIONS = {
  label: { type: 'string' },
  output: { type: 'string', short: 'o' },
  format: { type: 'string' },
  nulls: { type: 'string' },
  'max-classes': { type: 'string' },
  compression: { type: 'string' },
  'row-group-size': { type: 'string' },
  engine: { type: 'string' },
  force: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
} as const;

/** What those options mean, checked. */
export interface OutputJobArgs {
  /** One input path, several, or Arrow IPC (a file, or stdin for `-`). */
  readonly input: JobInput;
  /** The output file, or stdout for `-o -`. */
  readonly output: string | Writable;
  /** Whether the output is stdout (the report then goes to stderr). */
  readonly toStdout: boolean;
  /** The output's format (`--format`, or the output's extension; stdout: an IPC stream). */
  readonly format: DataFormat;
  readonly label: string;
  readonly maxClasses: number | undefined;
  readonly compression: ParquetCompression | undefined;
  readonly rowGroupSize: number | undefined;
  readonly engine: ParquetEngine;
  readonly overwrite: boolean;
}

/**
 * Checks the inputs, `--label`, `-o`, `--format` and the output options shared by the writing commands.
 * @param command the command name, for messages
 * @param stdout where `-o -` writes
 * @throws UsageError naming what is missing or wrong
 */
export function outputJobArgs(
  command: string,
  values: { label?: string | undefined; output?: string | undefined; format?: string | undefined; 'max-classes'?: string | undefined; compression?: string | undefined; 'row-group-size'?: string | undefined; engine?: string | undefined; force?: boolean | undefined },
  positionals: readonly string[],
  stdout: Writable,
): OutputJobArgs {
  if (positionals.length === 0) throw new UsageError(`${command} needs at least one input file`);
  if (values.label === undefined) throw new UsageError(`${command} needs --label <column>`);
  if (values.output === undefined) throw new UsageError(`${command} needs -o, --output <file>`);
  const rowGroupSize = values['row-group-size'];
  const toStdout = values.output === '-';
  const output = toStdout ? stdout : values.output;
  const given = oneOf('format', values.format, DATA_FORMATS) as DataFormat | undefined;
  if (toStdout && given === 'parquet') throw new UsageError('Parquet cannot be written to stdout (-o -); give a file path, or --format arrows');
  const format = outputFormat(output, given);
  if (format !== 'parquet') {
    for (const name of ['compression', 'row-group-size'] as const) {
      if (values[name] !== undefined) throw new UsageError(`--${name} applies to Parquet output; the output is Arrow IPC (${format})`);
    }
  }
  return {
    input: commandInput(command, positionals),
    output,
    toStdout,
    format,
    label: values.label,
    maxClasses: parseMaxClasses(values['max-classes']),
    compression: oneOf('compression', values.compression, COMPRESSIONS) as ParquetCompression | undefined,
    rowGroupSize: rowGroupSize === undefined ? undefined : parseWholeNumber('row-group-size', rowGroupSize, 1),
    engine: resolveEngine(oneOf('engine', values.engine, ENGINES)),
    overwrite: values.force === true,
  };
}

/**
 * Checks an option against its allowed values.
 * @returns the value, or undefined when the option was not given
 * @throws UsageError listing the allowed values
 */
export function oneOf(name: string, value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined || allowed.includes(value)) return value;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
}
