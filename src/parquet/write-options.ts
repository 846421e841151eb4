import { ArrowBalanceError } from '../errors.js';
import { resolveEngine, type ParquetEngine } from './engine.js';

/** Compression codecs `toParquet` writes. `lz4_raw`, not Hadoop `lz4`, which other readers reject. */
export type ParquetCompression = 'snappy' | 'zstd' | 'gzip' | 'brotli' | 'lz4_raw' | 'none';

/** The codecs, in the order documentation lists them. */
export const COMPRESSIONS: readonly ParquetCompression[] = ['snappy', 'zstd', 'gzip', 'brotli', 'lz4_raw', 'none'];

/** Rows per row group when none is asked for (DuckDB's default too). */
export const DEFAULT_ROW_GROUP_SIZE = 122_880;

/** Options of `toParquet`. */
export interface ParquetWriteOptions {
  /** Codec for every column. Default `'snappy'`. */
  readonly compression?: ParquetCompression | undefined;
  /** Most rows per row group. Default 122,880. */
  readonly rowGroupSize?: number | undefined;
  /** `'parquet-wasm'` (default) or `'parquetjs-lite'`. */
  readonly engine?: ParquetEngine | undefined;
  /**
   * Extra key-value metadata stored in the file footer; or a function that returns it, called when the
   * first batch is written (for metadata that depends on what is being written).
   */
  readonly metadata?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>) | undefined;
  /** Replace an existing file at the path. Default false: an existing file is an error. */
  readonly overwrite?: boolean | undefined;
  /**
   * Worker threads that encode row groups side by side (parquet-wasm), stitched in order into one file; its
   * bytes are the same whatever the number. `toParquet`'s default: the cores available. Without it, one
   * worker encodes the batches as they come.
   */
  readonly encoders?: number | undefined;
}

/** Most encoder threads one writer may ask for. */
export const MAX_ENCODERS = 64;

/** Write options with every default filled in. */
export interface ResolvedWriteOptions {
  readonly compression: ParquetCompression;
  readonly rowGroupSize: number;
  readonly engine: ParquetEngine;
  /** Returns the metadata; called once, when the first batch is written. */
  readonly metadata: () => Readonly<Record<string, string>>;
  readonly overwrite: boolean;
  /** Encoder threads for row groups side by side; undefined: one encoder takes the batches as they come. */
  readonly encoders: number | undefined;
}

/**
 * Checks write options and fills in defaults.
 * @throws ArrowBalanceError naming the bad option and the accepted values
 */
export function resolveWriteOptions(options: ParquetWriteOptions): ResolvedWriteOptions {
  const compression = options.compression ?? 'snappy';
  if (!COMPRESSIONS.includes(compression)) {
    throw new ArrowBalanceError(`unknown compression ${JSON.stringify(compression)}; use one of: ${COMPRESSIONS.join(', ')}`);
  }
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isSafeInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new ArrowBalanceError(`rowGroupSize must be a positive integer, got ${String(options.rowGroupSize)}`);
  }
  const given = options.metadata ?? {};
  if (typeof given !== 'function') checkMetadata(given);
  const metadata = typeof given === 'function' ? () => checkMetadata(given()) : () => given;
  const overwrite = options.overwrite ?? false;
  if (typeof overwrite !== 'boolean') throw new ArrowBalanceError(`overwrite must be true or false, got ${String(overwrite)}`);
  const engine = resolveEngine(options.engine);
  const { encoders } = options;
  if (encoders !== undefined) {
    if (!Number.isSafeInteger(encoders) || encoders < 1 || encoders > MAX_ENCODERS) throw new ArrowBalanceError(`encoders must be an integer from 1 to ${MAX_ENCODERS}, got ${String(encoders)}`);
    if (engine !== 'parquet-wasm') throw new ArrowBalanceError('encoders applies to the parquet-wasm engine; leave it out with engine "parquetjs-lite"');
  }
  return { compression, rowGroupSize, engine, metadata, overwrite, encoders };
}

function checkMetadata(metadata: unknown): Readonly<Record<string, string>> {
  if (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((value) => typeof value !== 'string')) {
    throw new ArrowBalanceError('metadata must be an object of string keys and string values');
  }
  return metadata as Readonly<Record<string, string>>;
}
