import type { RecordBatch, Schema } from 'apache-arrow';

/** Rows per batch parquet-wasm decodes and emits when no `batchSize` is asked for. */
export const DEFAULT_WASM_BATCH_ROWS = 65_536;

/** Options every Parquet reader takes. */
export interface ReadOptions {
  /** Only these columns are decoded, in file order. Default: all. */
  readonly columns?: readonly string[] | undefined;
  /**
   * Most rows per emitted batch. Default: 65,536 with parquet-wasm (row groups are decoded a batch at a time,
   * which keeps the decoder's memory small); one batch per row group with parquetjs-lite.
   */
  readonly batchSize?: number | undefined;
  /**
   * Worker threads decoding row groups in parallel (parquet-wasm engine; default 1). Two decode about twice
   * as fast on two free cores; each holds its own wasm heap (about 70 MB on 120,000-row row groups).
   */
  readonly decoders?: number | undefined;
  /**
   * Lets the reader reuse the memory of the batches it handed out: each `next()` (and `close()`) ends the
   * life of the batches the previous `next()` returned, which must not be used, nor kept in any form that
   * shares their buffers (a sliced batch, a column, a dictionary), afterwards. For callers that finish with
   * each row group before asking for the next (copy what they keep): with parquet-wasm, row groups then
   * arrive in memory lent to the worker instead of in a fresh buffer each, which saves page faults and
   * garbage collection (an undersampling job of 5M rows: 0.69-0.72 s instead of 0.85-0.90 s). Default false; parquetjs-lite ignores it, and
   * `fromParquet` refuses it (its subscribers may keep batches).
   */
  readonly transient?: boolean | undefined;
}

/**
 * A pull-based reader of one or more Parquet inputs with one schema.
 *
 * Each `next()` decodes one more row group (parquet-wasm: or a few consecutive small ones, up to ~8 MB
 * decoded); nothing is read until it is asked for.
 */
export interface BatchReader {
  /** The Arrow schema of every batch this reader returns. */
  readonly schema: Schema;
  /** Whether its batches die at the next `next()` (see `ReadOptions.transient`); absent means false. */
  readonly transient?: boolean;
  /** The batches of the next row group, or null when every input is read. */
  /**
   * Rows in each row group of each input (`[file][rowGroup]`), in reading order: the units a plan is cut
   * into. Batches arrive in this order, row for row. arrow-balance's own readers always tell.
   */
  readonly rowGroupRows?: ReadonlyArray<readonly number[]>;
  next(): Promise<RecordBatch[] | null>;
  /** Releases the files and any worker. Safe to call more than once, and while a `next()` is pending. */
  close(): void;
}
