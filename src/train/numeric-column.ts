/**
 * Copying a numeric Arrow column into a strided Float32Array (a column of a row-major matrix), one
 * typed-array loop per column type, never a row object.
 */
import { Precision, Type, util } from 'apache-arrow';
import type { Data, DataType, Decimal, Float, Int } from 'apache-arrow';

/** Column types `trainingBatches` reads as features or weights, as listed in error messages. */
export const SUPPORTED_NUMERIC_TYPES = 'Int8..Int64, Uint8..Uint64, Float16, Float32, Float64, Decimal, Bool';

/**
 * Whether `trainingBatches` can read a column of this type as numbers.
 *
 * @param type an Arrow column type
 * @returns true for integers, floats, decimals and booleans
 */
export function isNumericType(type: DataType): boolean {
  const id = type.typeId as Type;
  return id === Type.Int || id === Type.Float || id === Type.Decimal || id === Type.Bool;
}

/** Where a copied column goes: element `start + i * stride` of `out` receives row `i`. */
export interface StridedTarget {
  /** The destination matrix (or vector, with `stride` 1). */
  readonly out: Float32Array;
  /** Index in `out` of the first copied row's value. */
  readonly start: number;
  /** Distance in `out` between consecutive rows (the number of features). */
  readonly stride: number;
}

/**
 * Copies rows `from .. from + count` of a numeric column into `target`, as float32.
 *
 * 64-bit integers and decimals are converted to the nearest double first, then to float32. Null slots keep
 * whatever the column's buffer holds there: callers check nulls first (see {@link fillNullRows}).
 *
 * @param data the column (possibly a slice: the offset is honoured)
 * @param from first row to copy
 * @param count rows to copy
 * @param target destination, start index and stride
 * @throws TypeError for a type {@link isNumericType} rejects (callers check the schema first)
 */
export function copyNumericColumn(data: Data, from: number, count: number, target: StridedTarget): void {
  const type = data.type as DataType;
  switch (type.typeId as Type) {
    case Type.Int:
      if ((type as Int).bitWidth === 64) copyBigInts(data.values as BigInt64Array | BigUint64Array, from, count, target);
      else copyNumbers(data.values as ArrayLike<number>, from, count, target);
      return;
    case Type.Float:
      if ((type as Float).precision === Precision.HALF) copyHalfFloats(data.values as Uint16Array, from, count, target);
      else copyNumbers(data.values as ArrayLike<number>, from, count, target);
      return;
    case Type.Decimal:
      copyDecimals(data.values as Uint32Array, data.stride, (type as Decimal).scale, from, count, target);
      return;
    case Type.Bool:
      copyBools(data.values as Uint8Array, data.offset + from, count, target);
      return;
    default:
      throw new TypeError(`arrow-balance: cannot read a column of type ${String(type)} as numbers`);
  }
}

/**
 * Writes `fill` into `target` for every null row among rows `from .. from + count` of `data`.
 *
 * @param data the column
 * @param from first row
 * @param count rows
 * @param target destination, as given to {@link copyNumericColumn}
 * @param fill the value for a null
 */
export function fillNullRows(data: Data, from: number, count: number, target: StridedTarget, fill: number): void {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return;
  const { out, stride } = target;
  const first = data.offset + from;
  for (let i = 0, o = target.start; i < count; i++, o += stride) {
    const bit = first + i;
    if (((bitmap[bit >> 3] as number) & (1 << (bit & 7))) === 0) out[o] = fill;
  }
}

function copyNumbers(values: ArrayLike<number>, from: number, count: number, { out, start, stride }: StridedTarget): void {
  for (let i = 0, o = start; i < count; i++, o += stride) out[o] = values[from + i] as number;
}

function copyBigInts(values: BigInt64Array | BigUint64Array, from: number, count: number, { out, start, stride }: StridedTarget): void {
  for (let i = 0, o = start; i < count; i++, o += stride) out[o] = Number(values[from + i] as bigint);
}

function copyHalfFloats(values: Uint16Array, from: number, count: number, { out, start, stride }: StridedTarget): void {
  for (let i = 0, o = start; i < count; i++, o += stride) out[o] = util.uint16ToFloat64(values[from + i] as number);
}

function copyBools(bitmap: Uint8Array, firstBit: number, count: number, { out, start, stride }: StridedTarget): void {
  for (let i = 0, o = start; i < count; i++, o += stride) {
    const bit = firstBit + i;
    out[o] = ((bitmap[bit >> 3] as number) >> (bit & 7)) & 1;
  }
}

/**
 * Decimals are little-endian two's-complement integers of `words` 32-bit words, scaled by 10^-scale:
 * sum the words as doubles (the top word signed), then divide.
 */
function copyDecimals(values: Uint32Array, words: number, scale: number, from: number, count: number, { out, start, stride }: StridedTarget): void {
  const divisor = 10 ** scale;
  const top = words - 1;
  for (let i = 0, o = start; i < count; i++, o += stride) {
    const base = (from + i) * words;
    let value = ((values[base + top] as number) | 0) * 2 ** (32 * top);
    for (let k = top - 1; k >= 0; k--) value += (values[base + k] as number) * 2 ** (32 * k);
    out[o] = value / divisor;
  }
}
