import { AsyncByteQueue } from 'apache-arrow';

/**
 * Where an apache-arrow IPC writer puts its bytes: passed straight on to `put` as the writer makes them.
 *
 * apache-arrow's writers queue their bytes in an `AsyncByteQueue` until someone reads them, so a writer
 * that runs ahead of its reader holds everything written so far. A writer `reset` onto this sink hands each
 * piece (a message's metadata, a body buffer, padding) to `put` at once instead: the encoded batch is never
 * held whole, and what holds it next (a file descriptor, a stream's buffer) is the caller's to bound.
 */
export class ByteSink extends AsyncByteQueue {
  /** Bytes passed on so far. */
  bytes = 0;

  /** @param put takes each piece of bytes; it may keep the view only until it returns */
  constructor(private readonly put: (bytes: Uint8Array) => void) {
    super();
  }

  override write(value: ArrayBufferView | ArrayBufferLike | Uint8Array): void {
    const bytes = ArrayBuffer.isView(value)
      ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
      : new Uint8Array(value);
    if (bytes.byteLength === 0) return;
    this.put(bytes);
    this.bytes += bytes.byteLength;
  }
}
