/**
 * A row's priority for the report's samples: a number in [0, 1) that depends only on the job's seed, the side
 * (input or output) and the row's position in the whole input or output. A row is in its class's sample when
 * its priority is below the class's rate, so the samples are the same whatever reads the rows: one pipeline,
 * any number of workers, any batch sizes.
 *
 * Every row's priority is tested, so its first 32 bits cost one murmur3 finalizer: rows are numbered in blocks
 * of 2^32 that each have a key mixed from the seed (see {@link blockKey}), and a row's first bits mix its
 * number within the block, stepped by the golden ratio, with that key (SplitMix's construction). The other 21
 * bits are computed only for the few rows whose first bits may put them in a sample.
 */

/** Rows per block of one key. */
export const BLOCK_ROWS = 4294967296;

/** 2^32 / golden ratio: the step between consecutive rows' mixed numbers. */
const GOLDEN = 0x9e3779b9;

/** A seed hashed to 32 bits (FNV-1a), so that each job's samples differ. */
export function seedHash(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The key of the block of 2^32 rows that holds `row`.
 * @param seed a hashed seed ({@link seedHash})
 * @param row a row's position (0-based, up to 2^53)
 */
export function blockKey(seed: number, row: number): number {
  return murmurFinalize(seed ^ Math.imul(Math.floor(row / BLOCK_ROWS) >>> 0, 0x9e3779b1) ^ 0x2545f491);
}

/**
 * The first 32 bits of a row's priority, as an integer: the priority lies in [bits / 2^32, (bits + 1) / 2^32).
 * @param key the key of the row's block ({@link blockKey})
 * @param row the row's position
 */
export function priorityBits(key: number, row: number): number {
  return murmurFinalize((Math.imul(row >>> 0, GOLDEN) + key) | 0);
}

/**
 * The first bits of consecutive rows' priorities ({@link priorityBits}), a batch at a time: the rows' mixed
 * numbers step by adding, without a multiplication each.
 * @param seed a hashed seed ({@link seedHash})
 * @param firstRow the position of the first row
 * @param out filled with the first bits of rows `firstRow` to `firstRow + out.length - 1`
 */
export function fillPriorityBits(seed: number, firstRow: number, out: Uint32Array): void {
  for (let start = 0; start < out.length; ) {
    const row = firstRow + start;
    const end = Math.min(out.length, start + BLOCK_ROWS - (row % BLOCK_ROWS));
    let mixed = (Math.imul(row >>> 0, GOLDEN) + blockKey(seed, row)) | 0;
    for (let i = start; i < end; i++) {
      out[i] = murmurFinalize(mixed);
      mixed = (mixed + GOLDEN) | 0;
    }
    start = end;
  }
}

/**
 * A row's whole priority (53 bits: with 32, millions of rows would share priorities).
 * @param key the key of the row's block ({@link blockKey})
 * @param row the row's position
 * @param bits its first bits, when known ({@link priorityBits})
 */
export function priorityWithKey(key: number, row: number, bits = priorityBits(key, row)): number {
  const rest = murmurFinalize(bits ^ 0x68e31da4 ^ Math.imul(row >>> 0, 0x85ebca6b));
  return (bits * 2097152 + (rest >>> 11)) / 9007199254740992;
}

/**
 * The priority of row `row` for a hashed seed.
 * @param seed a hashed seed ({@link seedHash})
 * @param row the row's position (0-based, up to 2^53)
 */
export function rowPriority(seed: number, row: number): number {
  return priorityWithKey(blockKey(seed, row), row);
}

/** murmur3's 32-bit finalizer: every input bit moves every output bit. */
export function murmurFinalize(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
