import { field, type ThriftList, type ThriftStruct } from '../thrift-compact.js';

/** Field ids of parquet.thrift used here. */
const FILE_META = { rowGroups: 4 } as const;
const ROW_GROUP = { columns: 1 } as const;
const COLUMN_CHUNK = { metaData: 3 } as const;
const COLUMN_META = { pathInSchema: 3, totalCompressedSize: 7, dataPageOffset: 9, dictionaryPageOffset: 11 } as const;

/**
 * The byte ranges of a row group's column chunks (dictionary page included), from the footer: what must be
 * fetched before its pages can be walked (see `row-group-windows.ts`) from an object over the network.
 * @param footer the file's FileMetaData
 * Chunks that touch are joined into one range, as parquet-wasm joins them when it asks for them.
 * @param rowGroups the row groups' numbers
 * @param columns top-level columns wanted; undefined for all
 * @returns [start, end) ranges in file order
 */
export function chunkRanges(footer: ThriftStruct, rowGroups: readonly number[], columns: readonly string[] | undefined): Array<[number, number]> {
  const ranges = rowGroups.flatMap((rowGroup) => groupChunks(footer, rowGroup, columns)).sort((a, b) => a[0] - b[0]);
  const joined: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = joined[joined.length - 1];
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else joined.push([range[0], range[1]]);
  }
  return joined;
}

function groupChunks(footer: ThriftStruct, rowGroup: number, columns: readonly string[] | undefined): Array<[number, number]> {
  const group = (field(footer, FILE_META.rowGroups) as ThriftList | undefined)?.items[rowGroup] as ThriftStruct | undefined;
  const chunks = ((group === undefined ? undefined : field(group, ROW_GROUP.columns)) as ThriftList | undefined)?.items ?? [];
  const ranges: Array<[number, number]> = [];
  for (const chunk of chunks) {
    const meta = field(chunk as ThriftStruct, COLUMN_CHUNK.metaData) as ThriftStruct | undefined;
    if (meta === undefined) continue;
    const top = (field(meta, COLUMN_META.pathInSchema) as ThriftList | undefined)?.items[0];
    if (columns !== undefined && !(top instanceof Uint8Array && columns.includes(new TextDecoder().decode(top)))) continue;
    const dictionaryAt = field(meta, COLUMN_META.dictionaryPageOffset);
    const start = Number(typeof dictionaryAt === 'bigint' && dictionaryAt > 0n ? dictionaryAt : field(meta, COLUMN_META.dataPageOffset));
    ranges.push([start, start + Number(field(meta, COLUMN_META.totalCompressedSize))]);
  }
  return ranges;
}
