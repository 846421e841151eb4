/**
 * Concatenates several Arrow `Data` of one type (pieces of one column) into a single unsliced `Data`,
 * buffer by buffer, for every type the row gather handles.
 */
import { Type } from 'apache-arrow';
import type { Data, DataType, FixedSizeList, Struct } from 'apache-arrow';
import { withPrefix } from '../errors.js';
import { concatBits } from './bits.js';
import { concatDictionaryData } from './concat-dictionary.js';
import type { FixedWidthArray } from './gather-fixed.js';
import { newData } from './new-data.js';
import { lengthsInto, offsetAt, offsetsFromLengths } from './spans.js';
import type { ValueOffsets } from './spans.js';
import { unsupportedType } from './unsupported.js';

type FixedWidthConstructor = new (length: number) => FixedWidthArray;

/**
 * One `Data` holding all rows of `parts` in order, at offset 0. Sliced parts are read correctly.
 *
 * Dictionary columns keep their dictionary object when every part shares it; otherwise the dictionary is
 * rebuilt from the entries the rows use (so repeated concatenation never grows it past the row count).
 *
 * Memory: the output buffers at exact length (plus, for differing dictionaries, one Int32Array per part's
 * dictionary while remapping).
 *
 * @param parts at least one `Data`, all of the same type
 * @param name column name (dotted path for nested children) used in error messages
 * @returns the concatenated column
 * @throws TypeError for parts of different types or a type without support (unions)
 */
export function concatData<T extends DataType>(parts: readonly Data<T>[], name = 'column'): Data<T> {
  const first = parts[0];
  if (first === undefined) throw new RangeError(withPrefix(`cannot concatenate zero pieces of column "${name}"`));
  const type = first.type;
  const typeId = first.typeId as Type;
  let length = 0;
  for (const part of parts) {
    if (part.typeId !== typeId) {
      throw new TypeError(withPrefix(
        `cannot concatenate column "${name}": one piece is ${String(type)}, another ${String(part.type)}; give every batch the same schema`,
      ));
    }
    length += part.length;
  }
  if (typeId === Type.Null) return newData(type, length, length, {});

  let nullCount = 0;
  let nullBitmap: Uint8Array | undefined;
  if (parts.some((part) => part.nullCount > 0)) {
    const joined = concatBits(parts.map((part) => ({
      source: part.nullCount > 0 ? part.nullBitmap : undefined,
      offset: part.offset,
      length: part.length,
    })));
    nullBitmap = joined.bits;
    nullCount = joined.zeros;
  }

  switch (typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Decimal:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Interval:
    case Type.Duration:
    case Type.FixedSizeBinary:
      return newData(type, length, nullCount, { values: concatFixed(parts, first.stride, length), nullBitmap });
    case Type.Dictionary: {
      const { values, dictionary } = concatDictionaryData(parts, length, name);
      return newData(type, length, nullCount, { values, nullBitmap, dictionary });
    }
    case Type.Bool: {
      const values = concatBits(parts.map((part) => ({ source: part.values as Uint8Array, offset: part.offset, length: part.length }))).bits;
      return newData(type, length, nullCount, { values, nullBitmap });
    }
    case Type.BinaryView:
    case Type.Utf8View:
      return concatViews(parts, length, nullCount, nullBitmap);
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Binary:
    case Type.LargeBinary: {
      const { valueOffsets, ranges } = concatOffsets(parts, length, name);
      const values = new Uint8Array(ranges.total);
      let position = 0;
      parts.forEach((part, p) => {
        const start = ranges.starts[p] as number;
        const size = ranges.sizes[p] as number;
        values.set((part.values as Uint8Array).subarray(start, start + size), position);
        position += size;
      });
      return newData(type, length, nullCount, { valueOffsets, values, nullBitmap });
    }
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const { valueOffsets, ranges } = concatOffsets(parts, length, name);
      const childParts = parts.map((part, p) => childOf(part, 0, name).slice(ranges.starts[p] as number, ranges.sizes[p] as number));
      return newData(type, length, nullCount, { valueOffsets, nullBitmap, children: [concatData(childParts, `${name}[]`)] });
    }
    case Type.FixedSizeList: {
      const size = (type as unknown as FixedSizeList).listSize;
      const childParts = parts.map((part) => exactly(childOf(part, 0, name), part.length * size));
      return newData(type, length, nullCount, { nullBitmap, children: [concatData(childParts, `${name}[]`)] });
    }
    case Type.Struct: {
      const fields = (type as unknown as Struct).children;
      const children = fields.map((field, c) =>
        concatData(parts.map((part) => exactly(childOf(part, c, name), part.length)), `${name}.${field.name}`));
      return newData(type, length, nullCount, { nullBitmap, children });
    }
    default:
      throw unsupportedType(name, type, 'concatenate');
  }
}

function concatFixed(parts: readonly Data[], stride: number, length: number): FixedWidthArray {
  const firstValues = parts[0]?.values as FixedWidthArray;
  const out = new (firstValues.constructor as FixedWidthConstructor)(length * stride);
  let position = 0;
  for (const part of parts) {
    const size = part.length * stride;
    (out as Uint8Array).set((part.values as Uint8Array).subarray(0, size), position);
    position += size;
  }
  return out;
}

interface ValueRanges {
  /** first value position of each part */
  readonly starts: Float64Array;
  /** number of values of each part */
  readonly sizes: Float64Array;
  readonly total: number;
}

/** Rebased offsets for the concatenation, and the value range each part contributes. */
function concatOffsets(parts: readonly Data[], length: number, name: string): { valueOffsets: ValueOffsets; ranges: ValueRanges } {
  const lengths = new Float64Array(length);
  const starts = new Float64Array(parts.length);
  const sizes = new Float64Array(parts.length);
  let row = 0;
  let total = 0;
  parts.forEach((part, p) => {
    const offsets = part.valueOffsets as ValueOffsets;
    starts[p] = part.length === 0 ? 0 : offsetAt(offsets, 0);
    const size = lengthsInto(offsets, part.length, lengths, row);
    sizes[p] = size;
    total += size;
    row += part.length;
  });
  const valueOffsets = offsetsFromLengths(lengths, parts[0]?.valueOffsets as ValueOffsets, `column "${name}"`);
  return { valueOffsets, ranges: { starts, sizes, total } };
}

/** Views (16 bytes a row) joined; long views get their variadic buffer index shifted past earlier parts' buffers. */
function concatViews<T extends DataType>(parts: readonly Data<T>[], length: number, nullCount: number, nullBitmap: Uint8Array | undefined): Data<T> {
  const width = 16;
  const values = new Uint8Array(length * width);
  const words = new Int32Array(values.buffer);
  const variadicBuffers: Uint8Array[] = [];
  let row = 0;
  for (const part of parts) {
    values.set((part.values as Uint8Array).subarray(0, part.length * width), row * width);
    const base = variadicBuffers.length;
    if (base > 0) {
      for (let i = row, end = row + part.length; i < end; i++) {
        if ((words[i * 4] as number) > 12) words[i * 4 + 2] = (words[i * 4 + 2] as number) + base;
      }
    }
    for (const buffer of part.variadicBuffers) variadicBuffers.push(buffer);
    row += part.length;
  }
  return newData(parts[0]!.type, length, nullCount, { values, nullBitmap, variadicBuffers });
}

function exactly(child: Data, length: number): Data {
  return child.length === length ? child : child.slice(0, length);
}

function childOf(data: Data, index: number, name: string): Data {
  const child = data.children[index];
  if (child === undefined) throw new TypeError(withPrefix(`column "${name}" of type ${String(data.type)} has no child data`));
  return child;
}
