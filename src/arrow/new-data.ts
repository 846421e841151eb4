/**
 * Builds a fresh, unsliced Arrow `Data` from finished buffers (shared by gather and concatenation).
 */
import { Data } from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';

/** Buffers and children of a new `Data`; any may be omitted where the type has no such buffer. */
export interface DataParts {
  readonly valueOffsets?: Int32Array | BigInt64Array | undefined;
  readonly values?: ArrayBufferView | undefined;
  /** validity bitmap; leave out (or empty) when `nullCount` is 0 */
  readonly nullBitmap?: Uint8Array | undefined;
  readonly children?: Data[] | undefined;
  readonly dictionary?: Vector | undefined;
  readonly variadicBuffers?: readonly Uint8Array[] | undefined;
}

const EMPTY_BITMAP = new Uint8Array(0);

/**
 * A new `Data` of `type` at offset 0 with exactly `length` rows.
 *
 * @param type the column type (kept as the same object, so dictionary ids and metadata survive)
 * @param length number of rows
 * @param nullCount number of null rows (must match the bitmap)
 * @param parts buffers, children, dictionary
 * @returns the Data
 */
export function newData<T extends DataType>(type: T, length: number, nullCount: number, parts: DataParts): Data<T> {
  const nullBitmap = nullCount > 0 && parts.nullBitmap !== undefined ? parts.nullBitmap : EMPTY_BITMAP;
  const buffers = [parts.valueOffsets, parts.values, nullBitmap, undefined];
  return new Data<T>(
    type,
    0,
    length,
    nullCount,
    buffers as unknown as ConstructorParameters<typeof Data<T>>[4],
    parts.children ?? [],
    parts.dictionary,
    parts.variadicBuffers ?? [],
  );
}
