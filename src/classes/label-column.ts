/**
 * Finding and checking the label column of a batch, with the errors users see when it is missing or unusable.
 */
import { Type } from 'apache-arrow';
import type { Data, DataType, Dictionary, RecordBatch } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import { formatCount } from '../text/format-count.js';

/** Label column types the coder reads, as listed in error messages. */
export const SUPPORTED_LABEL_TYPES =
  'Int8..Int64, Uint8..Uint64, Float32, Float64, Utf8, LargeUtf8, Bool, Dictionary<Utf8 or Int>';

/**
 * The label column's data.
 *
 * @param batch the batch
 * @param label column name
 * @returns the column (one `Data`, possibly sliced)
 * @throws ArrowBalanceError naming the column and listing the available ones when it is missing
 */
export function findLabelColumn(batch: RecordBatch, label: string): Data {
  const fields = batch.schema.fields;
  const index = fields.findIndex((field) => field.name === label);
  const data = index === -1 ? undefined : batch.data.children[index];
  if (data === undefined) {
    const names = fields.map((field) => field.name).join(', ');
    throw new ArrowBalanceError(`label column "${label}" not found; columns are: ${names === '' ? '(none)' : names}`);
  }
  return data;
}

/**
 * The error for a label column whose type the coder cannot read.
 *
 * @param label column name
 * @param type its type
 * @returns the error, to be thrown by the caller
 */
export function unsupportedLabelType(label: string, type: DataType): ArrowBalanceError {
  return new ArrowBalanceError(
    `label column "${label}" has type ${String(type)}, which cannot be a class label; supported label types are: ${SUPPORTED_LABEL_TYPES}`,
  );
}

/**
 * Whether a dictionary's value type is one the coder reads (strings, integers, floats, booleans).
 *
 * @param type a Dictionary type
 * @returns true when supported
 */
export function isSupportedDictionary(type: Dictionary): boolean {
  const id = type.dictionary.typeId as Type;
  return id === Type.Utf8 || id === Type.LargeUtf8 || id === Type.Int || id === Type.Float || id === Type.Bool;
}

/**
 * The error for null labels under `nulls: 'error'`.
 *
 * @param label column name
 * @param nulls null rows in the batch
 * @param rows rows in the batch
 * @returns the error, to be thrown by the caller
 */
export function nullLabelsError(label: string, nulls: number, rows: number): ArrowBalanceError {
  return new ArrowBalanceError(
    `label column "${label}" has ${nulls} null value${nulls === 1 ? '' : 's'} in a batch of ${rows} rows; `
    + `skip those rows (nulls: 'drop', --nulls drop) or count null as a class (nulls: 'class', --nulls class)`,
  );
}

/**
 * The error for NaN or infinite float labels.
 *
 * @param label column name
 * @param bad rows holding NaN or ±Infinity
 * @param rows rows in the batch
 * @returns the error, to be thrown by the caller
 */
export function nanLabelsError(label: string, bad: number, rows: number): ArrowBalanceError {
  return new ArrowBalanceError(
    `label column "${label}" has ${bad} NaN or infinite value${bad === 1 ? '' : 's'} in a batch of ${rows} rows; `
    + 'a class label must be a finite number: clean or cast the column first (a null label can be dropped with nulls: \'drop\', --nulls drop)',
  );
}

/**
 * The error for a label column with more distinct values than `maxClasses`: most likely an id, not a class.
 *
 * @param label column name
 * @param maxClasses the limit
 * @param rows rows read up to and including the one whose value passed the limit
 * @returns the error, to be thrown by the caller
 */
export function tooManyClassesError(label: string, maxClasses: number, rows: number): ArrowBalanceError {
  const n = formatCount;
  return new ArrowBalanceError(
    `label column "${label}" has more than ${n(maxClasses)} distinct values (${n(maxClasses + 1)} in the first ${n(rows)} rows); `
    + 'is it an id? choose the class column (label, --label) or raise the limit (maxClasses, --max-classes)',
  );
}
