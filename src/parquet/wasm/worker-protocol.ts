/** Messages between the main thread and the parquet-wasm worker (see `worker-pool.ts`). */
import type { MessagePort } from 'node:worker_threads';
import type { ByteSpan, HttpObject } from '../../remote/http-object.js';
import type { UnitSamplerOptions } from '../../plan/unit-sampler.js';
import type { UnitWork } from '../../plan/unit-work.js';
import type { ParquetCompression } from '../write-options.js';
import type { ClassSamplesData } from '../../report/class-samples.js';
import type { SampleSettings } from '../../report/distribution-report.js';

/**
 * How the worker reaches an input: a descriptor the main thread opened (valid for that one request), or
 * bytes (sent with the first request about the input only, then kept until the reader is forgotten).
 */
export type WorkerInput =
  | { readonly name: string; readonly fd: number }
  | { readonly name: string; readonly bytes?: Uint8Array }
  /** An object over HTTP(S): the worker fetches its ranges itself, pinned to the version the main thread opened. */
  | { readonly name: string; readonly remote: HttpObject; readonly tail: ByteSpan };

/** Main -> worker, for a reader. `reader` tells apart the readers that share the worker. */
export type ReadRequest =
  | { readonly type: 'describe'; readonly reader: number; readonly file: number; readonly input: WorkerInput; readonly columns?: readonly string[] | undefined }
  | {
      readonly type: 'read';
      readonly reader: number;
      readonly file: number;
      readonly input: WorkerInput;
      readonly rowGroups: readonly number[];
      readonly columns?: readonly string[] | undefined;
      readonly batchSize: number;
      /**
       * Memory the main thread lends for the answer (a transient read): the batches are written into it
       * while they fit, and sent as views of it, instead of in fresh buffers.
       */
      readonly slot?: SharedArrayBuffer | undefined;
      /** Only rows [first, end) of the one row group in `rowGroups`, decoded a few pages at a time. */
      readonly rows?: readonly [number, number] | undefined;
    }
  | { readonly type: 'forget'; readonly reader: number };

/** What the worker knows of one input after describing it. */
export interface OpenedFile {
  /** The file's Arrow schema as an IPC stream with no batches. */
  readonly schemaIpc: Uint8Array;
  /** Rows in each row group. */
  readonly rowGroupRows: readonly number[];
  /** Estimated decoded bytes in each row group of the columns asked for (all when none were named). */
  readonly rowGroupBytes: readonly number[];
}

/** Worker -> main, answering the read request with the same `id`. */
export type ReadReply = { readonly id: number } & (
  | ({ readonly type: 'described' } & OpenedFile)
  /** The row group's batches, one IPC stream each. */
  | { readonly type: 'rows'; readonly ipcs: readonly Uint8Array[] }
  | { readonly type: 'forgotten' }
  | { readonly type: 'failed'; readonly file: string; readonly message: string }
);

/** Index in a writer's shared control array of the number of batches sent but not yet taken by the encoder. */
/** A run of a plan's units for a worker to sample and encode as one Parquet part (see `wasm-task.ts`). */
export interface TaskRequest {
  readonly type: 'task';
  /** The read session whose open file the worker reuses. */
  readonly reader: number;
  readonly file: number;
  readonly input: WorkerInput;
  readonly units: readonly UnitWork[];
  readonly options: UnitSamplerOptions;
  readonly batchSize: number;
  readonly encode: Omit<EncodeSettings, 'plainColumns'>;
  /**
   * Only this column slice of the task's one unit, a large row group (see `plan/column-slices.ts`): its part
   * holds the slice's columns, to be joined with the other slices' parts.
   */
  readonly slice?: ColumnSliceRef | undefined;
  /**
   * Whether the task waits to send a piece while its earlier ones are unwritten (see `part-credits.ts`). Not
   * when another slice of the same row group runs after it on the same worker: its pieces can only be written
   * once joined with that slice's, so waiting for them would wait forever.
   */
  readonly paced: boolean;
  /** Sample both sides for the distribution report (see `report/`), when the job makes one. */
  readonly report?: TaskReport | undefined;
}

/** What a task samples for the distribution report. */
export interface TaskReport {
  readonly settings: SampleSettings;
  /** Per class key, the input's and the output's sampling rates (see `sampleRate`). */
  readonly rates: ReadonlyArray<readonly [key: string, input: number, output: number]>;
  /** Position in the whole input of each of the task's units' first row. */
  readonly inputRows: readonly number[];
  /** Position in the whole output of the task's first output row. */
  readonly outputRow: number;
}

