/**
 * `LabelCoder`: turns a batch's label column into dense class codes, with one dictionary kept across batches.
 */
import { Precision, Type } from 'apache-arrow';
import type { Data, Dictionary, Float, Int, RecordBatch } from 'apache-arrow';
import { ByteCodes } from './byte-codes.js';
import type { ClassValue } from './class-value.js';
import { ClassLimitReached, CodeTable } from './code-table.js';
import { DictionaryCodes } from './encode-dictionary.js';
import { countNonFinite, encodeBools, encodeInt64, encodeNumbers } from './encode-numbers.js';
import type { NumberLabels } from './encode-numbers.js';
import { encodeStrings } from './encode-strings.js';
import { findLabelColumn, isSupportedDictionary, nanLabelsError, nullLabelsError, tooManyClassesError, unsupportedLabelType } from './label-column.js';
import { validateLabelOptions } from './label-options.js';
import type { NullPolicy } from './label-options.js';
import type { RowNulls } from './row-nulls.js';

export type { NullPolicy } from './label-options.js';

/**
 * Dense class codes for a label column, stable across batches: the first class seen is 0, the next new one 1, ...
 *
 * Label types: Int8..Int64, Uint8..Uint64 (64-bit values within ±2^53 become numbers, larger ones bigints),
 * Float32/Float64 (NaN or ±Infinity is an error), Utf8/LargeUtf8, Bool, Dictionary of strings or integers
 * (each dictionary entry is resolved once, so encoding stays O(rows)). Nulls follow `nulls`: `'error'`
 * (default), `'drop'` (code -1) or `'class'` (null is a class).
 *
 * Memory: O(classes), plus a code array per live dictionary. Measured with a tally beside it (heap and buffers
 * after garbage collection, 100,000 distinct labels): 57 bytes a class for 64-bit integer labels, 145 for
 * strings of 12-14 characters (each distinct label's bytes are kept twice: as bytes to match rows against and
 * as a string).
 *
 * ## Example
 * ```ts
 * const coder = new LabelCoder({ label: 'label' });
 * const codes = coder.encode(batch); // Int32Array, one code per row
 * coder.values(); // e.g. ['dont_buy', 'buy'] in code order
 * ```
 */
export class LabelCoder {
  /** Name of the label column. */
  readonly label: string;
  /** What happens to null labels. */
  readonly nulls: NullPolicy;
  /** Distinct label values accepted; one more is an error that stops the coding at that row. */
  readonly maxClasses: number;
  readonly #table: CodeTable;
  readonly #dictionaries = new DictionaryCodes();
  readonly #strings = new ByteCodes();
  /** Rows of the batches coded so far. */
  #rows = 0;

  /**
   * @param options `label`: the label column's name; `nulls`: `'error'` (default), `'drop'` or `'class'`;
   *   `maxClasses`: distinct label values accepted (default 100,000, at most 2^24)
   * @throws TypeError / RangeError naming the bad option
   */
  constructor(options: { label: string; nulls?: NullPolicy | undefined; maxClasses?: number | undefined }) {
    const valid = validateLabelOptions(options);
    this.label = valid.label;
    this.nulls = valid.nulls;
    this.maxClasses = valid.maxClasses;
    this.#table = new CodeTable(valid.maxClasses);
  }

