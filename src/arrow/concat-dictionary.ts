/**
 * Concatenating dictionary-encoded pieces: share the dictionary when every piece has the same one, otherwise
 * rebuild a dictionary from just the entries the rows use and remap the indices.
 */
import { Vector } from 'apache-arrow';
import type { Data, DataType, Dictionary } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import { concatData } from './concat-data.js';
import type { FixedWidthArray } from './gather-fixed.js';
import { takeData } from './take-data.js';
import { withPrefix } from '../errors.js';

type FixedWidthConstructor = new (length: number) => FixedWidthArray;

/** Index values and dictionary of a concatenated dictionary column. */
export interface ConcatenatedDictionary {
  readonly values: FixedWidthArray;
  readonly dictionary: Vector | undefined;
}

/**
 * Joins the index buffers of dictionary-encoded `parts` (validity is handled by the caller).
 *
 * @param parts pieces of one Dictionary column
 * @param length total rows
 * @param name column name for errors
 * @returns the index values (the parts' index type) and the dictionary
 * @throws ArrowBalanceError when the rebuilt dictionary does not fit the index type
 */
export function concatDictionaryData(parts: readonly Data[], length: number, name: string): ConcatenatedDictionary {
  const first = parts[0];
  if (first === undefined) return { values: new Int32Array(0), dictionary: undefined };
  const Indices = (first.values as FixedWidthArray).constructor as FixedWidthConstructor;
  const out = new Indices(length);
  const shared = first.dictionary;
  if (parts.every((part) => part.dictionary === shared)) {
    let position = 0;
    for (const part of parts) {
      (out as Uint8Array).set((part.values as Uint8Array).subarray(0, part.length), position);
      position += part.length;
    }
    return { values: out, dictionary: shared };
  }
  return remapDictionaries(parts, out, name);
}

function remapDictionaries(parts: readonly Data[], out: FixedWidthArray, name: string): ConcatenatedDictionary {
  const wide = out instanceof BigInt64Array || out instanceof BigUint64Array;
  const pieces: Data[] = [];
  let base = 0;
  let row = 0;
  for (const part of parts) {
    const dictionary = dictionaryData(part, name);
    const mapping = new Int32Array(dictionary.length).fill(-1);
    const used: number[] = [];
    const values = part.values as FixedWidthArray;
    for (let i = 0; i < part.length; i++, row++) {
      const index = Number(values[i]);
      let code = 0;
      if (index >= 0 && index < mapping.length && part.getValid(i)) {
        code = mapping[index] as number;
        if (code === -1) {
          code = used.length;
          mapping[index] = code;
          used.push(index);
        }
        code += base;
      }
      if (wide) (out as BigInt64Array)[row] = BigInt(code);
      else (out as Int32Array)[row] = code;
    }
    pieces.push(takeData(dictionary, Int32Array.from(used), `${name} (dictionary)`));
    base += used.length;
  }
  checkIndexRange(parts[0]!.type as Dictionary, base, name);
  const merged = pieces.length === 0 ? undefined : new Vector([concatData(pieces, `${name} (dictionary)`)]);
  return { values: out, dictionary: merged };
}

function dictionaryData(part: Data, name: string): Data {
  const chunks = part.dictionary?.data ?? [];
  if (chunks.length === 1) return chunks[0] as Data;
  if (chunks.length === 0) throw new TypeError(withPrefix(`dictionary column "${name}" has no dictionary`));
  return concatData(chunks as Data<DataType>[], `${name} (dictionary)`);
}

function checkIndexRange(type: Dictionary, entries: number, name: string): void {
  const { bitWidth, isSigned } = type.indices;
  const max = 2 ** (isSigned ? bitWidth - 1 : bitWidth) - 1;
  if (entries - 1 > max) {
    throw new ArrowBalanceError(
      `dictionary column "${name}" would need ${entries} dictionary entries after joining batches with different dictionaries, `
      + `more than its ${String(type.indices)} indices address (${max}); cast the column to a wider index type or to plain strings`,
    );
  }
}
