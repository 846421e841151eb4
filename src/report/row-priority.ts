/**
 * A row's priority for the report's samples: a number in [0, 1) that depends only on the job's seed, the side
 * (input or output) and the row's position in the whole input or output. A row is in its class's sample when
 * its priority is below the class's rate, so the samples are the same whatever reads the rows: one pipeline,
 * any number of workers, any batch sizes.
 */

/** A seed hashed to 32 bits (FNV-1a), so that each job's samples differ. */
export function seedHash(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The priority of row `row` (0-based, up to 2^53) for a hashed seed: murmur3's finalizer over the row's low and
 * high 32 bits, mixed with the seed, twice, for 53 random bits (with 32, millions of rows would share
 * priorities).
 */
export function rowPriority(seed: number, row: number): number {
  const first = firstBits(seed, row);
  const second = murmurFinalize(first ^ 0x68e31da4 ^ Math.imul(row >>> 0, 0x85ebca6b));
  return (first * 2097152 + (second >>> 11)) / 9007199254740992;
}

/** A lower bound of {@link rowPriority} from its first 32 bits alone: the priority lies in [floor, floor + 2^-32). */
export function priorityFloor(seed: number, row: number): number {
  return firstBits(seed, row) / 4294967296;
}

function firstBits(seed: number, row: number): number {
  const low = row >>> 0;
  const high = Math.floor(row / 4294967296) >>> 0;
  return murmurFinalize(murmurFinalize(seed ^ low) ^ Math.imul(high, 0x9e3779b1));
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
