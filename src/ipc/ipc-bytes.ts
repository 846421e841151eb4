import { ArrowBalanceError } from '../errors.js';
import { formatCount } from '../text/format-count.js';

/** How the IPC file format begins (and ends): `ARROW1`, padded to 8 bytes at the start. */
export const FILE_MAGIC = Uint8Array.of(0x41, 0x52, 0x52, 0x4f, 0x57, 0x31);
/** Bytes that tell a file from a stream: the file's magic and padding, or a stream's first message header. */
const HEAD_BYTES = 8;
/** The continuation marker that starts every message of an IPC stream (since Arrow 0.15). */
const CONTINUATION = 0xffffffff;
/** The end-of-stream marker: a continuation marker and a metadata length of 0. */
const EOS = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);
const PARQUET_MAGIC = Uint8Array.of(0x50, 0x41, 0x52, 0x31);

/** What the first bytes of an input say it is. */
export type IpcStart = 'file' | 'stream' | 'parquet' | 'empty' | 'other';

/**
 * Tells an IPC file from an IPC stream (or something else) by its first bytes.
 * @param head at least the first 8 bytes of the input, or all of it when shorter
 */
export function ipcStart(head: Uint8Array): IpcStart {
  if (head.byteLength === 0) return 'empty';
  if (startsWith(head, FILE_MAGIC)) return 'file';
  if (startsWith(head, PARQUET_MAGIC)) return 'parquet';
  if (head.byteLength >= 4 && new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) === CONTINUATION) return 'stream';
  return 'other';
}

/**
 * The one-line error for an input that is not Arrow IPC (or is empty).
 * @param name the input's name (`stdin`, a path)
 * @param start what {@link ipcStart} found
 */
export function notIpcError(name: string, start: Exclude<IpcStart, 'file' | 'stream'>): ArrowBalanceError {
  if (start === 'empty') return new ArrowBalanceError(`${name}: is empty; expected an Arrow IPC stream (such as pyarrow.ipc.new_stream writes) or file`);
  if (start === 'parquet') return new ArrowBalanceError(`${name}: is a Parquet file, not Arrow IPC; give it a .parquet name (or --format parquet for an output)`);
  return new ArrowBalanceError(`${name}: is not Arrow IPC data (it does not start with an IPC stream's or file's first bytes); give an Arrow IPC stream or file, or Parquet with a .parquet name`);
}

/**
 * Passes an IPC stream's bytes on, chunk by chunk, checking them on the way: its first bytes must be an IPC
 * stream's, and it must not end before its end-of-stream marker. (An IPC file is refused here: its schema
 * and the place of its batches are in its footer, at the end, and apache-arrow would hold all of it.)
 *
 * The Arrow specification lets a writer end a stream by closing it, without the marker; but the writers we
 * know of (arrow-rs, Arrow C++ and so pyarrow, apache-arrow JS) write it, while a stream whose
 * writer died (a crashed producer at the other end of a pipe) ends without it, often right after a
 * complete message. Read as complete, such a stream would quietly train on part of the data, so it is refused.
 * A reader that stops at the marker leaves the rest unread; bytes after it are not looked at.
 *
 * Memory: one chunk of the source at a time, plus 8 bytes.
 * @param source the bytes (a Node readable stream is one)
 * @param name the input's name, for messages
 * @throws ArrowBalanceError (from the iteration) for input that is empty or not Arrow IPC, or cut short
 */
export async function* checkedStreamBytes(source: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<Uint8Array, void, undefined> {
  let head: Uint8Array = new Uint8Array(0);
  let started = false;
  const tail = new Uint8Array(EOS.byteLength);
  let tailLength = 0;
  let bytes = 0;
  for await (const raw of source) {
    let chunk = toBytes(raw);
    if (!started) {
      head = concat(head, chunk);
      if (head.byteLength < HEAD_BYTES) continue;
      started = true;
      const start = ipcStart(head);
      if (start === 'file') throw fileOnStream(name);
      if (start !== 'stream') throw notIpcError(name, start);
      chunk = head;
      head = new Uint8Array(0);
    }
    if (chunk.byteLength === 0) continue;
    bytes += chunk.byteLength;
    tailLength = keepTail(tail, tailLength, chunk);
    yield chunk;
  }
  if (!started) {
    const start = ipcStart(head);
    throw start === 'file' || start === 'stream' ? cutShort(name, head.byteLength) : notIpcError(name, start);
  }
  if (tailLength < EOS.byteLength || !tail.every((byte, index) => byte === EOS[index])) throw cutShort(name, bytes);
}

function fileOnStream(name: string): ArrowBalanceError {
  return new ArrowBalanceError(`${name}: holds an Arrow IPC file, which is read from disk (its footer comes last); save it to a .arrow file and give its path, or send an IPC stream`);
}

function cutShort(name: string, bytes: number): ArrowBalanceError {
  return new ArrowBalanceError(
    `${name}: the Arrow IPC stream ends after ${formatCount(bytes)} bytes without its end-of-stream marker: it was cut short (did the program writing it fail?); check the producer and send it again`,
  );
}

/** Keeps the last 8 bytes seen in `tail`; returns how many it holds. */
function keepTail(tail: Uint8Array, length: number, chunk: Uint8Array): number {
  if (chunk.byteLength >= tail.byteLength) {
    tail.set(chunk.subarray(chunk.byteLength - tail.byteLength));
    return tail.byteLength;
  }
  const keep = Math.min(length, tail.byteLength - chunk.byteLength);
  tail.copyWithin(0, length - keep, length);
  tail.set(chunk, keep);
  return keep + chunk.byteLength;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.byteLength >= prefix.byteLength && prefix.every((byte, index) => bytes[index] === byte);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b;
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a);
  joined.set(b, a.byteLength);
  return joined;
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  throw new ArrowBalanceError(`an Arrow IPC source must give bytes (Uint8Array or Buffer chunks), got ${typeof chunk}`);
}
