import { ArrowBalanceError } from '../../errors.js';
import { field, readStruct, T, writeStruct, type ThriftList, type ThriftStruct } from '../thrift-compact.js';

/** Field ids of parquet.thrift (apache/parquet-format) that stitching reads or changes. */
export const FILE_META = { numRows: 3, rowGroups: 4, keyValue: 5 } as const;
const ROW_GROUP = { columns: 1, fileOffset: 5, ordinal: 7 } as const;
const COLUMN_CHUNK = { fileOffset: 2, metaData: 3, offsetIndexOffset: 4, offsetIndexLength: 5, columnIndexOffset: 6, columnIndexLength: 7 } as const;
const COLUMN_META = { totalCompressedSize: 7, dataPageOffset: 9, indexPageOffset: 10, dictionaryPageOffset: 11, bloomFilterOffset: 14 } as const;

/** A column chunk's page index, read out of a part so that it can be written again elsewhere. */
export interface ChunkIndexes {
  /** The ColumnChunk struct whose index offsets must be set when the indexes land. */
  readonly chunk: ThriftStruct;
  /** The ColumnIndex, copied as it is (it holds no offsets). */
  readonly columnIndex: Uint8Array | undefined;
  /** The OffsetIndex, decoded: its page locations are absolute offsets, moved with the data. */
  readonly offsetIndex: ThriftStruct | undefined;
}

/** A Parquet file split into what stitching needs: its row group data, its footer and its page indexes. */
export interface ParquetParts {
  /** Bytes from after the leading magic to the end of the last column chunk. */
  readonly data: Uint8Array;
  /** The FileMetaData struct. */
  readonly footer: ThriftStruct;
  /** Page indexes by column chunk, in row group and column order. */
  readonly indexes: readonly ChunkIndexes[];
}

const MAGIC = [0x50, 0x41, 0x52, 0x31];

/**
 * Splits a complete Parquet file (as an encoder wrote it in memory) into data, footer and page indexes.
 *
 * Writers put page indexes after every row group and before the footer (arrow-rs, parquet-mr); the data
 * region ends where the first index starts.
 * @throws ArrowBalanceError when the bytes are not a whole Parquet file, an index lies inside the data, or a
 *   column chunk has a bloom filter (not written by arrow-balance's encoder)
 */
export function splitParquet(bytes: Uint8Array): ParquetParts {
  const size = bytes.length;
  const hasMagic = (at: number): boolean => MAGIC.every((b, i) => bytes[at + i] === b);
  if (size < 12 || !hasMagic(0) || !hasMagic(size - 4)) throw new ArrowBalanceError('an encoded part is not a whole Parquet file (magic bytes missing)');
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset + size - 8, 4).getUint32(0, true);
  const footerStart = size - 8 - footerLength;
  if (footerStart < 4) throw new ArrowBalanceError('an encoded part has a footer longer than itself');
  const { struct } = readStruct(bytes.subarray(footerStart, size - 8));
  const indexes: ChunkIndexes[] = [];
  let dataEnd = footerStart;
  const blob = (chunk: ThriftStruct, offsetId: number, lengthId: number): Uint8Array | undefined => {
    const offset = field(chunk, offsetId);
    const length = field(chunk, lengthId);
    if (typeof offset !== 'bigint' || typeof length !== 'number') return undefined;
    const start = Number(offset);
    if (start < 4 || start + length > footerStart) throw new ArrowBalanceError('an encoded part has a page index outside its body');
    dataEnd = Math.min(dataEnd, start);
    // A copy: the part is given back to its worker once its data is written, before the indexes are.
    return bytes.slice(start, start + length);
  };
  for (const group of rowGroups(struct)) {
    for (const chunk of structs(field(group, ROW_GROUP.columns))) {
      const meta = field(chunk, COLUMN_CHUNK.metaData) as ThriftStruct | undefined;
      if (meta !== undefined && field(meta, COLUMN_META.bloomFilterOffset) !== undefined) {
        throw new ArrowBalanceError('an encoded part holds a bloom filter, which cannot be stitched');
      }
      const columnIndex = blob(chunk, COLUMN_CHUNK.columnIndexOffset, COLUMN_CHUNK.columnIndexLength);
      const offsetBytes = blob(chunk, COLUMN_CHUNK.offsetIndexOffset, COLUMN_CHUNK.offsetIndexLength);
      if (columnIndex !== undefined || offsetBytes !== undefined) {
        indexes.push({ chunk, columnIndex, offsetIndex: offsetBytes === undefined ? undefined : readStruct(offsetBytes).struct });
      }
    }
  }
  for (const group of rowGroups(struct)) {
    for (const chunk of structs(field(group, ROW_GROUP.columns))) {
      const meta = field(chunk, COLUMN_CHUNK.metaData) as ThriftStruct | undefined;
      const end = meta === undefined ? 0 : chunkEnd(meta);
      if (end > dataEnd) throw new ArrowBalanceError('an encoded part has a page index before the end of its data');
    }
  }
  return { data: bytes.subarray(4, dataEnd), footer: struct, indexes };
}

/** Where a column chunk's pages end: its first page's offset plus its compressed size. */
function chunkEnd(meta: ThriftStruct): number {
  const starts = [field(meta, COLUMN_META.dictionaryPageOffset), field(meta, COLUMN_META.dataPageOffset)].filter((v): v is bigint => typeof v === 'bigint' && v > 0n);
  const size = field(meta, COLUMN_META.totalCompressedSize);
  return starts.length === 0 || typeof size !== 'bigint' ? 0 : Number(starts.reduce((a, b) => (a < b ? a : b)) + size);
}

