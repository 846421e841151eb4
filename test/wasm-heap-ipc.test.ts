import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const heapIpc = pathToFileURL(fileURLToPath(new URL('../dist/src/parquet/wasm/wasm-heap-ipc.js', import.meta.url))).href;
const sample = fileURLToPath(new URL('../samples/mammography.parquet', import.meta.url));

/** Loads wasm-heap-ipc then parquet-wasm in a fresh thread, as the decoding worker does, and decodes the sample. */
function decodeInThread(): Promise<{ inPlace: boolean; rows: number; sum: number }> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    (async () => {
      const { withBatchIpc, readsInPlace } = await import(${JSON.stringify(heapIpc)});
      const { ParquetFile } = await import('parquet-wasm');
      const { tableFromIPC } = await import('apache-arrow');
      const { openAsBlob } = require('node:fs');
      const file = await ParquetFile.fromFile(await openAsBlob(${JSON.stringify(sample)}));
      const reader = (await file.stream({})).getReader();
      let rows = 0, sum = 0;
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        withBatchIpc(next.value, (ipc) => {
          const table = tableFromIPC(ipc);
          rows += table.numRows;
          for (const value of table.getChild('label')) sum += value;
        });
      }
      parentPort.postMessage({ inPlace: readsInPlace(), rows, sum });
    })();`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', (message) => {
      resolve(message as { inPlace: boolean; rows: number; sum: number });
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('reading parquet-wasm batches in place', () => {
  it('finds parquet-wasm\'s memory when loaded first, and reads the batches right', async () => {
    const { inPlace, rows, sum } = await decodeInThread();
    expect(inPlace).toBe(true);
    // mammography: 10,923 rows labelled -1 and 260 labelled 1.
    expect({ rows, sum }).toEqual({ rows: 11_183, sum: 260 - 10_923 });
  });
});
