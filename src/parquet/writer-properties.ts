import { Compression, WriterPropertiesBuilder, type WriterProperties } from 'parquet-wasm';
import type { ParquetCompression } from './write-options.js';
import type { EncodeSettings } from './wasm/worker-protocol.js';

const CODECS: Readonly<Record<ParquetCompression, Compression>> = {
  snappy: Compression.SNAPPY,
  zstd: Compression.ZSTD,
  gzip: Compression.GZIP,
  brotli: Compression.BROTLI,
  lz4_raw: Compression.LZ4_RAW,
  none: Compression.UNCOMPRESSED,
};

/**
 * parquet-wasm writer properties for our encode settings.
 *
 * Row groups are capped explicitly (parquet-wasm would otherwise buffer a million rows), and float
 * columns skip dictionary encoding: their values rarely repeat, and trying a dictionary first made
 * writing several times slower and files larger.
 */
export function buildWriterProperties(settings: EncodeSettings): WriterProperties {
  let builder = new WriterPropertiesBuilder()
    .setCompression(CODECS[settings.compression])
    .setMaxRowGroupSize(settings.rowGroupSize)
    .setCreatedBy('arrow-balance (parquet-wasm)');
  for (const path of settings.plainColumns) builder = builder.setColumnDictionaryEnabled(path, false);
  const metadata = Object.entries(settings.metadata);
  if (metadata.length > 0) builder = builder.setKeyValueMetadata(new Map(metadata));
  return builder.build();
}
