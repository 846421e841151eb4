/** The errors of the parquetjs-lite engine: what it cannot do, and its own failures made readable. */
import { ArrowBalanceError } from '../../errors.js';
import { messageOf } from '../../text/escape-text.js';

/** What every parquetjs-lite limit message ends with. */
const USE_DEFAULT = 'use the default engine parquet-wasm';

/**
 * A Parquet feature the parquetjs-lite engine cannot read.
 * @param file the input's name
 * @param feature e.g. `ZSTD compression`, `DECIMAL columns`
 * @param column the column that uses it, when the feature belongs to one
 */
export function cannotRead(file: string, feature: string, column?: string): ArrowBalanceError {
  const where = column === undefined ? '' : ` (column "${column}")`;
  return new ArrowBalanceError(`${file}: the parquetjs-lite engine cannot read ${feature}${where}; ${USE_DEFAULT}`);
}

/**
 * A type, value or option the parquetjs-lite engine cannot write.
 * @param file the output path
 * @param what e.g. `ZSTD compression`, `Decimal[10e+2] columns`
 * @param column the column concerned, if any
 */
export function cannotWrite(file: string, what: string, column?: string): ArrowBalanceError {
  const where = column === undefined ? '' : ` (column "${column}")`;
  return new ArrowBalanceError(`${file}: the parquetjs-lite engine cannot write ${what}${where}; ${USE_DEFAULT}`);
}

/** parquetjs-lite throws strings as often as Errors: the text of either, on one line. */
export function reasonOf(error: unknown): string {
  return messageOf(error);
}

/**
 * Turns a failure inside parquetjs-lite while reading into an ArrowBalanceError naming the file.
 *
 * Known limits (an encoding or codec it lacks) name the feature; anything else reports the reason.
 * Our own errors pass through unchanged.
 */
export function readFailure(file: string, error: unknown): ArrowBalanceError {
  if (error instanceof ArrowBalanceError) return error;
  const reason = reasonOf(error);
  const encoding = /invalid encoding: (\w+)/.exec(reason);
  if (encoding !== null) return cannotRead(file, `${encoding[1] ?? ''} encoding`);
  const codec = /invalid compression method: (\w+)/.exec(reason);
  if (codec !== null) return cannotRead(file, `${codec[1] ?? ''} compression`);
  return new ArrowBalanceError(`${file}: parquetjs-lite could not read the file (${reason}); ${USE_DEFAULT}`, { cause: error });
}
