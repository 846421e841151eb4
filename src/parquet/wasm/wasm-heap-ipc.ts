/**
 * Reads a parquet-wasm record batch's Arrow IPC in place, in the wasm heap, instead of through
 * `RecordBatch.intoIPCStream()`, which copies it into a fresh JavaScript buffer. A worker that copies each
 * batch into memory the main thread lent it (a transient read) then allocates nothing large per batch:
 * fresh buffers cost page faults here and garbage collection on the thread they are sent to.
 *
 * parquet-wasm 0.8.0 does not export its wasm memory, so importing this module watches for the instance
 * parquet-wasm creates: import it before parquet-wasm (the worker's entry and `wasm-decoder.ts` import it
 * first). Without a captured instance, or when the exports it uses are missing, {@link withBatchIpc} falls
 * back to the copying public API. It relies on the calling convention of the bindings wasm-bindgen
 * generated for parquet-wasm 0.8.0 (pinned exactly in package.json; `test/wasm-heap-ipc.test.ts` reads
 * batches through it): check it when upgrading parquet-wasm.
 */
import type { RecordBatch } from 'parquet-wasm';

/** The raw exports of parquet-wasm's instance that this module uses (wasm-bindgen 0.2 names). */
interface RawExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  recordbatch_intoIPCStream(pointer: number): [number, number, number, number];
  __wbindgen_free(pointer: number, size: number, align: number): void;
  readonly __wbindgen_externrefs: { get(index: number): unknown };
  __externref_table_dealloc(index: number): void;
}

/** The part of the WebAssembly global used here (the project's type libraries do not declare it). */
type InstanceConstructor = new (module: unknown, imports?: unknown) => { readonly exports: object };
const webAssembly = (globalThis as unknown as { WebAssembly: { Instance: InstanceConstructor } }).WebAssembly;

let raw: RawExports | undefined;

/**
 * Watches the WebAssembly instances this thread creates until parquet-wasm's, recognised by its exports,
 * is seen, and keeps its exports.
 */
function captureParquetWasm(): void {
  const Original = webAssembly.Instance;
  webAssembly.Instance = new Proxy(Original, {
    construct(target, args: unknown[]) {
      const instance = Reflect.construct(target, args) as InstanceType<InstanceConstructor>;
      const exports = instance.exports as Partial<RawExports>;
      const complete = typeof exports.recordbatch_intoIPCStream === 'function' && typeof exports.__wbindgen_free === 'function' &&
        typeof exports.__externref_table_dealloc === 'function' && exports.__wbindgen_externrefs !== undefined && exports.memory !== undefined;
      if (complete) {
        raw = exports as RawExports;
        webAssembly.Instance = Original;
      }
      return instance;
    },
  });
}

captureParquetWasm();

/**
 * Calls `use` with the batch as an Arrow IPC stream, then frees the batch. The stream is a view of wasm
 * memory when possible: `use` must not keep it, nor call into parquet-wasm (which may move it).
 * @param batch a batch parquet-wasm decoded; consumed
 * @param use reads the stream
 * @returns what `use` returns
 */
export function withBatchIpc<T>(batch: RecordBatch, use: (ipc: Uint8Array) => T): T {
  const pointer = raw === undefined ? undefined : (batch as unknown as { __destroy_into_raw?: () => number }).__destroy_into_raw?.();
  if (raw === undefined || pointer === undefined) return use(batch.intoIPCStream());
  const [at, length, error, failed] = raw.recordbatch_intoIPCStream(pointer);
  if (failed !== 0) {
    const cause: unknown = raw.__wbindgen_externrefs.get(error);
    raw.__externref_table_dealloc(error);
    throw cause instanceof Error ? cause : new Error(String(cause));
  }
  try {
    return use(new Uint8Array(raw.memory.buffer, at, length));
  } finally {
    raw.__wbindgen_free(at, length, 1);
  }
}

/** parquet-wasm's heap, when its instance was captured (its buffer changes when the heap grows). */
export function wasmHeap(): ArrayBuffer | undefined {
  return raw?.memory.buffer;
}

/** Whether parquet-wasm's instance was captured, so that {@link withBatchIpc} reads in place (for tests). */
export function readsInPlace(): boolean {
  return raw !== undefined;
}