/** Moves the page locations of an OffsetIndex by `delta` bytes (in place). */
export function rebaseOffsetIndex(offsetIndex: ThriftStruct, delta: bigint): void {
  for (const location of structs(field(offsetIndex, 1))) shift(location, 1, delta);
}

/**
 * Records where a chunk's indexes now lie (in place).
 * @param chunk the ColumnChunk struct
 * @param columnIndex offset of its ColumnIndex, if it has one
 * @param offsetIndex offset and length of its re-encoded OffsetIndex, if it has one
 */
export function placeIndexes(chunk: ThriftStruct, columnIndex: bigint | undefined, offsetIndex: { at: bigint; length: number } | undefined): void {
  if (columnIndex !== undefined) setField(chunk, COLUMN_CHUNK.columnIndexOffset, columnIndex);
  if (offsetIndex !== undefined) {
    setField(chunk, COLUMN_CHUNK.offsetIndexOffset, offsetIndex.at);
    setField(chunk, COLUMN_CHUNK.offsetIndexLength, offsetIndex.length);
  }
}

/**
 * Writes page indexes after a file's data, every column index first and then every offset index (as arrow-rs
 * does), and points each chunk at where its indexes landed.
 * @param indexes the chunks' indexes, in the order they are to be written
 * @param write appends bytes to the file and returns the offset they were written at
 */
export function writePageIndexes(indexes: readonly ChunkIndexes[], write: (bytes: Uint8Array) => bigint): void {
  const columnAt = indexes.map(({ columnIndex }) => (columnIndex === undefined ? undefined : write(columnIndex)));
  indexes.forEach(({ chunk, offsetIndex }, i) => {
    let placed: { at: bigint; length: number } | undefined;
    if (offsetIndex !== undefined) {
      const bytes = writeStruct(offsetIndex);
      placed = { at: write(bytes), length: bytes.length };
    }
    placeIndexes(chunk, columnAt[i], placed);
  });
}

/** The row groups of a FileMetaData struct. */
export function rowGroups(footer: ThriftStruct): ThriftStruct[] {
  return structs(field(footer, FILE_META.rowGroups));
}

/**
 * Moves a row group's absolute offsets by `delta` bytes and renumbers it (in place).
 * @param group a RowGroup struct
 * @param delta how far its bytes moved
 * @param ordinal its position in the new file
 */
export function rebaseRowGroup(group: ThriftStruct, delta: bigint, ordinal: number): void {
  shift(group, ROW_GROUP.fileOffset, delta);
  const at = group.fields.find((f) => f.id === ROW_GROUP.ordinal);
  if (at !== undefined) at.value = ordinal;
  for (const chunk of structs(field(group, ROW_GROUP.columns))) {
    // Deprecated, and "should be 0" (parquet-format); arrow-rs writes 0. Moved, it would say where the chunk's
    // part began, and the file would depend on how the output was cut into parts.
    const fileOffset = chunk.fields.find((f) => f.id === COLUMN_CHUNK.fileOffset);
    if (fileOffset !== undefined) fileOffset.value = 0n;
    const meta = field(chunk, COLUMN_CHUNK.metaData) as ThriftStruct | undefined;
    if (meta === undefined) continue;
    shift(meta, COLUMN_META.dataPageOffset, delta);
    shift(meta, COLUMN_META.indexPageOffset, delta);
    shift(meta, COLUMN_META.dictionaryPageOffset, delta);
  }
}

/**
 * A FileMetaData like `first`, holding `groups` and `numRows` rows and the given key-value metadata (which
 * replaces the first part's, keeping its `ARROW:schema`).
 */
export function mergedFooter(first: ThriftStruct, groups: ThriftStruct[], numRows: bigint, keyValue: Readonly<Record<string, string>>): ThriftStruct {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const kept = structs(field(first, FILE_META.keyValue)).filter((entry) => {
    const key = field(entry, 1);
    return key instanceof Uint8Array && decoder.decode(key) === 'ARROW:schema';
  });
  const added = Object.entries(keyValue).map(([key, value]): ThriftStruct => ({
    kind: 'struct',
    fields: [
      { id: 1, type: T.BINARY, value: encoder.encode(key) },
      { id: 2, type: T.BINARY, value: encoder.encode(value) },
    ],
  }));
  const replaced = new Map<number, ThriftStruct['fields'][number]['value']>([
    [FILE_META.numRows, numRows],
    [FILE_META.rowGroups, { kind: 'list', elementType: T.STRUCT, items: groups }],
    [FILE_META.keyValue, { kind: 'list', elementType: T.STRUCT, items: [...kept, ...added] }],
  ]);
  const fields = first.fields.map((f) => (replaced.has(f.id) ? { ...f, value: replaced.get(f.id) as typeof f.value } : f));
  if (!fields.some((f) => f.id === FILE_META.keyValue) && (kept.length > 0 || added.length > 0)) {
    const at = fields.findIndex((f) => f.id > FILE_META.keyValue);
    fields.splice(at < 0 ? fields.length : at, 0, { id: FILE_META.keyValue, type: T.LIST, value: replaced.get(FILE_META.keyValue) as ThriftList });
  }
  return { kind: 'struct', fields };
}

function setField(struct: ThriftStruct, id: number, value: bigint | number): void {
  const at = struct.fields.find((f) => f.id === id);
  if (at !== undefined) at.value = value;
}

function shift(struct: ThriftStruct, id: number, delta: bigint): void {
  const at = struct.fields.find((f) => f.id === id);
  if (at !== undefined && typeof at.value === 'bigint') at.value += delta;
}

function structs(value: unknown): ThriftStruct[] {
  return value !== undefined && (value as ThriftList).kind === 'list' ? ((value as ThriftList).items as ThriftStruct[]) : [];
}
