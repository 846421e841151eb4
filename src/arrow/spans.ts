/**
 * Variable-length layouts (strings, binary, lists, maps): read the value range of selected rows from 32- or 64-bit
 * offsets, and write fresh offsets for gathered or concatenated output.
 */
import { ArrowBalanceError } from '../errors.js';

/** Arrow value offsets: Int32 for Utf8/Binary/List/Map, Int64 for the Large variants. */
export type ValueOffsets = Int32Array | BigInt64Array;

/** Value ranges of selected rows: row k spans `[starts[k], starts[k] + lengths[k])`; `total` is the sum of lengths. */
export interface Spans {
  readonly starts: Float64Array;
  readonly lengths: Float64Array;
  readonly total: number;
}

const TWO_32 = 4294967296;
const INT32_MAX = 2147483647;

/**
 * Reads the value range of rows `indices` from `offsets` (entry i and i + 1 bound row i, as in a sliced `Data`).
 *
 * @param offsets the column's value offsets
 * @param indices rows to read
 * @returns the spans, in index order
 */
export function spansOf(offsets: ValueOffsets, indices: Int32Array): Spans {
  const n = indices.length;
  const starts = new Float64Array(n);
  const lengths = new Float64Array(n);
  let total = 0;
  if (offsets instanceof Int32Array) {
    for (let k = 0; k < n; k++) {
      const i = indices[k] as number;
      const start = offsets[i] as number;
      const length = (offsets[i + 1] as number) - start;
      starts[k] = start;
      lengths[k] = length;
      total += length;
    }
  } else {
    const words = new Int32Array(offsets.buffer, offsets.byteOffset, offsets.length * 2);
    for (let k = 0; k < n; k++) {
      const i = indices[k] as number;
      const start = readWide(words, i);
      const length = readWide(words, i + 1) - start;
      starts[k] = start;
      lengths[k] = length;
      total += length;
    }
  }
  return { starts, lengths, total };
}

/**
 * Offset entry `i` as a number (32-bit offsets directly, 64-bit ones without creating a bigint).
 *
 * @param offsets the column's value offsets
 * @param i entry to read
 * @returns the offset
 */
export function offsetAt(offsets: ValueOffsets, i: number): number {
  if (offsets instanceof Int32Array) return offsets[i] as number;
  return Number(offsets[i] as bigint);
}

function readWide(words: Int32Array, i: number): number {
  return ((words[2 * i] as number) >>> 0) + (words[2 * i + 1] as number) * TWO_32;
}

/**
 * Builds offsets `[0, l0, l0 + l1, ...]` of the same width as `like` for consecutive values of the given lengths.
 *
 * @param lengths value length of each output row
 * @param like offsets of the input, to pick Int32 or Int64 output
 * @param what column description for the overflow error
 * @returns fresh offsets of `lengths.length + 1` entries
 */
export function offsetsFromLengths(lengths: Float64Array, like: ValueOffsets, what: string): ValueOffsets {
  const n = lengths.length;
  if (like instanceof Int32Array) {
    const out = new Int32Array(n + 1);
    let position = 0;
    for (let k = 0; k < n; k++) {
      position += lengths[k] as number;
      out[k + 1] = position;
    }
    if (position > INT32_MAX) {
      throw new ArrowBalanceError(
        `${what} would hold ${position} values, more than 32-bit offsets allow (${INT32_MAX}); emit smaller batches`,
      );
    }
    return out;
  }
  const out = new BigInt64Array(n + 1);
  const words = new Int32Array(out.buffer);
  let position = 0;
  for (let k = 0; k < n; k++) {
    position += lengths[k] as number;
    words[2 * k + 2] = position % TWO_32;
    words[2 * k + 3] = Math.floor(position / TWO_32);
  }
  return out;
}

/**
 * Copies the byte ranges `spans` of `values` one after another into a fresh array of exactly `spans.total` bytes.
 *
 * @param values the column's value bytes
 * @param spans ranges to copy, in output order
 * @returns the packed bytes
 */
export function copyByteSpans(values: Uint8Array, spans: Spans): Uint8Array {
  const out = new Uint8Array(spans.total);
  const { starts, lengths } = spans;
  let position = 0;
  for (let k = 0, n = starts.length; k < n; k++) {
    const start = starts[k] as number;
    const length = lengths[k] as number;
    if (length > 24) {
      out.set(values.subarray(start, start + length), position);
    } else {
      for (let b = 0; b < length; b++) out[position + b] = values[start + b] as number;
    }
    position += length;
  }
  return out;
}

/**
 * Expands spans into the child row indices they cover (for lists and maps), in order.
 *
 * @param spans child ranges of the selected rows
 * @returns `spans.total` child indices
 */
export function indicesOfSpans(spans: Spans): Int32Array {
  if (spans.total > INT32_MAX) {
    throw new ArrowBalanceError(`a list column would hold ${spans.total} child values, more than one batch can; emit smaller batches`);
  }
  const out = new Int32Array(spans.total);
  const { starts, lengths } = spans;
  let position = 0;
  for (let k = 0, n = starts.length; k < n; k++) {
    const start = starts[k] as number;
    const length = lengths[k] as number;
    for (let e = 0; e < length; e++) out[position + e] = start + e;
    position += length;
  }
  return out;
}

/**
 * Writes the value lengths of rows `[0, rows)` described by `offsets` into `target` from position `at`.
 *
 * @param offsets value offsets of a (possibly sliced) column, `rows + 1` entries used
 * @param rows number of rows
 * @param target receives the lengths
 * @param at first position written in `target`
 * @returns the sum of the lengths
 */
export function lengthsInto(offsets: ValueOffsets, rows: number, target: Float64Array, at: number): number {
  if (rows === 0) return 0;
  if (offsets instanceof Int32Array) {
    for (let i = 0; i < rows; i++) target[at + i] = (offsets[i + 1] as number) - (offsets[i] as number);
    return (offsets[rows] as number) - (offsets[0] as number);
  }
  const words = new Int32Array(offsets.buffer, offsets.byteOffset, offsets.length * 2);
  for (let i = 0; i < rows; i++) target[at + i] = readWide(words, i + 1) - readWide(words, i);
  return readWide(words, rows) - readWide(words, 0);
}
