/**
 * `ByteCodes`: class codes of UTF-8 labels looked up by their bytes (hash + compare), so the common case of a
 * label seen before costs no string decode and no string allocation.
 */
import type { CodeTable } from './code-table.js';
import { decodeUtf8 } from './decode-utf8.js';

/**
 * An open-addressing hash table from label bytes to class code, in front of a {@link CodeTable}.
 *
 * Memory: O(classes x label bytes): one copy of each distinct label's bytes and three slots per class.
 */
export class ByteCodes {
  #mask = 63;
  #codes = new Int32Array(64).fill(-1);
  #hashes = new Int32Array(64);
  #bytes: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(64);
  #count = 0;

  /**
   * Code of the label held in `source[start, end)`, assigning a new class when it is new.
   *
   * @param source UTF-8 bytes
   * @param start first byte
   * @param end one past the last byte
   * @param table the coder's code table (decides codes; shared with other column types)
   * @returns the class code
   */
  code(source: Uint8Array, start: number, end: number, table: CodeTable): number {
    let hash = 0x811c9dc5 | 0;
    for (let j = start; j < end; j++) hash = Math.imul(hash ^ (source[j] as number), 0x01000193);
    const mask = this.#mask;
    const codes = this.#codes;
    const hashes = this.#hashes;
    let slot = hash & mask;
    for (;;) {
      const code = codes[slot] as number;
      if (code === -1) break;
      if (hashes[slot] === hash && sameBytes(this.#bytes[slot] as Uint8Array, source, start, end)) return code;
      slot = (slot + 1) & mask;
    }
    const code = table.code(decodeUtf8(source, start, end));
    codes[slot] = code;
    hashes[slot] = hash;
    this.#bytes[slot] = source.slice(start, end);
    if (++this.#count * 2 > mask) this.#grow();
    return code;
  }

  #grow(): void {
    const oldCodes = this.#codes;
    const oldHashes = this.#hashes;
    const oldBytes = this.#bytes;
    const size = oldCodes.length * 2;
    this.#mask = size - 1;
    this.#codes = new Int32Array(size).fill(-1);
    this.#hashes = new Int32Array(size);
    this.#bytes = new Array<Uint8Array | undefined>(size);
    for (let s = 0; s < oldCodes.length; s++) {
      if (oldCodes[s] === -1) continue;
      let slot = (oldHashes[s] as number) & this.#mask;
      while (this.#codes[slot] !== -1) slot = (slot + 1) & this.#mask;
      this.#codes[slot] = oldCodes[s] as number;
      this.#hashes[slot] = oldHashes[s] as number;
      this.#bytes[slot] = oldBytes[s];
    }
  }
}

function sameBytes(known: Uint8Array, source: Uint8Array, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let j = 0; j < known.length; j++) if (known[j] !== source[start + j]) return false;
  return true;
}
