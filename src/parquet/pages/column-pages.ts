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

/** Bytes of the file read at a time while walking page headers: many small pages' headers come in one read. */
const BLOCK_BYTES = 64 * 1024;

/**
 * Walks the page headers of a column chunk.
 *
 * Only for a flat column (no repeated level): there a version 1 data page's value count is its row count,
 * nulls included. Version 2 pages say their rows.
 * @param readInto copies the file's bytes from a position into a buffer
 * @param start where the chunk's first page starts (its dictionary page, if any)
 * @param length the chunk's compressed size, headers included
 * @param rows the rows the footer declares for the row group
 * @throws Error when a header cannot be read, a page runs past the chunk, or the pages hold other rows than declared
 */
export function columnPages(readInto: (start: number, target: Uint8Array) => void, start: number, length: number, rows: number): ColumnPages {
  const end = start + length;
  const headers = new HeaderReader(readInto, end);
  const pages: DataPage[] = [];
  let dictionary: ColumnPages['dictionary'];
  let held = 0;
  for (let at = start; at < end; ) {
    const { header, headerLength } = headers.at(at);
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

/**
 * Reads page headers through one block of the file, read again only when a header lies past it: a chunk of
 * 15,625 small pages is walked in a few hundred reads into one buffer, not one buffer per page (which held
 * 1.7 GB for 19 such chunks).
 */
class HeaderReader {
  private block = new Uint8Array(BLOCK_BYTES);
  private blockStart = 0;
  private blockLength = 0;

  constructor(private readonly readInto: (start: number, target: Uint8Array) => void, private readonly end: number) {}

  /** The header at byte `at`, and its length. */
  at(at: number): { header: ThriftStruct; headerLength: number } {
    if (at < this.blockStart || at >= this.blockStart + this.blockLength) this.fill(at);
    for (;;) {
      try {
        const { struct, end } = readStruct(this.block.subarray(at - this.blockStart, this.blockLength));
        return { header: struct, headerLength: end };
      } catch (error) {
        // A header cut by the block's end is read again from its start (in a larger block if it filled one);
        // one cut by the chunk's end, or not Thrift at all, is damaged.
        if (!(error instanceof RangeError) || this.blockStart + this.blockLength >= this.end) {
          throw new Error(`the page header at byte ${at} cannot be read (${error instanceof Error ? error.message : String(error)})`);
        }
        if (at === this.blockStart) this.block = new Uint8Array(this.block.length * 2);
        this.fill(at);
      }
    }
  }

  private fill(at: number): void {
    this.blockStart = at;
    this.blockLength = Math.min(this.block.length, this.end - at);
    this.readInto(at, this.block.subarray(0, this.blockLength));
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
