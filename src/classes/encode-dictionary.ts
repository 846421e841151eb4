/**
 * Encoder for dictionary-encoded label columns: each dictionary entry is resolved to a global class code once
 * (cached per dictionary object), then rows map through an Int32Array, so encoding is O(rows).
 */
import type { Data, Vector } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import { normalizeBigInt } from './class-value.js';
import type { CodeTable } from './code-table.js';
import { isNullRow } from './row-nulls.js';
import type { RowNulls } from './row-nulls.js';

const UNRESOLVED = -2;
const NULL_ENTRY = -3;

type IndexArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;

/**
 * Dictionary entry -> class code caches of one coder (a WeakMap, so dropped dictionaries are freed).
 *
 * Memory: one Int32Array per live dictionary, of the dictionary's length.
 */
export class DictionaryCodes {
  readonly #cache = new WeakMap<Vector, Int32Array>();

  /**
   * Codes of a dictionary-encoded label column. Rows whose dictionary entry is null are null rows.
   *
   * @param data the column (Dictionary type, with its dictionary)
   * @param nulls null rows (from the index validity) and their code
   * @param table the coder's code table
   * @param out receives one code per row
   * @param label column name, for errors
   */
  encode(data: Data, nulls: RowNulls, table: CodeTable, out: Int32Array, label: string): void {
    const dictionary = dictionaryOf(data, label);
    const mapping = this.#mapping(dictionary);
    const indices = indexNumbers(data.values as IndexArray, out.length);
    const hasNulls = nulls.bitmap !== undefined;
    for (let i = 0, n = out.length; i < n; i++) {
      if (hasNulls && isNullRow(nulls, i)) {
        out[i] = nulls.nullCode();
        continue;
      }
      const entry = indices[i] as number;
      let code = mapping[entry];
      if (code === undefined) {
        throw new ArrowBalanceError(`label column "${label}" has dictionary index ${entry} but its dictionary holds ${dictionary.length} values; the batch is corrupt`);
      }
      if (code === UNRESOLVED) code = mapping[entry] = resolve(dictionary, entry, table, label);
      out[i] = code === NULL_ENTRY ? nulls.nullCode() : code;
    }
  }

  /**
   * Rows whose index is valid but points to a null dictionary entry.
   *
   * @param data the column
   * @param nulls null rows from the index validity
   * @param label column name, for errors
   * @returns how many
   */
  countNullEntries(data: Data, nulls: RowNulls, label: string): number {
    const dictionary = dictionaryOf(data, label);
    if (dictionary.nullCount === 0) return 0;
    const indices = indexNumbers(data.values as IndexArray, data.length);
    let count = 0;
    for (let i = 0, n = data.length; i < n; i++) {
      if (!isNullRow(nulls, i) && !dictionary.isValid(indices[i] as number)) count++;
    }
    return count;
  }

  #mapping(dictionary: Vector): Int32Array {
    const cached = this.#cache.get(dictionary);
    if (cached !== undefined && cached.length === dictionary.length) return cached;
    const mapping = new Int32Array(dictionary.length).fill(UNRESOLVED);
    if (cached !== undefined) mapping.set(cached.subarray(0, mapping.length));
    this.#cache.set(dictionary, mapping);
    return mapping;
  }
}

function dictionaryOf(data: Data, label: string): Vector {
  const dictionary = data.dictionary;
  if (dictionary === undefined) throw new ArrowBalanceError(`label column "${label}" is dictionary-encoded but has no dictionary; the batch is corrupt`);
  return dictionary;
}

function indexNumbers(values: IndexArray, rows: number): ArrayLike<number> {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = Number(values[i] as bigint);
    return out;
  }
  return values;
}

function resolve(dictionary: Vector, entry: number, table: CodeTable, label: string): number {
  const value: unknown = dictionary.get(entry);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return table.code(value);
    case 'bigint':
      return table.code(normalizeBigInt(value));
    case 'number':
      if (!Number.isFinite(value)) {
        throw new ArrowBalanceError(
          `label column "${label}" has dictionary value ${value} (entry ${entry}); a class label must be a finite number: clean or cast the column first`,
        );
      }
      return table.numberCode(value);
    default:
      if (value === null || value === undefined) return NULL_ENTRY;
      throw new ArrowBalanceError(`label column "${label}" has dictionary value ${String(value)} of an unsupported kind; use string or integer dictionaries`);
  }
}
