/**
 * A small Parquet file of one flat column built from some pages of another file's column chunk, so that
 * parquet-wasm decodes those pages alone (it decodes whole row groups otherwise).
 */
import type { ByteSpan } from './column-pages.js';
import { field, T, writeStruct, type ThriftField, type ThriftList, type ThriftStruct, type ThriftValue } from '../thrift-compact.js';

/** Field ids of parquet.thrift (apache/parquet-format) used here. */
const SCHEMA_ELEMENT = { repetition: 3, name: 4, numChildren: 5 } as const;
const COLUMN_META = { type: 1, encodings: 2, path: 3, codec: 4 } as const;
const REPEATED = 2;

/** A top-level column of a file that is a single flat leaf: its schema element and its chunk's index. */
export interface FlatColumn {
  readonly element: ThriftStruct;
  readonly leaf: number;
}

/**
 * The top-level columns of a footer's schema that are single, non-repeated leaves, by name; nested or
 * repeated columns are left out (their rows cannot be told from page headers).
 * @param schema the footer's SchemaElement list, root first
 */
export function flatColumns(schema: readonly ThriftStruct[]): Map<string, FlatColumn> {
  const flat = new Map<string, FlatColumn>();
  const root = schema[0];
  const children = root === undefined ? 0 : Number(field(root, SCHEMA_ELEMENT.numChildren) ?? 0);
  let at = 1;
  let leaf = 0;
  for (let child = 0; child < children && at < schema.length; child++) {
    const element = schema[at] as ThriftStruct;
    const { next, leaves } = subtree(schema, at);
    const name = field(element, SCHEMA_ELEMENT.name);
    if (leaves === 1 && next === at + 1 && field(element, SCHEMA_ELEMENT.repetition) !== REPEATED && name instanceof Uint8Array) {
      flat.set(new TextDecoder().decode(name), { element, leaf });
    }
    leaf += leaves;
    at = next;
  }
  return flat;
}

function subtree(schema: readonly ThriftStruct[], at: number): { next: number; leaves: number } {
  const children = Number(field(schema[at] as ThriftStruct, SCHEMA_ELEMENT.numChildren) ?? 0);
  if (children === 0) return { next: at + 1, leaves: 1 };
  let next = at + 1;
  let leaves = 0;
  for (let child = 0; child < children && next < schema.length; child++) {
    const inner = subtree(schema, next);
    next = inner.next;
    leaves += inner.leaves;
  }
  return { next, leaves };
}

/** What a one-column file is made of. */
export interface ColumnFileParts {
  /** The column's schema element in the original file. */
  readonly element: ThriftStruct;
  /** The chunk's ColumnMetaData in the original file (type, encodings, path and codec are kept). */
  readonly meta: ThriftStruct;
  /** The dictionary page, header and body, if the chunk has one. */
  readonly dictionary: Uint8Array | undefined;
  /** Data pages (headers and bodies) where they lie in the original file, in order. */
  readonly pages: readonly ByteSpan[];
  /** Copies the original file's bytes from `start` into `target` (pages go straight into the new file). */
  readonly readInto: (start: number, target: Uint8Array) => void;
  readonly rows: number;
  /** Uncompressed bytes of the pages and the dictionary, headers included. */
  readonly uncompressed: number;
  /** The `ARROW:schema` value for the column (base64 of an IPC schema message), so it decodes to the file's type. */
  readonly arrowSchema: string | undefined;
}

/**
 * A Parquet file holding one row group of one column made of the given pages, as parquet-wasm reads a
 * `Blob`: its size and byte ranges.
 *
 * The column chunk (dictionary and data pages) is a buffer of its own, handed out whole when parquet-wasm
 * asks for it: parquet-wasm wraps what it gets in `new Uint8Array(buffer, 0)`, which copies a typed array
 * (a view of a larger file) but views an ArrayBuffer, so only its copy into wasm memory is made.
 * Statistics and page indexes are left out: they describe the whole chunk, not these pages.
 */
export class ColumnFile {
  /** The dictionary page and the data pages, at byte 4 of the file. */
  private readonly chunk: Uint8Array;
  /** The footer, its length and the closing magic. */
  private readonly tail: Uint8Array;
  readonly size: number;

