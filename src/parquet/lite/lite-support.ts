/** Checks a footer's column chunks for codecs, encodings and page types the parquetjs-lite engine cannot decode. */
import type parquetjs from 'parquetjs-lite';
import { cannotRead } from './lite-errors.js';
import type { LiteColumn } from './lite-file-schema.js';

/** Compression codecs by Thrift number; parquetjs-lite inflates only the first three. */
const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];
const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP']);

/** Encodings by Thrift number (1 is unused). parquetjs-lite decodes PLAIN, PLAIN_DICTIONARY and RLE levels. */
const ENCODINGS = ['PLAIN', '1', 'PLAIN_DICTIONARY', 'RLE', 'BIT_PACKED', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY', 'DELTA_BYTE_ARRAY', 'RLE_DICTIONARY', 'BYTE_STREAM_SPLIT'];
/** BIT_PACKED is listed by some writers for levels of flat columns, which have none to decode. */
const READABLE_ENCODINGS = new Set(['PLAIN', 'PLAIN_DICTIONARY', 'RLE', 'BIT_PACKED']);

const PLAIN_DICTIONARY = 2;
const DATA_PAGE_V2 = 3;

/**
 * Refuses, before any page is decoded, a file whose projected columns use a codec, an encoding or (when
 * the writer recorded page statistics) data page v2 that parquetjs-lite cannot decode. Codecs are checked
 * first, then encodings, then page types, so the message names the most basic obstacle.
 * @param file the input's name, for messages
 * @param metadata the decoded footer
 * @param columns the projected columns
 * @throws ArrowBalanceError naming the feature and the column
 */
export function checkColumnChunks(file: string, metadata: parquetjs.FileMetaData, columns: readonly LiteColumn[]): void {
  const chunks = projectedChunks(file, metadata, columns);
  for (const { column, chunk } of chunks) {
    if (chunk.file_path !== null && chunk.file_path !== undefined) throw cannotRead(file, 'column chunks stored in other files', column.name);
    const codec = CODECS[chunk.meta_data.codec] ?? `codec number ${chunk.meta_data.codec}`;
    if (!READABLE_CODECS.has(codec)) throw cannotRead(file, `${codec} compression`, column.name);
  }
  for (const { column, chunk } of chunks) {
    for (const number of chunk.meta_data.encodings) {
      const encoding = ENCODINGS[number] ?? `encoding number ${number}`;
      if (!READABLE_ENCODINGS.has(encoding)) throw cannotRead(file, `${encoding} encoding`, column.name);
      // parquetjs-lite hands dictionary values back as text, which would corrupt raw bytes.
      if (number === PLAIN_DICTIONARY && column.physical === 'BYTE_ARRAY' && column.type.toString() === 'Binary') {
        throw cannotRead(file, 'dictionary-encoded binary columns', column.name);
      }
    }
  }
  for (const { column, chunk } of chunks) {
    if (chunk.meta_data.encoding_stats?.some((stats) => stats.page_type === DATA_PAGE_V2)) throw cannotRead(file, 'data page v2', column.name);
  }
}

/** A projected column's chunk in one row group. */
export interface ProjectedChunk<C extends LiteColumn = LiteColumn> {
  readonly column: C;
  readonly chunk: parquetjs.ColumnChunk;
}

/**
 * The chunks of the projected columns, in every row group (or in one).
 * @param file the input's name, for messages
 * @param metadata the footer
 * @param columns the projected columns (top-level, flat)
 * @param rowGroup only this row group, when given
 * @throws ArrowBalanceError when a row group lacks a projected column
 */
export function projectedChunks<C extends LiteColumn>(file: string, metadata: parquetjs.FileMetaData, columns: readonly C[], rowGroup?: number): Array<ProjectedChunk<C>> {
  const groups = rowGroup === undefined ? metadata.row_groups : metadata.row_groups.slice(rowGroup, rowGroup + 1);
  const found: Array<ProjectedChunk<C>> = [];
  for (const group of groups) {
    for (const column of columns) {
      const chunk = group.columns.find((candidate) => candidate.meta_data.path_in_schema.length === 1 && candidate.meta_data.path_in_schema[0] === column.name);
      if (chunk === undefined) throw cannotRead(file, 'a row group that lacks a column chunk', column.name);
      found.push({ column, chunk });
    }
  }
  return found;
}
