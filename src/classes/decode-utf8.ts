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
  for (let j = start; j < end; j++) if ((bytes[j] as number) >= 0x80) return decoder.decode(bytes.subarray(start, end));
  // One call makes a flat string; appending a character at a time made a chain of strings (a label of 13
  // characters or more cost about 30 bytes more for as long as its class was known).
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}
