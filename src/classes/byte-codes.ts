/**
 * `ByteCodes`: class codes of UTF-8 labels looked up by their bytes (hash + compare), so the common case of a
 * label seen before costs no string decode and no string allocation.
 */
import type { CodeTable } from './code-table.js';
import { decodeUtf8 } from './decode-utf8.js';

/**
 * An open-addressing hash table from label bytes to class code, in front of a {@link CodeTable}.
 *
 * The bytes of every distinct label are kept in one growing buffer, addressed by class code: a copy per
 * label (a `Uint8Array` each) cost about 330 bytes a class on top of the bytes themselves.
 *
 * Memory: O(classes x label bytes): each distinct label's bytes once (in a buffer grown by doubling), two
 * Int32Array slots per class code for where they lie, and two table slots per label, at most half full.
 */
export class ByteCodes {
  #mask = 63;
  #codes = new Int32Array(64).fill(-1);
  #hashes = new Int32Array(64);
  #count = 0;
  /** Label bytes, one label after the other. */
  #bytes = new Uint8Array(1024);
  #used = 0;
  /** Where the bytes of a code's label start and end in `#bytes`, indexed by class code. */
  #starts = new Int32Array(64);
  #ends = new Int32Array(64);

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
      if (hashes[slot] === hash && this.#holds(code, source, start, end)) return code;
      slot = (slot + 1) & mask;
    }
    const code = table.code(decodeUtf8(source, start, end));
    codes[slot] = code;
    hashes[slot] = hash;
    this.#keep(code, source, start, end);
    if (++this.#count * 2 > mask) this.#grow();
    return code;
  }

  /** Whether the label of `code` has the bytes `source[start, end)`. */
  #holds(code: number, source: Uint8Array, start: number, end: number): boolean {
    const from = this.#starts[code] as number;
    if ((this.#ends[code] as number) - from !== end - start) return false;
    const bytes = this.#bytes;
    for (let j = start; j < end; j++) if (bytes[from + j - start] !== source[j]) return false;
    return true;
  }

  /** Copies a new label's bytes into the buffer and records where they lie. */
  #keep(code: number, source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.#used + length > this.#bytes.length) {
      let size = this.#bytes.length * 2;
      while (size < this.#used + length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.#bytes.subarray(0, this.#used));
      this.#bytes = grown;
    }
    this.#bytes.set(source.subarray(start, end), this.#used);
    if (code >= this.#starts.length) {
      let size = this.#starts.length * 2;
      while (size <= code) size *= 2;
      this.#starts = grownInts(this.#starts, size);
      this.#ends = grownInts(this.#ends, size);
    }
    this.#starts[code] = this.#used;
    this.#used += length;
    this.#ends[code] = this.#used;
  }

  #grow(): void {
    const oldCodes = this.#codes;
    const oldHashes = this.#hashes;
    const size = oldCodes.length * 2;
    this.#mask = size - 1;
    this.#codes = new Int32Array(size).fill(-1);
    this.#hashes = new Int32Array(size);
    for (let s = 0; s < oldCodes.length; s++) {
      if (oldCodes[s] === -1) continue;
      let slot = (oldHashes[s] as number) & this.#mask;
      while (this.#codes[slot] !== -1) slot = (slot + 1) & this.#mask;
      this.#codes[slot] = oldCodes[s] as number;
      this.#hashes[slot] = oldHashes[s] as number;
    }
  }
}

function grownInts(values: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(size);
  grown.set(values);
  return grown;
}
