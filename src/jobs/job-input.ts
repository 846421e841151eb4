import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BatchReader } from '../parquet/batch-reader.js';
import { openParquet, type ParquetReadOptions } from '../parquet/open-reader.js';
import { pinInputs, type ParquetSource } from '../parquet/sources.js';
import { ipcSourceName, openIpc, type IpcSource } from '../ipc/ipc-reader.js';
import { ArrowBalanceError } from '../errors.js';

/** Arrow IPC input of a job: a file or stream on disk, bytes, or a byte stream read once (stdin). */
export interface ArrowInput {
  readonly arrow: IpcSource;
  /** Its name in reports and messages (default: the path, `<buffer>` or `<stream>`). */
  readonly name?: string | undefined;
}

/** What a job reads: Parquet (files, a folder, bytes) or Arrow IPC. */
export type JobInput = ParquetSource | ArrowInput;

/** Whether a job's input is Arrow IPC. */
export function isArrowInput(input: JobInput): input is ArrowInput {
  return typeof input === 'object' && input !== null && !(input instanceof Uint8Array) && !Array.isArray(input) && 'arrow' in input;
}

/** The name of Arrow input in reports and messages. */
export function arrowInputName(input: ArrowInput): string {
  return input.name ?? ipcSourceName(input.arrow);
}

/**
 * Whether Arrow input can be read twice: a path or bytes can, a byte stream cannot.
 * @param input the input
 */
export function isRereadable(input: ArrowInput): boolean {
  return typeof input.arrow === 'string' || input.arrow instanceof Uint8Array;
}

/**
 * A job's input with its Parquet files and URLs resolved once (see `pinInputs`), so that every pass of the
 * job reads the same files and object versions; Arrow IPC input and bytes are returned as they are.
 * @throws ArrowBalanceError for a missing path, an empty list, a folder without Parquet files or a URL that cannot be opened
 */
export async function pinnedJobInput(input: JobInput): Promise<JobInput> {
  return isArrowInput(input) || input instanceof Uint8Array ? input : pinInputs(input);
}

/**
 * Opens a job's input, Parquet or Arrow IPC, as a batch reader.
 * @param input the input
 * @param options Parquet's read options (Arrow input takes `columns` only: IPC has no other choice to make)
 * @param source the bytes to read in place of the Arrow input's own (its spooled copy, or a stream that spools)
 */
export async function openJobInput(input: JobInput, options: ParquetReadOptions, source?: IpcSource): Promise<BatchReader> {
  if (!isArrowInput(input)) return openParquet(input, options);
  return openIpc(source ?? input.arrow, { columns: options.columns, name: arrowInputName(input) });
}

/**
 * Throws when an Arrow input file is also the output (through links too), before anything is created.
 * @throws ArrowBalanceError naming the output
 */
export function refuseArrowInputAsOutput(input: ArrowInput, output: string): void {
  if (typeof input.arrow !== 'string') return;
  if (realPath(resolve(input.arrow)) === realPath(resolve(output))) {
    throw new ArrowBalanceError(`${output}: is also the input; write the output to another path`);
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
