/**
 * The pages of one column chunk, found by walking their headers, so that a large row group can be decoded a
 * few pages at a time (see `row-group-windows.ts`).
 */
import { field, readStruct, type ThriftStruct } from '../thrift-compact.js';

/** A range of bytes of a file. */
export interface ByteSpan {
  readonly start: number;
  readonly length: number;
}

/** A data page: its header and body, and the rows it holds. */
export interface DataPage extends ByteSpan {
  readonly rows: number;
  /** Header length plus the body's uncompressed size. */
  readonly uncompressed: number;
}

/** The pages of one column chunk of a flat column, in file order. */
export interface ColumnPages {
  readonly dictionary: (ByteSpan & { readonly uncompressed: number }) | undefined;
  readonly pages: readonly DataPage[];
}

/** Field ids of parquet.thrift's PageHeader, DataPageHeader and DataPageHeaderV2. */
const PAGE_HEADER = { type: 1, uncompressedSize: 2, compressedSize: 3, dataPage: 5, dataPageV2: 8 } as const;
const DATA_PAGE = { numValues: 1 } as const;
const DATA_PAGE_V2 = { numRows: 3 } as const;
const PAGE_TYPE = { data: 0, index: 1, dictionary: 2, dataV2: 3 } as const;

/** A page header is rarely longer than this; a longer one (large statistics) is read again whole. */
const HEADER_GUESS = 256;

/**
 * Walks the page headers of a column chunk.
 *
 * Only for a flat column (no repeated level): there a version 1 data page's value count is its row count,
 * nulls included. Version 2 pages say their rows.
 * @param read reads bytes [start, end) of the file (the result is used before the next call)
 * @param start where the chunk's first page starts (its dictionary page, if any)
 * @param length the chunk's compressed size, headers included
 * @param rows the rows the footer declares for the row group
 * @throws Error when a header cannot be read, a page runs past the chunk, or the pages hold other rows than declared
 */
export function columnPages(read: (start: number, end: number) => Uint8Array, start: number, length: number, rows: number): ColumnPages {
  const end = start + length;
  const pages: DataPage[] = [];
  let dictionary: ColumnPages['dictionary'];
  let held = 0;
  for (let at = start; at < end; ) {
    const { header, headerLength } = readHeader(read, at, end);
    const body = numberField(header, PAGE_HEADER.compressedSize, at);
    const uncompressed = headerLength + numberField(header, PAGE_HEADER.uncompressedSize, at);
    const span = { start: at, length: headerLength + body };
    if (body < 0 || at + span.length > end) throw new Error(`a page at byte ${at} runs past its column chunk`);
    const type = field(header, PAGE_HEADER.type);
    if (type === PAGE_TYPE.dictionary) {
      if (dictionary !== undefined || pages.length > 0) throw new Error(`a dictionary page at byte ${at} is not the chunk's first page`);
      dictionary = { ...span, uncompressed };
    } else if (type === PAGE_TYPE.data || type === PAGE_TYPE.dataV2) {
      const rowsHere = type === PAGE_TYPE.data ? numberField(subStruct(header, PAGE_HEADER.dataPage, at), DATA_PAGE.numValues, at) : numberField(subStruct(header, PAGE_HEADER.dataPageV2, at), DATA_PAGE_V2.numRows, at);
      if (rowsHere < 0) throw new Error(`a page at byte ${at} declares ${rowsHere} rows`);
      pages.push({ ...span, rows: rowsHere, uncompressed });
      held += rowsHere;
    } else if (type !== PAGE_TYPE.index) {
      throw new Error(`a page at byte ${at} has unknown type ${String(type)}`);
    }
    at += span.length;
  }
  if (held !== rows) throw new Error(`its pages hold ${held} rows but the footer says ${rows}`);
  return { dictionary, pages };
}

function readHeader(read: (start: number, end: number) => Uint8Array, at: number, end: number): { header: ThriftStruct; headerLength: number } {
  for (let guess = HEADER_GUESS; ; guess *= 16) {
    const bytes = read(at, Math.min(end, at + guess));
    try {
      const { struct, end: headerLength } = readStruct(bytes);
      return { header: struct, headerLength };
    } catch (error) {
      if (!(error instanceof RangeError) || at + guess >= end) throw new Error(`the page header at byte ${at} cannot be read (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

function subStruct(struct: ThriftStruct, id: number, at: number): ThriftStruct {
  const value = field(struct, id);
  if (typeof value !== 'object' || value === null || !('kind' in value) || value.kind !== 'struct') throw new Error(`the page header at byte ${at} lacks its field ${id}`);
  return value;
}

function numberField(struct: ThriftStruct, id: number, at: number): number {
  const value = field(struct, id);
  if (typeof value !== 'number') throw new Error(`the page header at byte ${at} lacks its field ${id}`);
  return value;
}
