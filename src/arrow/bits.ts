/**
 * Bit-packed buffers (validity bitmaps and Bool values): gather and concatenate, LSB-first as Arrow lays them out.
 */

/** Bytes needed to hold `length` bits. */
export function bitmapBytes(length: number): number {
  return (length + 7) >> 3;
}

/** Result of gathering a validity bitmap: the new bitmap and how many of its bits are 0 (null). */
export interface GatheredBits {
  readonly bits: Uint8Array;
  readonly zeros: number;
}

/**
 * Gathers bits `offset + indices[k]` of `source` into a fresh bitmap of `indices.length` bits.
 *
 * @param source bit-packed buffer (LSB first)
 * @param offset bit position of row 0 in `source` (a sliced Arrow `Data` keeps its bitmap unshifted)
 * @param indices rows to read, any order, repeats allowed
 * @returns the gathered bitmap (exact length) and the number of 0 bits in it
 */
export function gatherBits(source: Uint8Array, offset: number, indices: Int32Array): GatheredBits {
  const n = indices.length;
  const bits = new Uint8Array(bitmapBytes(n));
  let ones = 0;
  for (let k = 0; k < n; k++) {
    const j = offset + (indices[k] as number);
    if (((source[j >> 3] as number) >> (j & 7)) & 1) {
      bits[k >> 3] = (bits[k >> 3] as number) | (1 << (k & 7));
      ones++;
    }
  }
  return { bits, zeros: n - ones };
}

/** One run of bits to copy: `length` bits of `source` starting at bit `offset`. */
export interface BitRun {
  readonly source: Uint8Array | undefined;
  readonly offset: number;
  readonly length: number;
}

/**
 * Concatenates runs of bits into one fresh bitmap; a run whose `source` is undefined or empty counts as all ones.
 *
 * @param runs the runs, in output order
 * @returns the bitmap (exact length) and the number of 0 bits in it
 */
export function concatBits(runs: readonly BitRun[]): GatheredBits {
  let total = 0;
  for (const run of runs) total += run.length;
  const bits = new Uint8Array(bitmapBytes(total));
  let k = 0;
  let ones = 0;
  for (const { source, offset, length } of runs) {
    if (source === undefined || source.length === 0) {
      for (let i = 0; i < length; i++, k++) bits[k >> 3] = (bits[k >> 3] as number) | (1 << (k & 7));
      ones += length;
      continue;
    }
    for (let i = 0; i < length; i++, k++) {
      const j = offset + i;
      if (((source[j >> 3] as number) >> (j & 7)) & 1) {
        bits[k >> 3] = (bits[k >> 3] as number) | (1 << (k & 7));
        ones++;
      }
    }
  }
  return { bits, zeros: total - ones };
}