  constructor(parts: ColumnFileParts) {
    const dictionaryLength = parts.dictionary?.length ?? 0;
    const pagesLength = parts.pages.reduce((sum, page) => sum + page.length, 0);
    this.chunk = new Uint8Array(dictionaryLength + pagesLength);
    if (parts.dictionary !== undefined) this.chunk.set(parts.dictionary, 0);
    // Pages that follow each other in the file (all of them, but for index pages) are read in one go.
    let at = dictionaryLength;
    for (let first = 0; first < parts.pages.length; ) {
      let last = first;
      while (last + 1 < parts.pages.length && (parts.pages[last + 1] as ByteSpan).start === (parts.pages[last] as ByteSpan).start + (parts.pages[last] as ByteSpan).length) last++;
      const from = (parts.pages[first] as ByteSpan).start;
      const length = (parts.pages[last] as ByteSpan).start + (parts.pages[last] as ByteSpan).length - from;
      parts.readInto(from, this.chunk.subarray(at, at + length));
      at += length;
      first = last + 1;
    }
    const metaFields: ThriftField[] = [
      ...kept(parts.meta, [COLUMN_META.type, COLUMN_META.encodings, COLUMN_META.path, COLUMN_META.codec]),
      i64(5, parts.rows),
      i64(6, parts.uncompressed),
      i64(7, this.chunk.length),
      i64(9, 4 + dictionaryLength),
      ...(parts.dictionary === undefined ? [] : [i64(11, 4)]),
    ];
    const chunk = struct([i64(2, 4), { id: 3, type: T.STRUCT, value: struct(metaFields) }]);
    const rowGroup = struct([list(1, T.STRUCT, [chunk]), i64(2, parts.uncompressed), i64(3, parts.rows)]);
    const root = struct([binary(SCHEMA_ELEMENT.name, 'schema'), i32(SCHEMA_ELEMENT.numChildren, 1)]);
    const keyValue = parts.arrowSchema === undefined ? [] : [list(5, T.STRUCT, [struct([binary(1, 'ARROW:schema'), binary(2, parts.arrowSchema)])])];
    const footer = writeStruct(struct([i32(1, 2), list(2, T.STRUCT, [root, parts.element]), i64(3, parts.rows), list(4, T.STRUCT, [rowGroup]), ...keyValue]));
    this.tail = new Uint8Array(footer.length + 8);
    this.tail.set(footer, 0);
    new DataView(this.tail.buffer).setUint32(footer.length, footer.length, true);
    this.tail.set(MAGIC, footer.length + 4);
    this.size = 4 + this.chunk.length + this.tail.length;
  }

  /** The bytes in [start, end): the chunk's own buffer when that is what is asked for, a copy otherwise. */
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> } {
    const chunkEnd = 4 + this.chunk.length;
    if (start === 4 && end === chunkEnd) return { arrayBuffer: () => Promise.resolve(this.chunk.buffer as ArrayBuffer) };
    const bytes = new Uint8Array(Math.max(0, Math.min(end, this.size) - start));
    for (let at = start; at < start + bytes.length; at++) bytes[at - start] = this.byteAt(at);
    return { arrayBuffer: () => Promise.resolve(bytes.buffer) };
  }

  private byteAt(at: number): number {
    if (at < 4) return MAGIC[at] as number;
    if (at < 4 + this.chunk.length) return this.chunk[at - 4] as number;
    return this.tail[at - 4 - this.chunk.length] as number;
  }
}

const MAGIC = [0x50, 0x41, 0x52, 0x31];

function kept(from: ThriftStruct, ids: readonly number[]): ThriftField[] {
  return from.fields.filter((f) => ids.includes(f.id));
}

function struct(fields: ThriftField[]): ThriftStruct {
  return { kind: 'struct', fields };
}

function i64(id: number, value: number): ThriftField {
  return { id, type: T.I64, value: BigInt(value) };
}

function i32(id: number, value: number): ThriftField {
  return { id, type: T.I32, value };
}

function binary(id: number, text: string): ThriftField {
  return { id, type: T.BINARY, value: new TextEncoder().encode(text) };
}

function list(id: number, elementType: number, items: ThriftValue[]): ThriftField {
  return { id, type: T.LIST, value: { kind: 'list', elementType, items } satisfies ThriftList };
}
