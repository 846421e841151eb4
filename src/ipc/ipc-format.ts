import { extname } from 'node:path';
import { ArrowBalanceError } from '../errors.js';

/**
 * The file formats a job writes (and reads): Parquet, the Arrow IPC file format (`.arrow`, and Feather v2,
 * which is the same format) or the Arrow IPC stream format (`.arrows`).
 */
export type DataFormat = 'parquet' | 'arrow' | 'arrows';

/** Every format, by name, in the order documentation lists them. */
export const DATA_FORMATS: readonly DataFormat[] = ['parquet', 'arrow', 'arrows'];

/** Extensions of Arrow IPC files and streams, by the format they name. */
const EXTENSIONS: Readonly<Record<string, DataFormat>> = { '.arrow': 'arrow', '.feather': 'arrow', '.ipc': 'arrow', '.arrows': 'arrows' };

/**
 * The format a path's extension names: `.arrow`, `.feather` and `.ipc` name the IPC file format, `.arrows` the
 * IPC stream format, anything else Parquet (folders of `*.parquet` files among them).
 * @param path a file name
 * @returns its format
 */
export function formatOfPath(path: string): DataFormat {
  return EXTENSIONS[extname(path).toLowerCase()] ?? 'parquet';
}

/** Whether a path's extension names Arrow IPC (file or stream). */
export function isArrowPath(path: string): boolean {
  return formatOfPath(path) !== 'parquet';
}

/**
 * Checks a `format` option.
 * @returns the format, or undefined when none was given
 * @throws ArrowBalanceError listing the formats
 */
export function checkFormat(format: unknown): DataFormat | undefined {
  if (format === undefined || (DATA_FORMATS as readonly unknown[]).includes(format)) return format as DataFormat | undefined;
  throw new ArrowBalanceError(`unknown format ${JSON.stringify(format)}; use one of: ${DATA_FORMATS.join(', ')}`);
}
