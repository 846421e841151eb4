/**
 * How encoders see null label rows: a validity bitmap to test, and the code to write for a null row.
 */

/** Null rows of one label column and the code they get. */
export interface RowNulls {
  /** validity bitmap (bit set = valid), or undefined when the batch has no null labels */
  readonly bitmap: Uint8Array | undefined;
  /** bit position of row 0 in `bitmap` */
  readonly offset: number;
  /** code for a null row: -1 under `nulls: 'drop'`, the null class's code under `nulls: 'class'` */
  nullCode(): number;
}

/**
 * Whether row `i` is null.
 *
 * @param nulls the column's null rows
 * @param i row number
 * @returns true when the row's validity bit is 0
 */
export function isNullRow(nulls: RowNulls, i: number): boolean {
  const bitmap = nulls.bitmap;
  if (bitmap === undefined) return false;
  const j = nulls.offset + i;
  return (((bitmap[j >> 3] as number) >> (j & 7)) & 1) === 0;
}
