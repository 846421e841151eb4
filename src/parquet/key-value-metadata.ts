import { closeSync, openSync } from 'node:fs';
import { FileRanges } from './file-ranges.js';
import { readFooter } from './pages/file-footer.js';
import { FILE_META } from './stitch/parquet-footer.js';
import { field, type ThriftList, type ThriftStruct } from './thrift-compact.js';

/**
 * A Parquet file's key-value metadata, read from its footer alone (the data is never read).
 * @param path the file
 * @returns each key's value (a key without value: the empty string)
 * @throws Error when the file cannot be opened or its footer is damaged
 */
export function readKeyValueMetadata(path: string): Map<string, string> {
  const fd = openSync(path, 'r');
  try {
    const footer = readFooter(new FileRanges(fd));
    const list = field(footer, FILE_META.keyValue) as ThriftList | undefined;
    const decoder = new TextDecoder();
    const entries = new Map<string, string>();
    for (const entry of (list?.items ?? []) as ThriftStruct[]) {
      const key = field(entry, 1);
      const value = field(entry, 2);
      if (key instanceof Uint8Array) entries.set(decoder.decode(key), value instanceof Uint8Array ? decoder.decode(value) : '');
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}
