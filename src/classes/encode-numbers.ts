/**
 * Encoders for numeric and boolean label columns: typed-array loops into dense class codes.
 */
import { normalizeBigInt } from './class-value.js';
import type { CodeTable } from './code-table.js';
import { isNullRow } from './row-nulls.js';
import type { RowNulls } from './row-nulls.js';

/** Typed arrays of labels that fit in a JavaScript number exactly. */
export type NumberLabels = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

/**
 * Codes of 8- to 32-bit integer and float labels (callers reject NaN first).
 *
 * @param values label per row (a sliced column's values are already shifted)
 * @param nulls null rows and their code
 * @param table the coder's code table
 * @param out receives one code per row
 */
export function encodeNumbers(values: NumberLabels, nulls: RowNulls, table: CodeTable, out: Int32Array): void {
  const n = out.length;
  if (nulls.bitmap === undefined) {
    // Labels already coded as small integers are looked up here, in the loop; others (new or not small)
    // take numberCode, after which the table's array may have been replaced.
    let small = table.smallCodes;
    for (let i = 0; i < n; i++) {
      const value = values[i] as number;
      const code = value >= 0 && value < small.length && (value | 0) === value ? (small[value] as number) : -1;
      if (code >= 0) {
        out[i] = code;
      } else {
        out[i] = table.numberCode(value);
        small = table.smallCodes;
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) out[i] = isNullRow(nulls, i) ? nulls.nullCode() : table.numberCode(values[i] as number);
}

/**
 * Codes of 64-bit integer labels: values within ±2^53 become number classes, larger ones bigint classes. Reads
 * 32-bit halves so that the common small values never create a bigint.
 *
 * @param values label per row
 * @param nulls null rows and their code
 * @param table the coder's code table
 * @param out receives one code per row
 */
export function encodeInt64(values: BigInt64Array | BigUint64Array, nulls: RowNulls, table: CodeTable, out: Int32Array): void {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const signed = values instanceof BigInt64Array;
  const hasNulls = nulls.bitmap !== undefined;
  for (let i = 0, n = out.length; i < n; i++) {
    if (hasNulls && isNullRow(nulls, i)) {
      out[i] = nulls.nullCode();
      continue;
    }
    const lo = words[2 * i] as number;
    const hi = words[2 * i + 1] as number;
    if (signed ? (hi === 0 && lo >= 0) || (hi === -1 && lo < 0) : hi === 0) {
      out[i] = table.numberCode(signed ? lo : lo >>> 0);
    } else {
      out[i] = table.code(normalizeBigInt(values[i] as bigint));
    }
  }
}

/**
 * Codes of Bool labels (bit-packed, read at `offset + i`).
 *
 * @param bits the column's value bits
 * @param offset bit position of row 0
 * @param nulls null rows and their code
 * @param table the coder's code table
 * @param out receives one code per row
 */
export function encodeBools(bits: Uint8Array, offset: number, nulls: RowNulls, table: CodeTable, out: Int32Array): void {
  let falseCode = -1;
  let trueCode = -1;
  const hasNulls = nulls.bitmap !== undefined;
  for (let i = 0, n = out.length; i < n; i++) {
    if (hasNulls && isNullRow(nulls, i)) {
      out[i] = nulls.nullCode();
      continue;
    }
    const j = offset + i;
    if (((bits[j >> 3] as number) >> (j & 7)) & 1) {
      if (trueCode === -1) trueCode = table.code(true);
      out[i] = trueCode;
    } else {
      if (falseCode === -1) falseCode = table.code(false);
      out[i] = falseCode;
    }
  }
}

/**
 * Rows holding NaN or ±Infinity among the non-null rows.
 *
 * @param values float labels
 * @param rows number of rows (the values array may be longer)
 * @param nulls null rows
 * @returns how many
 */
export function countNonFinite(values: Float32Array | Float64Array, rows: number, nulls: RowNulls): number {
  let bad = 0;
  for (let i = 0; i < rows; i++) {
    const v = values[i] as number;
    if (v - v !== 0 && !isNullRow(nulls, i)) bad++;
  }
  return bad;
}
