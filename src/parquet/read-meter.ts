import { isMainThread, workerData } from 'node:worker_threads';

/**
 * Bytes read from inputs (files and URLs) by every thread of this process, in one counter in shared memory:
 * the main thread makes it and hands it to each Parquet worker at start (`workerData.readMeter`), so a
 * shard can say how many bytes it read, footers included, whichever thread read them.
 */
const shared: SharedArrayBuffer = !isMainThread && (workerData as { readMeter?: unknown } | null)?.readMeter instanceof SharedArrayBuffer
  ? ((workerData as { readMeter: SharedArrayBuffer }).readMeter)
  : new SharedArrayBuffer(8);
const counter = new BigInt64Array(shared);

/** The counter's memory, for a worker's `workerData.readMeter`. */
export function readMeterMemory(): SharedArrayBuffer {
  return shared;
}

/** Counts `bytes` read from an input. */
export function countBytesRead(bytes: number): void {
  Atomics.add(counter, 0, BigInt(bytes));
}

/** Bytes read from inputs so far by this process's threads. */
export function bytesReadSoFar(): number {
  return Number(Atomics.load(counter, 0));
}
