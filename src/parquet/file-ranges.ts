import { fstatSync, readSync } from 'node:fs';
import { countBytesRead } from './read-meter.js';

/** What parquet-wasm's `ParquetFile.fromFile` uses of a `Blob`: the size and byte ranges. */
export interface ByteRanges {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
  /** The bytes in [start, end), cut at the end. */
  read(start: number, end: number): Uint8Array;
  /**
   * Copies the bytes in [start, start + target.length) into `target`, with no buffer of its own in between.
   * @throws Error when the file ends first
   */
  readInto(start: number, target: Uint8Array): void;
  /** Says that every range handed out so far has been consumed, so their memory may be used again. */
  recycle(): void;
}

/**
 * A Blob-like view of an open file that reads each range with one synchronous `pread`.
 *
 * parquet-wasm reads row groups through `Blob.slice().arrayBuffer()`; with the Blobs of `fs.openAsBlob`
 * that path took about 0.8 s of every 1.0 s spent reading a 480 MB file, against about 0.12 s here.
 * Ranges are read into buffers that are reused once the caller says they were consumed ({@link recycle}):
 * parquet-wasm copies each range into its own memory, and a fresh 10 MB buffer per row group would sit
 * as garbage until a collection. The descriptor can be swapped (`fd`) because the main thread opens the
 * file anew for each batch of requests.
 */
export class FileRanges implements ByteRanges {
  readonly size: number;
  private readonly buffers = new BufferPool();

  constructor(public fd: number) {
    this.size = fstatSync(fd).size;
  }

  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> } {
    // parquet-wasm wraps what it gets in `new Uint8Array(x, 0)`, which views an ArrayBuffer but copies a
    // typed array: hand it the whole (resized) buffer, so the only copy is the one into wasm memory.
    return { arrayBuffer: () => Promise.resolve(this.read(start, end).buffer as ArrayBuffer) };
  }

  read(start: number, end: number): Uint8Array {
    const bytes = this.buffers.take(Math.max(0, Math.min(end, this.size) - start));
    this.readInto(start, bytes);
    return bytes;
  }

  readInto(start: number, target: Uint8Array): void {
    let done = 0;
    while (done < target.byteLength) {
      const read = readSync(this.fd, target, done, target.byteLength - done, start + done);
      if (read === 0) throw new Error(`the file shrank while it was being read (expected ${this.size} bytes)`);
      done += read;
    }
    countBytesRead(done);
  }

  recycle(): void {
    this.buffers.recycle();
  }
}

/** A Blob-like view of bytes in memory. */
export class MemoryRanges implements ByteRanges {
  readonly size: number;

  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.byteLength;
  }

  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> } {
    return { arrayBuffer: () => Promise.resolve(this.read(start, end) as unknown as ArrayBuffer) };
  }

  read(start: number, end: number): Uint8Array {
    return this.bytes.subarray(start, Math.min(end, this.size));
  }

  readInto(start: number, target: Uint8Array): void {
    if (start + target.byteLength > this.size) throw new Error(`the file ends at byte ${this.size}, before byte ${start + target.byteLength}`);
    target.set(this.bytes.subarray(start, start + target.byteLength));
  }

  recycle(): void {}
}

/**
 * Buffers handed out until {@link recycle}, then reused. Each is a resizable ArrayBuffer resized to the
 * length asked for, so that the buffer itself (not a view of a larger one) can be handed out.
 */
class BufferPool {
  private free: ArrayBuffer[] = [];
  private inUse: ArrayBuffer[] = [];

  /** A buffer of exactly `length` bytes, viewed whole, that nothing else handed out since the last recycle shares. */
  take(length: number): Uint8Array {
    const at = this.free.findIndex((buffer) => buffer.maxByteLength >= length);
    // Room for 25 % more than asked, so that row groups of slightly different sizes reuse one buffer.
    const buffer = at >= 0 ? (this.free.splice(at, 1)[0] as ArrayBuffer) : new ArrayBuffer(0, { maxByteLength: Math.ceil(length * 1.25) });
    buffer.resize(length);
    this.inUse.push(buffer);
    return new Uint8Array(buffer, 0, length);
  }

  recycle(): void {
    this.free.push(...this.inUse);
    this.inUse = [];
  }
}
