import { escapeText, messageOf } from './text/escape-text.js';

/** Prefix of every message this library raises, so users can tell our errors from others. */
export const ERROR_PREFIX = 'arrow-balance: ';

/**
 * The error every part of arrow-balance raises for bad input or a failed operation.
 *
 * Its message is one line that starts with `arrow-balance:` and says what to do; values from the data in
 * it (class values, column and file names) have their control characters escaped.
 */
export class ArrowBalanceError extends Error {
  /**
   * @param message what went wrong and what to do; the `arrow-balance:` prefix is added when missing
   * @param options the underlying cause, kept for debugging
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(withPrefix(message), options);
    this.name = 'ArrowBalanceError';
  }
}

/**
 * Adds the `arrow-balance: ` prefix to a message that lacks it and escapes its control characters (see
 * `escapeText`), so that it prints as one line of plain text.
 *
 * Messages are escaped here, where every message of the library is made, rather than where the CLI prints
 * them: a message quotes what the data hold (a label, a column or file name), and programs that use the
 * library print or log messages too. Our own text holds no control characters, so a line break in a
 * message comes from the data and shows as `\n`; messages of other libraries are folded onto one line by
 * {@link toArrowBalanceError} first.
 */
export function withPrefix(message: string): string {
  const line = escapeText(message.trim());
  return line.startsWith(ERROR_PREFIX) ? line : ERROR_PREFIX + line;
}

/** Turns anything thrown into an {@link ArrowBalanceError}, optionally naming the file it concerns. */
export function toArrowBalanceError(error: unknown, file?: string): ArrowBalanceError {
  if (error instanceof ArrowBalanceError && file === undefined) return error;
  const raw = error instanceof ArrowBalanceError ? error.message : messageOf(error);
  const bare = raw.startsWith(ERROR_PREFIX) ? raw.slice(ERROR_PREFIX.length) : raw;
  const named = file === undefined || bare.startsWith(`${escapeText(file)}: `) ? bare : `${file}: ${bare}`;
  return new ArrowBalanceError(named, { cause: error });
}
