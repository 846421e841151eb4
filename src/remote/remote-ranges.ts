import type { ByteRanges } from '../parquet/file-ranges.js';
import { fetchRange, type ByteSpan, type HttpObject } from './http-object.js';

/**
 * A Blob-like view of an object over HTTP(S) for parquet-wasm and the page walks of large row groups.
 *
 * parquet-wasm asks for ranges asynchronously (`slice().arrayBuffer()`): the footer, then each column chunk
 * it decodes, and nothing else, so those ranges are fetched when asked for. Synchronous reads (the framing
 * check, our footer codec, the page walks) can only be served from bytes fetched before: the tail (footer)
 * and head are kept for good, and {@link prefetch} fetches the column chunks of row groups ahead (parquet-wasm then
 * reads them from memory too).
 */
export class RemoteRanges implements ByteRanges {
  readonly size: number;
  /** The head and tail of the object, kept while it is open. */
  private readonly kept: ByteSpan[];
  /** Column chunks fetched ahead for a purpose (a key: row groups and columns), until dropped. */
  private readonly prefetched = new Map<string, readonly ByteSpan[]>();

  private constructor(private readonly object: HttpObject, kept: ByteSpan[]) {
    this.size = object.size;
    this.kept = kept;
  }

  /**
   * Opens an object from its tail (fetched by the main thread), fetching its first 4 bytes when the tail
   * does not hold them.
   */
  static async open(object: HttpObject, tail: ByteSpan): Promise<RemoteRanges> {
    const kept = [tail];
    if (tail.start > 0) kept.push({ start: 0, bytes: await fetchRange(object, 0, Math.min(4, object.size)) });
    return new RemoteRanges(object, kept);
  }

  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> } {
    const stop = Math.min(end, this.size);
    return {
      arrayBuffer: async () => {
        const held = this.held(start, stop);
        // parquet-wasm views an ArrayBuffer whole: hand it one of exactly the range's length.
        return (held === undefined ? await fetchRange(this.object, start, stop) : held.slice()).buffer as ArrayBuffer;
      },
    };
  }

  read(start: number, end: number): Uint8Array {
    return this.mustHold(start, Math.min(end, this.size));
  }

  readInto(start: number, target: Uint8Array): void {
    target.set(this.mustHold(start, start + target.byteLength));
  }

  /**
   * Fetches byte ranges ahead, so that reads can be served from memory, and keeps them until {@link drop}.
   * The ranges are fetched concurrently (bounded by the thread's limit on requests).
   * @param key what the ranges are for (row groups and columns): fetching a key held already does nothing
   */
  async prefetch(key: string, ranges: ReadonlyArray<readonly [start: number, end: number]>): Promise<void> {
    if (this.prefetched.has(key)) return;
    const spans = await Promise.all(ranges.map(async ([start, end]) => ({ start, bytes: await fetchRange(this.object, start, end) })));
    this.prefetched.set(key, spans);
  }

  /** Drops the ranges fetched ahead for `key`. */
  drop(key: string): void {
    this.prefetched.delete(key);
  }

  recycle(): void {}

  private held(start: number, end: number): Uint8Array | undefined {
    for (const span of [...this.kept, ...[...this.prefetched.values()].flat()]) {
      if (start >= span.start && end <= span.start + span.bytes.byteLength) return span.bytes.subarray(start - span.start, end - span.start);
    }
    return undefined;
  }

  private mustHold(start: number, end: number): Uint8Array {
    const held = this.held(start, end);
    if (held === undefined) throw new Error(`bytes ${start}-${end - 1} of ${this.object.name} were read before they were fetched (a bug in arrow-balance)`);
    return held;
  }
}
