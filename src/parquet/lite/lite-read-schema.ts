/** The Arrow schema the parquetjs-lite engine reads a file as: projected, checked, and refined by any stored Arrow schema. */
import { DataType, Field, Schema } from 'apache-arrow';
import type parquetjs from 'parquetjs-lite';
import { ArrowBalanceError } from '../../errors.js';
import { ARROW_SCHEMA_KEY, decodeArrowSchema } from './lite-arrow-schema.js';
import { cannotRead } from './lite-errors.js';
import { describeColumns, isReadable, type LiteColumn } from './lite-file-schema.js';

/** A projected column and the Arrow field it is read into. */
export interface ReadColumn extends LiteColumn {
  readonly field: Field;
}

/** What a file reads as. */
export interface ReadSchema {
  readonly schema: Schema;
  readonly columns: readonly ReadColumn[];
  /** Every top-level column name, in file order. */
  readonly names: readonly string[];
}

/**
 * Describes the projected columns of a file as Arrow fields, refusing any the engine cannot read.
 *
 * Columns come in file order. Projected names the file lacks are skipped (the caller reports them). When
 * the footer holds an `ARROW:schema` entry, its field metadata, schema metadata and compatible types (time
 * zones, LargeUtf8, dictionaries, Date64) are kept, as the default engine does; other key-value entries
 * become schema metadata.
 * @param file the input's name, for messages
 * @param metadata the decoded footer
 * @param projection the `columns` option, if any
 * @throws ArrowBalanceError naming the first projected column the engine cannot read, and why
 */
export function readSchema(file: string, metadata: parquetjs.FileMetaData, projection: readonly string[] | undefined): ReadSchema {
  const described = describeColumns(metadata.schema);
  const wanted = projection === undefined ? undefined : new Set(projection);
  const columns: LiteColumn[] = [];
  for (const column of described) {
    if (wanted !== undefined && !wanted.has(column.name)) continue;
    if (!isReadable(column)) throw cannotRead(file, column.feature, column.name);
    columns.push(column);
  }
  if (new Set(columns.map((column) => column.name)).size !== columns.length) {
    throw new ArrowBalanceError(`${file}: two columns share one name; read the file with the default engine parquet-wasm`);
  }
  const keyValues = new Map<string, string>();
  for (const entry of metadata.key_value_metadata ?? []) keyValues.set(entry.key, entry.value ?? '');
  const stored = keyValues.get(ARROW_SCHEMA_KEY);
  keyValues.delete(ARROW_SCHEMA_KEY);
  const hint = stored === undefined ? undefined : decodeArrowSchema(stored);
  for (const [key, value] of hint?.metadata ?? []) if (!keyValues.has(key)) keyValues.set(key, value);
  const read = columns.map((column) => ({ ...column, field: fieldOf(column, hint?.fields[column.index]) }));
  return { schema: new Schema(read.map((column) => column.field), keyValues), columns: read, names: described.map((column) => column.name) };
}

function fieldOf(column: LiteColumn, hinted: Field | undefined): Field {
  if (hinted === undefined || hinted.name !== column.name) return new Field(column.name, column.type, column.nullable);
  return new Field(column.name, refinedType(column.type, hinted.type) ?? column.type, column.nullable, hinted.metadata);
}

/** The stored Arrow type when the column's values convert to it directly, else nothing. */
function refinedType(base: DataType, hinted: DataType): DataType | undefined {
  if (String(base) === String(hinted)) return hinted;
  if (DataType.isTimestamp(base) && DataType.isTimestamp(hinted) && base.unit === hinted.unit) return hinted;
  if (DataType.isUtf8(base) && (DataType.isLargeUtf8(hinted) || (DataType.isDictionary(hinted) && DataType.isUtf8(hinted.dictionary)))) return hinted;
  if (DataType.isBinary(base) && DataType.isLargeBinary(hinted)) return hinted;
  if (DataType.isDate(base) && DataType.isDate(hinted)) return hinted;
  return undefined;
}