/** Slice `index` of the `count` column slices of a large row group. */
export interface ColumnSliceRef {
  readonly index: number;
  readonly count: number;
}

/**
 * A worker's answer to a task: the encoded part, or why it failed. A task whose output is large sends it in
 * pieces first (`piece`, any number, each whole row groups), then the rest as its `part`.
 */
export type TaskReply = { readonly id: number } & (
  | ({ readonly type: 'piece' } & EncodedRows)
  | ({ readonly type: 'part' } & EncodedRows)
  | { readonly type: 'failed'; readonly file: string; readonly message: string }
);

/** Encoded rows a task sends: a piece or its part. */
export interface EncodedRows {
  readonly bytes: Uint8Array;
  readonly rows: number;
  /**
   * Sent once, with the first piece or part of a column slice 0: a Parquet file of no rows with every column
   * of the output, whose schema and Arrow schema the joined slices take.
   */
  readonly template?: Uint8Array | undefined;
  /** With a task's part, when it samples for the report: both sides' samples of its rows. */
  readonly samples?: { readonly input: ClassSamplesData; readonly output: ClassSamplesData } | undefined;
}

/**
 * A part's memory, sent back to a worker once written. Transferred buffers never count towards V8's next
 * collection on the thread that receives them, so the main thread kept every part it had written (about 0.5 GB
 * over a 5M-row oversampling); sent back, each is detached here at once and collected in the worker.
 */
export interface PartReturn {
  readonly type: 'part-written';
  readonly bytes: ArrayBuffer;
}

export const QUEUED = 0;
/** Index in a writer's shared control array set to 1 when its encoding has failed. */
export const FAILED = 1;

/** How the worker should encode. */
export interface EncodeSettings {
  readonly compression: ParquetCompression;
  readonly rowGroupSize: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** Leaf column paths (dot-separated) to write without dictionary encoding. */
  readonly plainColumns: readonly string[];
}

/** Main -> worker, for a writer. `session` tells apart the writers that share the worker. */
export type WriteRequest =
  | {
      readonly type: 'start';
      readonly session: number;
      readonly fd: number;
      readonly path: string;
      readonly settings: EncodeSettings;
      readonly control: SharedArrayBuffer;
      readonly replies: MessagePort;
    }
  | { readonly type: 'batch'; readonly session: number; readonly ipc: Uint8Array }
  | { readonly type: 'finish'; readonly session: number }
  | { readonly type: 'abort'; readonly session: number };

/** Worker -> main on the session's own port: one message, when the file is complete, abandoned or failed. */
export type WriteReply =
  | { readonly type: 'finished'; readonly bytes: number; readonly rowGroups: number }
  | { readonly type: 'aborted' }
  /** `code`: the system error's (`ENOSPC`, `EFBIG`, ...), when a write to the file failed. */
  | { readonly type: 'failed'; readonly message: string; readonly code?: string };

/** Worker -> main, just before the worker stops after an uncaught error (such as a wasm trap). */
export interface WorkerCrash {
  readonly crashed: string;
}

/**
 * Main -> worker, for a writer that encodes row groups side by side on several workers (see
 * `ParallelParquetWriter`): a session per writer and worker, then whole row groups to encode as parts.
 */
export type PartRequest =
  | {
      readonly type: 'parts-start';
      readonly session: number;
      readonly settings: EncodeSettings;
      /** `[done, failed]` counters shared by the writer and its workers: parts encoded (or failed), and a failure flag. */
      readonly control: SharedArrayBuffer;
      readonly replies: MessagePort;
    }
  /** Rows to encode as one part, as Arrow IPC streams (a batch each); `seq` is the part's place in the output. */
  | { readonly type: 'part'; readonly session: number; readonly seq: number; readonly ipcs: readonly Uint8Array[] }
  | { readonly type: 'parts-end'; readonly session: number };

/** Worker -> main on the session's port: each part encoded, or why it could not be. */
export type PartReply =
  | { readonly type: 'part'; readonly seq: number; readonly bytes: Uint8Array }
  | { readonly type: 'failed'; readonly seq: number; readonly message: string };

/** Index of the parts-done counter in a part session's control array. */
export const PARTS_DONE = 0;
/** Index of the failure flag in a part session's control array. */
export const PARTS_FAILED = 1;
