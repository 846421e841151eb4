import { makeData, RecordBatch, Struct, vectorFromArray, type Data, type Schema } from 'apache-arrow';

/** A batch with no rows that carries the schema, so downstream writers learn it. */
export function emptyBatch(schema: Schema): RecordBatch {
  const children = schema.fields.map((field) => vectorFromArray([], field.type).data[0] as Data);
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children }));
}
