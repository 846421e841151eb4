import { isArrowPath } from '../ipc/ipc-format.js';
import type { JobInput } from '../jobs/job-input.js';
import { UsageError } from './cli-error.js';

/**
 * A command's input from its positionals: `-` is an Arrow IPC stream on stdin, a path ending in `.arrow`,
 * `.feather`, `.ipc` or `.arrows` is Arrow IPC (file or stream, told apart by its first bytes), anything
 * else Parquet (files, or folders of `*.parquet` files).
 * @param command the command name, for messages
 * @param positionals the inputs as given (at least one)
 * @throws UsageError for Arrow IPC input mixed with other inputs
 */
export function commandInput(command: string, positionals: readonly string[]): JobInput {
  const arrow = positionals.filter((path) => path === '-' || isArrowPath(path));
  if (arrow.length > 0 && positionals.length > 1) {
    throw new UsageError(`${command} reads one Arrow IPC input (${arrow[0] === '-' ? 'stdin' : arrow[0] as string}) alone; give one Arrow IPC input, or Parquet inputs`);
  }
  const [first] = positionals;
  if (first === '-') return { arrow: process.stdin, name: 'stdin' };
  if (arrow.length > 0) return { arrow: first as string };
  return positionals.length === 1 ? (first as string) : positionals;
}
