/** Prefix of every message this library raises, so users can tell our errors from others. */
export const ERROR_PREFIX = 'arrow-balance: ';

/**
 * The error every part of arrow-balance raises for bad input or a failed operation.
 *
 * Its message is one line that starts with `arrow-balance:` and says what to do.
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

/** Adds the `arrow-balance: ` prefix to a message that lacks it and folds it onto one line. */
export function withPrefix(message: string): string {
  const oneLine = message.replace(/\s*\n\s*/g, ' ').trim();
  return oneLine.startsWith(ERROR_PREFIX) ? oneLine : ERROR_PREFIX + oneLine;
}

/** Turns anything thrown into an {@link ArrowBalanceError}, optionally naming the file it concerns. */
export function toArrowBalanceError(error: unknown, file?: string): ArrowBalanceError {
  if (error instanceof ArrowBalanceError && file === undefined) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const bare = raw.startsWith(ERROR_PREFIX) ? raw.slice(ERROR_PREFIX.length) : raw;
  const named = file === undefined || bare.startsWith(`${file}: `) ? bare : `${file}: ${bare}`;
  return new ArrowBalanceError(named, { cause: error });
}
