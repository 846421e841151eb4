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
 * @param rowGroup the row group's number
 * @param columns top-level columns wanted; undefined for all
 * @returns [start, end) ranges in file order
 */
export function chunkRanges(footer: ThriftStruct, rowGroup: number, columns: readonly string[] | undefined): Array<[number, number]> {
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
  return ranges.sort((a, b) => a[0] - b[0]);
}