  /**
   * Dense class code per row (first-appearance order, stable across batches); -1 for a null row under 'drop'.
   *
   * @param batch a batch holding the label column
   * @returns `batch.numRows` codes
   * @throws ArrowBalanceError for a missing or unsupported column, null labels under `'error'`, NaN labels, or a
   *   label value beyond `maxClasses` distinct ones (the message gives the rows read up to it)
   */
  encode(batch: RecordBatch): Int32Array {
    const data = findLabelColumn(batch, this.label);
    const rows = data.length;
    const out = new Int32Array(rows);
    const kind = labelKind(data, this.label);
    const nulls = this.#rowNulls(data);
    if (this.nulls === 'error') {
      const nullRows = (nulls.bitmap === undefined ? 0 : data.nullCount)
        + (kind === 'dictionary' ? this.#dictionaries.countNullEntries(data, nulls, this.label) : 0);
      if (nullRows > 0) throw nullLabelsError(this.label, nullRows, rows);
    }
    const table = this.#table;
    // Encoders write codes in row order, so when this batch may pass the limit, the first row left uncoded
    // is the one whose value was one class too many.
    if (table.size + rows > this.maxClasses) out.fill(UNCODED);
    try {
      this.#encode(kind, data, nulls, out);
    } catch (error) {
      if (error instanceof ClassLimitReached) throw tooManyClassesError(this.label, this.maxClasses, this.#rows + out.indexOf(UNCODED) + 1);
      throw error;
    }
    this.#rows += rows;
    return out;
  }

  #encode(kind: LabelKind, data: Data, nulls: RowNulls, out: Int32Array): void {
    const rows = out.length;
    const table = this.#table;
    switch (kind) {
      case 'float': {
        const bad = countNonFinite(data.values as Float32Array | Float64Array, rows, nulls);
        if (bad > 0) throw nanLabelsError(this.label, bad, rows);
        encodeNumbers(data.values as NumberLabels, nulls, table, out);
        break;
      }
      case 'number':
        encodeNumbers(data.values as NumberLabels, nulls, table, out);
        break;
      case 'int64':
        encodeInt64(data.values as BigInt64Array | BigUint64Array, nulls, table, out);
        break;
      case 'string':
        encodeStrings(data.values as Uint8Array, data.valueOffsets as Int32Array | BigInt64Array, nulls, this.#strings, table, out);
        break;
      case 'bool':
        encodeBools(data.values as Uint8Array, data.offset, nulls, table, out);
        break;
      case 'dictionary':
        this.#dictionaries.encode(data, nulls, table, out, this.label);
        break;
    }
  }

  /** Number of classes seen so far (codes are `0 .. classCount - 1`). */
  get classCount(): number {
    return this.#table.size;
  }

  /**
   * The class value of a code.
   *
   * @param code a code below {@link LabelCoder.classCount}
   * @returns the value
   * @throws RangeError for an unknown code
   */
  value(code: number): ClassValue {
    return this.#table.value(code);
  }

  /**
   * All class values in code order.
   *
   * @returns a frozen array
   */
  values(): readonly ClassValue[] {
    return this.#table.values();
  }

  /**
   * Code of the class whose string form ({@link classKey}) is `key`, as used by `{ class: ... }` options.
   *
   * @param key e.g. `'3'`, `'true'`, `'null'`, `'buy'`
   * @returns the code, or undefined when no such class has been seen
   */
  codeOfKey(key: string): number | undefined {
    return this.#table.codeOfKey(key);
  }

  #rowNulls(data: Data): RowNulls {
    const table = this.#table;
    const nullCode = this.nulls === 'class' ? () => table.code(null) : () => -1;
    return { bitmap: data.nullCount > 0 ? data.nullBitmap : undefined, offset: data.offset, nullCode };
  }
}

/** A code no encoder writes, marking rows not coded yet. */
const UNCODED = -2;

type LabelKind = 'number' | 'float' | 'int64' | 'string' | 'bool' | 'dictionary';

function labelKind(data: Data, label: string): LabelKind {
  const type = data.type;
  switch (data.typeId as Type) {
    case Type.Int:
      return (type as Int).bitWidth === 64 ? 'int64' : 'number';
    case Type.Float:
      if ((type as Float).precision === Precision.HALF) break;
      return 'float';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    case Type.Bool:
      return 'bool';
    case Type.Dictionary:
      if (isSupportedDictionary(type as Dictionary)) return 'dictionary';
      break;
    default:
      break;
  }
  throw unsupportedLabelType(label, type);
}
