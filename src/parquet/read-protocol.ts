/** Messages between the main thread and the parquet-wasm read worker. */

/** An input as sent to the worker: a file path, or bytes (transferred). */
export type WorkerInput = { readonly name: string; readonly path: string } | { readonly name: string; readonly bytes: Uint8Array };

/** Main -> worker. Requests are answered in order, one reply each. */
export type ReadRequest =
  | { readonly type: 'open'; readonly inputs: readonly WorkerInput[] }
  | { readonly type: 'read'; readonly file: number; readonly rowGroup: number; readonly columns?: readonly string[]; readonly batchSize?: number };

/** What the worker knows of one input after opening it. */
export interface OpenedFile {
  /** The file's Arrow schema as an IPC stream with no batches. */
  readonly schemaIpc: Uint8Array;
  /** Rows in each row group. */
  readonly rowGroupRows: readonly number[];
}

/** Worker -> main. */
export type ReadReply =
  | { readonly type: 'opened'; readonly files: readonly OpenedFile[] }
  | { readonly type: 'rows'; readonly ipc: Uint8Array }
  | { readonly type: 'failed'; readonly file: string; readonly message: string };
