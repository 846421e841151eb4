#!/usr/bin/env node
/**
 * The `arrow-balance` command: `count`, `balance`, `weight`, `plan`, `verify`, `--help`, `--version`.
 *
 * Data go to stdout, diagnostics to stderr. Any error ends the process with one line on stderr that starts
 * with `arrow-balance:`, exit status 1 (2 for a usage mistake).
 */
import { readFileSync } from 'node:fs';
import { toArrowBalanceError } from '../errors.js';
import { UsageError } from './cli-error.js';
import type { CommandIo } from './command-io.js';
import { HELP } from './help.js';
import { InterruptedError } from './interrupt.js';
import { prewarmWorker } from '../parquet/wasm/worker-pool.js';
import { escapeText } from '../text/escape-text.js';

type Command = (args: readonly string[], io: CommandIo) => Promise<void>;

/** How long the process may linger after an error has been reported. */
const EXIT_AFTER_ERROR_MS = 500;

/** Each command's module is loaded when it runs, so that `--help` and `--version` answer at once. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  count: async () => (await import('./count-command.js')).countCommand,
  balance: async () => (await import('./balance-command.js')).balanceCommand,
  weight: async () => (await import('./weight-command.js')).weightCommand,
  plan: async () => (await import('./plan-command.js')).planCommand,
  verify: async () => (await import('./verify-command.js')).verifyCommand,
};

const io: CommandIo = {
  out: (text) => process.stdout.write(text),
  stdout: process.stdout,
  err: (text) => process.stderr.write(text),
  errIsTerminal: process.stderr.isTTY === true,
};

/** Runs the command line and returns the exit status. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (command !== undefined && (options.includes('--help') || options.includes('-h'))) {
    io.out(HELP);
    return 0;
  }
  try {
    if (command === undefined) throw new UsageError(`unknown command "${name}"; commands are: ${Object.keys(COMMANDS).join(', ')}`);
    // The parquet-wasm worker boots on the other core while this thread loads the command's modules.
    if (!rest.some((arg) => arg.endsWith('parquetjs-lite'))) prewarmWorker();
    await (await command())(rest, io);
    return 0;
  } catch (error) {
    const parser = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
    const usage = error instanceof UsageError || parser;
    const message = toArrowBalanceError(parser ? parserMessage(error as Error) : error).message;
    io.err(`${escapeText(message)}\n`);
    if (error instanceof InterruptedError) return error.exitStatus;
    return usage ? 2 : 1;
  }
}

/** node's parser errors as one line that says what to do (its own span lines and may quote oddly). */
function parserMessage(error: Error): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (unknown !== null) return `unknown option ${unknown[1] as string}; see arrow-balance --help (an input whose name starts with "-" goes after --)`;
  return `${error.message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')}; see arrow-balance --help`;
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

// Reading ends quietly when stdout is closed early (for example `arrow-balance count ... | head -1`).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2));
// Jobs give back their worker threads, ports and files when they fail, so the process ends by itself; should
// anything still hold it after the error line, it ends shortly instead of hanging with the error printed.
if (process.exitCode !== 0) setTimeout(() => process.exit(), EXIT_AFTER_ERROR_MS).unref();
