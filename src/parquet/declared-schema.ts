import { Field, RecordBatch, Schema } from 'apache-arrow';

/**
 * A decoded batch with the file's declared fields (nullability, field metadata) and schema metadata.
 * parquet-wasm's batches mark every field nullable and drop metadata; the file's Arrow schema has them.
 * @param batch a batch parquet-wasm decoded
 * @param declared the file's schema (projected to the batch's columns, in order)
 */
export function withDeclaredSchema(batch: RecordBatch, declared: Schema): RecordBatch {
  const fields = batch.schema.fields.map((field, index) => {
    const own = declared.fields[index];
    return own?.name === field.name ? new Field(field.name, field.type, own.nullable, own.metadata) : field;
  });
  return new RecordBatch(new Schema(fields, declared.metadata), batch.data);
}
