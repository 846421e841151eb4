/** Checks of the Parquet framing (magic bytes and footer length) that give clear errors before decoding. */

const MAGIC = 'PAR1';
/** Smallest possible Parquet file: magic, footer length, magic. */
const MIN_SIZE = 12;

/**
 * Says what is wrong with a file's framing, or nothing when it looks like Parquet.
 * @param size the file size in bytes
 * @param head the first 4 bytes
 * @param tail the last 8 bytes (footer length, little-endian u32, then the magic)
 * @returns a description of the problem, or undefined
 */
export function framingProblem(size: number, head: Uint8Array, tail: Uint8Array): string | undefined {
  if (size === 0) return 'empty file (0 bytes), not a Parquet file';
  if (size < MIN_SIZE) return `not a Parquet file (only ${size} bytes)`;
  if (ascii(head) !== MAGIC) return 'not a Parquet file (it does not start with the PAR1 magic bytes)';
  if (ascii(tail.subarray(4)) !== MAGIC) return 'truncated or not a Parquet file (no PAR1 magic bytes at the end)';
  const footerLength = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  if (footerLength + MIN_SIZE > size) {
    return `truncated or corrupt Parquet file (footer of ${footerLength} bytes does not fit in ${size} bytes)`;
  }
  return undefined;
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
