/**
 * The `ARROW:schema` footer entry (base64 of an Arrow IPC schema message) that Arrow writers store so that
 * readers restore exact Arrow types, field metadata and schema metadata.
 */
import { Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';

/** The footer key Arrow implementations (arrow-rs, pyarrow, arrow-js readers of both) agree on. */
export const ARROW_SCHEMA_KEY = 'ARROW:schema';

/**
 * Encodes a schema the way Arrow writers store it: base64 of the IPC stream of the schema message.
 * @param schema the schema of the batches written
 * @returns the footer value for {@link ARROW_SCHEMA_KEY}
 */
export function encodeArrowSchema(schema: Schema): string {
  return Buffer.from(tableToIPC(new Table(schema), 'stream')).toString('base64');
}

/**
 * Decodes a stored Arrow schema, or nothing when the value is not one.
 *
 * A hint that cannot be decoded is ignored rather than failing the read: the Parquet schema alone suffices.
 * @param value the footer value of {@link ARROW_SCHEMA_KEY}
 */
export function decodeArrowSchema(value: string): Schema | undefined {
  try {
    return tableFromIPC(Buffer.from(value, 'base64')).schema;
  } catch {
    return undefined;
  }
}
