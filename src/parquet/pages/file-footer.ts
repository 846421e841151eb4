import type { ByteRanges } from '../file-ranges.js';
import { readStruct, type ThriftStruct } from '../thrift-compact.js';

/**
 * A file's FileMetaData, read with the schema-less Thrift codec (for the page walks of large row groups).
 * @param ranges the file's bytes
 * @throws Error when the footer's length or Thrift encoding is damaged
 */
export function readFooter(ranges: ByteRanges): ThriftStruct {
  if (ranges.size < 12) throw new Error('the file is too short for a Parquet footer');
  const tail = ranges.read(ranges.size - 8, ranges.size - 4);
  const length = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  const start = ranges.size - 8 - length;
  if (start < 4) throw new Error(`the footer length (${length} bytes) is longer than the file`);
  try {
    return readStruct(ranges.read(start, ranges.size - 8)).struct;
  } catch (error) {
    throw new Error(`the footer cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
}
