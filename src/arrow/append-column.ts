/**
 * `appendFloatColumn`: a record batch with one more Float32/Float64 column (weights, importance weights).
 */
import { Field, Float32, Float64, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';

/**
 * `batch` with a new Float32 or Float64 column appended (schema.assign + Data); error if the name exists unless replace.
 *
 * With `replace`, an existing column of that name is replaced in place (same position; its field metadata is
 * dropped since it described the old values). The new field is non-nullable. Schema metadata is kept.
 *
 * Memory: shares `values` and the other columns; nothing is copied.
 *
 * ## Example
 * ```ts
 * const weighted = appendFloatColumn(batch, 'weight', new Float32Array(batch.numRows).fill(1));
 * ```
 *
 * @param batch the input batch
 * @param name the new column's name
 * @param values one value per row (`values.length === batch.numRows`)
 * @param options `replace: true` to overwrite an existing column of the same name
 * @returns the new batch
 * @throws ArrowBalanceError when the name exists (without replace) or the length differs
 */
export function appendFloatColumn(
  batch: RecordBatch,
  name: string,
  values: Float32Array | Float64Array,
  options: { replace?: boolean } = {},
): RecordBatch {
  if (values.length !== batch.numRows) {
    throw new ArrowBalanceError(
      `column "${name}" has ${values.length} values but the batch has ${batch.numRows} rows; give one value per row`,
    );
  }
  const type = values instanceof Float32Array ? new Float32() : new Float64();
  const column = makeData({ type, length: values.length, nullCount: 0, data: values }) as Data;
  const field = new Field(name, type, false);
  const fields = batch.schema.fields;
  const existing = fields.findIndex((f) => f.name === name);
  const children = [...batch.data.children];
  let schema: Schema;
  if (existing === -1) {
    schema = batch.schema.assign(field);
    children.push(column);
  } else if (options.replace === true) {
    schema = new Schema(fields.map((f, c) => (c === existing ? field : f)), new Map(batch.schema.metadata));
    children[existing] = column;
  } else {
    throw new ArrowBalanceError(
      `column "${name}" already exists; choose another name for the new column`,
    );
  }
  const data = makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children });
  return new RecordBatch(schema, data, batch.metadata);
}
