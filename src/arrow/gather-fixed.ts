/**
 * Fixed-width gather: copies `stride` elements per selected row from a typed array. This is the hot path of the
 * library, so every loop below touches a single typed-array kind (monomorphic) and copies raw bits: 8-byte
 * elements (Int64, Float64, timestamps) move as 64-bit integers (optimised code copies BigInt64Array
 * elements without creating bigints; about 30 % faster than pairs of 32-bit words on scattered rows, which
 * remain the path for buffers not aligned to 8 bytes), so NaN payloads are kept bit for bit.
 */

/** Any typed array Arrow uses for fixed-width values. */
export type FixedWidthArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

type FixedWidthConstructor = new (length: number) => FixedWidthArray;

/**
 * Gathers rows `indices` (any order, repeats allowed) of `values`, `stride` elements a row.
 *
 * Memory: allocates exactly `indices.length * stride` elements of the same array type.
 *
 * @param values source elements; row i occupies `[i * stride, (i + 1) * stride)`
 * @param stride elements per row (1 for numbers; 4 or 8 for decimals; the byte width for fixed-size binary)
 * @param indices rows to copy, each in `[0, values.length / stride)` (not checked here)
 * @returns a new array of the same type as `values` holding the selected rows in order
 */
export function gatherFixed<T extends FixedWidthArray>(values: T, stride: number, indices: Int32Array): T {
  const out = new (values.constructor as FixedWidthConstructor)(indices.length * stride) as T;
  gatherFixedInto(values, stride, indices, out, 0);
  return out;
}

/**
 * Gathers rows `indices` of `values` into `out` from row `at` on (`out` has the element type of `values`):
 * what {@link gatherFixed} does, into an array the caller owns, e.g. one output column filled from
 * several input batches.
 *
 * Memory: none.
 *
 * @param values source elements; row i occupies `[i * stride, (i + 1) * stride)`
 * @param stride elements per row
 * @param indices rows to copy, each in `[0, values.length / stride)` (not checked here)
 * @param out the target, with room for rows `at .. at + indices.length`
 * @param at first target row
 */
export function gatherFixedInto(values: FixedWidthArray, stride: number, indices: Int32Array, out: FixedWidthArray, at: number): void {
  const width = values.BYTES_PER_ELEMENT;
  const offset = out.byteOffset + at * stride * width;
  const size = indices.length * stride * width;
  if (width === 1) {
    const source = bytesOf(values);
    const target = new Uint8Array(out.buffer, offset, size);
    if (stride === 1) gather8(source, target, indices);
    else gatherBytesStrided(source, target, stride, indices);
  } else if (width === 2) {
    gatherStrided16(new Uint16Array(values.buffer, values.byteOffset, values.length), new Uint16Array(out.buffer, offset, size >> 1), stride, indices);
  } else {
    const words = stride * (width >> 2);
    const source = new Int32Array(values.buffer, values.byteOffset, values.length * (width >> 2));
    if (words === 1) gather32(source, new Int32Array(out.buffer, offset, size >> 2), indices);
    else if (words === 2 && values.byteOffset % 8 === 0 && offset % 8 === 0) {
      gather64(new BigInt64Array(values.buffer, values.byteOffset, source.length >> 1), new BigInt64Array(out.buffer, offset, size >> 3), indices);
    } else if (words === 2) gather32x2(source, new Int32Array(out.buffer, offset, size >> 2), indices);
    else gatherWordsStrided(source, new Int32Array(out.buffer, offset, size >> 2), words, indices);
  }
}

/**
 * Gathers rows `indices` of several 64-bit columns at once: `targets[c][k] = sources[c][indices[k]]`, four
 * columns per pass over the indices (then two, then one). Scattered rows are bound by memory latency, and
 * one pass over several columns keeps more independent cache misses in flight than a pass per column
 * (about 20 % faster on 33,000 scattered rows of 12 columns).
 *
 * Memory: none.
 *
 * @param sources the columns' values as 64-bit words
 * @param targets where each column's gathered rows go (`indices.length` words each)
 * @param indices rows to copy, each within every source (not checked here)
 */
export function gather64Columns(sources: readonly BigInt64Array[], targets: readonly BigInt64Array[], indices: Int32Array): void {
  let c = 0;
  for (; c + 4 <= sources.length; c += 4) {
    gather64x4(sources[c] as BigInt64Array, sources[c + 1] as BigInt64Array, sources[c + 2] as BigInt64Array, sources[c + 3] as BigInt64Array,
      targets[c] as BigInt64Array, targets[c + 1] as BigInt64Array, targets[c + 2] as BigInt64Array, targets[c + 3] as BigInt64Array, indices);
  }
  for (; c < sources.length; c++) gather64(sources[c] as BigInt64Array, targets[c] as BigInt64Array, indices);
}

function gather64x4(
  s0: BigInt64Array, s1: BigInt64Array, s2: BigInt64Array, s3: BigInt64Array,
  t0: BigInt64Array, t1: BigInt64Array, t2: BigInt64Array, t3: BigInt64Array, indices: Int32Array,
): void {
  for (let k = 0, n = indices.length; k < n; k++) {
    const j = indices[k] as number;
    t0[k] = s0[j] as bigint;
    t1[k] = s1[j] as bigint;
    t2[k] = s2[j] as bigint;
    t3[k] = s3[j] as bigint;
  }
}

function bytesOf(values: FixedWidthArray): Uint8Array {
  return values instanceof Uint8Array ? values : new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function gather8(source: Uint8Array, target: Uint8Array, indices: Int32Array): void {
  for (let k = 0, n = indices.length; k < n; k++) target[k] = source[indices[k] as number] as number;
}

function gather32(source: Int32Array, target: Int32Array, indices: Int32Array): void {
  for (let k = 0, n = indices.length; k < n; k++) target[k] = source[indices[k] as number] as number;
}

function gather64(source: BigInt64Array, target: BigInt64Array, indices: Int32Array): void {
  for (let k = 0, n = indices.length; k < n; k++) target[k] = source[indices[k] as number] as bigint;
}

function gather32x2(source: Int32Array, target: Int32Array, indices: Int32Array): void {
  for (let k = 0, n = indices.length; k < n; k++) {
    const j = (indices[k] as number) << 1;
    const m = k << 1;
    target[m] = source[j] as number;
    target[m + 1] = source[j + 1] as number;
  }
}

function gatherStrided16(source: Uint16Array, target: Uint16Array, stride: number, indices: Int32Array): void {
  for (let k = 0, n = indices.length; k < n; k++) {
    const j = (indices[k] as number) * stride;
    const m = k * stride;
    for (let e = 0; e < stride; e++) target[m + e] = source[j + e] as number;
  }
}

function gatherWordsStrided(source: Int32Array, target: Int32Array, stride: number, indices: Int32Array): void {
  for (let k = 0, n = indices.length; k < n; k++) {
    const j = (indices[k] as number) * stride;
    const m = k * stride;
    for (let e = 0; e < stride; e++) target[m + e] = source[j + e] as number;
  }
}

function gatherBytesStrided(source: Uint8Array, target: Uint8Array, stride: number, indices: Int32Array): void {
  for (let k = 0, n = indices.length; k < n; k++) {
    const j = (indices[k] as number) * stride;
    const m = k * stride;
    if (stride > 32) {
      target.set(source.subarray(j, j + stride), m);
    } else {
      for (let e = 0; e < stride; e++) target[m + e] = source[j + e] as number;
    }
  }
}
