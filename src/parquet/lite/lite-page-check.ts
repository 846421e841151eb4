/** Finds data page v2 in column chunks whose footer does not record page types, before parquetjs-lite decodes them. */
import type parquetjs from 'parquetjs-lite';
import thrift from 'parquetjs-lite/gen-nodejs/parquet_types.js';
import util from 'parquetjs-lite/lib/util.js';
import { cannotRead } from './lite-errors.js';
import type { ProjectedChunk } from './lite-support.js';

const DICTIONARY_PAGE = 2;
const DATA_PAGE_V2 = 3;
/** Bytes read at the start of a chunk to find its first data page header (headers are small). */
const HEADER_WINDOW = 64 * 1024;

/**
 * Throws when the first data page of a chunk is a v2 page, which parquetjs-lite misreads.
 *
 * Chunks with `encoding_stats` were checked from the footer already and are skipped. A header that cannot
 * be decoded here is left for parquetjs-lite to report.
 * @param file the input's name, for messages
 * @param envelope the open file
 * @param chunks the projected chunks of the row group about to be read
 * @throws ArrowBalanceError naming data page v2 and the column
 */
export async function refuseDataPageV2(file: string, envelope: parquetjs.ParquetEnvelopeReader, chunks: readonly ProjectedChunk[]): Promise<void> {
  for (const { column, chunk } of chunks) {
    if (chunk.meta_data.encoding_stats !== null && chunk.meta_data.encoding_stats !== undefined) continue;
    const type = await firstDataPageType(envelope, chunk.meta_data);
    if (type === DATA_PAGE_V2) throw cannotRead(file, 'data page v2', column.name);
  }
}

async function firstDataPageType(envelope: parquetjs.ParquetEnvelopeReader, meta: parquetjs.ColumnMetaData): Promise<number | undefined> {
  const dataOffset = Number(meta.data_page_offset);
  const dictionaryOffset = meta.dictionary_page_offset === null ? undefined : Number(meta.dictionary_page_offset);
  const start = dictionaryOffset !== undefined && dictionaryOffset > 0 && dictionaryOffset < dataOffset ? dictionaryOffset : dataOffset;
  const length = Math.min(HEADER_WINDOW, Number(meta.total_compressed_size), envelope.fileSize - start);
  if (!(length > 0)) return undefined;
  try {
    const window = await envelope.read(start, length);
    let offset = 0;
    for (let page = 0; page < 2 && offset < window.length; page += 1) {
      const header = new thrift.PageHeader();
      offset += util.decodeThrift(header, window, offset);
      if (header.type !== DICTIONARY_PAGE) return header.type;
      offset += header.compressed_page_size;
    }
  } catch {
    // Not decodable within the window: parquetjs-lite will report what is wrong.
  }
  return undefined;
}
