/**
 * Gathers selected rows of one Arrow `Data` (one column) into a new `Data`, for every type a Parquet reader
 * produces, dispatching on `typeId` and working on the typed arrays directly.
 */
import { Type } from 'apache-arrow';
import type { Data, DataType, FixedSizeList, Struct } from 'apache-arrow';
import { gatherBits } from './bits.js';
import { gatherFixed } from './gather-fixed.js';
import type { FixedWidthArray } from './gather-fixed.js';
import { newData } from './new-data.js';
import { copyByteSpans, indicesOfSpans, offsetsFromLengths, spansOf } from './spans.js';
import type { ValueOffsets } from './spans.js';
import { unsupportedType } from './unsupported.js';
import { withPrefix } from '../errors.js';

/**
 * Rows `indices` of `data` as a new unsliced `Data` of the same type object; validity, dictionary (same
 * object) and nested children are carried over. Sliced inputs are read correctly (fixed-width values are
 * pre-shifted, validity and Bool bits are read at `offset + i`, variable-length offsets are absolute).
 *
 * Memory: output buffers are allocated at their exact length; nothing of the input is retained except a
 * dictionary, which is shared.
 *
 * @param data the column
 * @param indices rows to take, each in `[0, data.length)`, any order, repeats allowed (not checked here)
 * @param name column name (dotted path for nested children) used in error messages
 * @returns the gathered column
 * @throws TypeError for a type without a gather (unions), naming the column and the type
 */
export function takeData<T extends DataType>(data: Data<T>, indices: Int32Array, name = 'column'): Data<T> {
  const n = indices.length;
  const type = data.type;
  const typeId = data.typeId as Type;
  if (typeId === Type.Null) return newData(type, n, n, {});

  let nullCount = 0;
  let nullBitmap: Uint8Array | undefined;
  if (data.nullCount > 0) {
    const gathered = gatherBits(data.nullBitmap, data.offset, indices);
    nullBitmap = gathered.bits;
    nullCount = gathered.zeros;
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
    case Type.Dictionary: {
      const values = gatherFixed(data.values as FixedWidthArray, data.stride, indices);
      return newData(type, n, nullCount, { values, nullBitmap, dictionary: data.dictionary });
    }
    case Type.Bool: {
      const values = gatherBits(data.values as Uint8Array, data.offset, indices).bits;
      return newData(type, n, nullCount, { values, nullBitmap });
    }
    case Type.BinaryView:
    case Type.Utf8View: {
      const values = gatherFixed(data.values as Uint8Array, data.stride, indices);
      return newData(type, n, nullCount, { values, nullBitmap, variadicBuffers: data.variadicBuffers });
    }
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Binary:
    case Type.LargeBinary: {
      const offsets = data.valueOffsets as ValueOffsets;
      const spans = spansOf(offsets, indices);
      const values = copyByteSpans(data.values as Uint8Array, spans);
      const valueOffsets = offsetsFromLengths(spans.lengths, offsets, `column "${name}"`);
      return newData(type, n, nullCount, { valueOffsets, values, nullBitmap });
    }
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const offsets = data.valueOffsets as ValueOffsets;
      const spans = spansOf(offsets, indices);
      const child = takeData(childOf(data, 0, name), indicesOfSpans(spans), `${name}[]`);
      const valueOffsets = offsetsFromLengths(spans.lengths, offsets, `column "${name}"`);
      return newData(type, n, nullCount, { valueOffsets, nullBitmap, children: [child] });
    }
    case Type.FixedSizeList: {
      const size = (type as unknown as FixedSizeList).listSize;
      const child = takeData(childOf(data, 0, name), repeatIndices(indices, size), `${name}[]`);
      return newData(type, n, nullCount, { nullBitmap, children: [child] });
    }
    case Type.Struct: {
      const fields = (type as unknown as Struct).children;
      const children = data.children.map((child, c) => takeData(child, indices, `${name}.${fields[c]?.name ?? c}`));
      return newData(type, n, nullCount, { nullBitmap, children });
    }
    default:
      throw unsupportedType(name, type, 'gather rows of');
  }
}

/** Child indices of fixed-size lists: row i owns child rows `[i * size, (i + 1) * size)`. */
function repeatIndices(indices: Int32Array, size: number): Int32Array {
  const out = new Int32Array(indices.length * size);
  for (let k = 0, m = 0, n = indices.length; k < n; k++) {
    const start = (indices[k] as number) * size;
    for (let e = 0; e < size; e++, m++) out[m] = start + e;
  }
  return out;
}

function childOf(data: Data, index: number, name: string): Data {
  const child = data.children[index];
  if (child === undefined) throw new TypeError(withPrefix(`column "${name}" of type ${String(data.type)} has no child data`));
  return child;
}
