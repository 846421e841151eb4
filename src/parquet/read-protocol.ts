/** Messages between the main thread and the parquet-wasm read worker. */

/**
 * How the worker reaches an input: a descriptor the main thread opened (valid for that one request), or
 * bytes (sent with the first request about the input only, then kept by the worker).
 */
export type WorkerInput = { readonly name: string; readonly fd: number } | { readonly name: string; readonly bytes?: Uint8Array };

/** Main -> worker. Requests are answered in order, one reply each. */
export type ReadRequest =
  | { readonly type: 'describe'; readonly file: number; readonly input: WorkerInput }
  | {
      readonly type: 'read';
      readonly file: number;
      readonly input: WorkerInput;
      readonly rowGroup: number;
      readonly columns?: readonly string[] | undefined;
      readonly batchSize?: number;
    };

/** What the worker knows of one input after describing it. */
export interface OpenedFile {
  /** The file's Arrow schema as an IPC stream with no batches. */
  readonly schemaIpc: Uint8Array;
  /** Rows in each row group. */
  readonly rowGroupRows: readonly number[];
}

/** Worker -> main. */
export type ReadReply =
  | ({ readonly type: 'described' } & OpenedFile)
  | { readonly type: 'rows'; readonly ipc: Uint8Array }
  | { readonly type: 'failed'; readonly file: string; readonly message: string };
