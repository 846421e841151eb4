/**
 * UTF-8 bytes to a JavaScript string, with a fast path for the short ASCII strings class labels usually are.
 */

const decoder = new TextDecoder();

/**
 * Decodes `bytes[start, end)`.
 *
 * @param bytes UTF-8 bytes
 * @param start first byte
 * @param end one past the last byte
 * @returns the string
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 32) return decoder.decode(bytes.subarray(start, end));
  let text = '';
  for (let j = start; j < end; j++) {
    const byte = bytes[j] as number;
    if (byte >= 0x80) return decoder.decode(bytes.subarray(start, end));
    text += String.fromCharCode(byte);
  }
  return text;
}
