/**
 * Encoder for Utf8/LargeUtf8 label columns: each row's bytes are hashed and matched against known labels; a
 * string is decoded only for a label not seen before.
 */
import type { ByteCodes } from './byte-codes.js';
import type { CodeTable } from './code-table.js';
import { isNullRow } from './row-nulls.js';
import type { RowNulls } from './row-nulls.js';

/**
 * Codes of string labels.
 *
 * @param bytes the column's value bytes
 * @param offsets its value offsets (entries i and i + 1 bound row i; Int64 for LargeUtf8)
 * @param nulls null rows and their code
 * @param known the coder's byte-level label lookup
 * @param table the coder's code table
 * @param out receives one code per row
 */
export function encodeStrings(
  bytes: Uint8Array,
  offsets: Int32Array | BigInt64Array,
  nulls: RowNulls,
  known: ByteCodes,
  table: CodeTable,
  out: Int32Array,
): void {
  const n = out.length;
  const bounds = offsets instanceof Int32Array ? offsets : wideOffsets(offsets, n + 1);
  const hasNulls = nulls.bitmap !== undefined;
  for (let i = 0; i < n; i++) {
    if (hasNulls && isNullRow(nulls, i)) {
      out[i] = nulls.nullCode();
      continue;
    }
    out[i] = known.code(bytes, bounds[i] as number, bounds[i + 1] as number, table);
  }
}

/** 64-bit offsets as numbers, read from their 32-bit halves. */
function wideOffsets(offsets: BigInt64Array, count: number): Float64Array {
  const words = new Int32Array(offsets.buffer, offsets.byteOffset, offsets.length * 2);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = ((words[2 * i] as number) >>> 0) + (words[2 * i + 1] as number) * 4294967296;
  return out;
}
