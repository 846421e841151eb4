/**
 * Decodes a large row group as windows of rows, a few pages of each column at a time.
 *
 * parquet-wasm 0.8 decodes whole row groups: before its first batch it holds about three times the row
 * group's compressed size in its heap (1.35 GB for a 375 MB, 5M-row group), whatever the batch size, and
 * its `offset`/`limit` options fetch the whole group again for every range. Here each flat column's pages
 * are found from their headers ({@link columnPages}) and decoded a few at a time, as a small file of their
 * own ({@link ColumnFile}), so memory follows the pages in flight, not the row group. A column whose pages
 * are as large as its chunk (DuckDB writes one page per chunk) is still decoded whole; a nested or repeated
 * column, whose rows page headers do not tell, is decoded whole through parquet-wasm's projection.
 */
import { makeData, RecordBatch, Schema, Struct, Table, tableToIPC, type Data, type Field } from 'apache-arrow';
import { ParquetFile, type RecordBatch as WasmBatch } from 'parquet-wasm';
import { concatData } from '../../arrow/concat-data.js';
import { field, type ThriftList, type ThriftStruct } from '../thrift-compact.js';
import { columnOutOfWasm, readsThroughFfi } from './wasm-ffi.js';
import { ColumnFile, flatColumns, type FlatColumn } from './column-file.js';
import { columnPages, type ColumnPages, type DataPage } from './column-pages.js';

/** What windows are decoded from: the file's bytes, footer, Arrow schema and decoder. */
export interface WindowSource {
  /** Copies the file's bytes from `start` into `target`. */
  readonly readInto: (start: number, target: Uint8Array) => void;
  /** The file's FileMetaData. */
  readonly footer: ThriftStruct;
  /** The file's Arrow schema as parquet-wasm decodes it. */
  readonly schema: Schema;
  /** parquet-wasm's decoder of the file (for columns decoded whole). */
  readonly file: ParquetFile;
}

/** Field ids of parquet.thrift used here. */
const FILE_META = { schema: 2, rowGroups: 4 } as const;
const ROW_GROUP = { columns: 1, numRows: 3 } as const;
const COLUMN_CHUNK = { metaData: 3 } as const;
const COLUMN_META = { totalCompressedSize: 7, dataPageOffset: 9, dictionaryPageOffset: 11 } as const;

/** Rows of one column decoded so far and not yet dropped. */
interface Piece {
  readonly start: number;
  readonly end: number;
  readonly data: Data;
}

/**
 * A row group read as consecutive windows of rows (any window can be asked for; in order is cheapest).
 */
export class RowGroupWindows {
  private readonly columns: ColumnCursor[];
  /** The schema of the windows: the columns asked for, in file order. */
  readonly schema: Schema;

  /**
   * @param source the file
   * @param rowGroup the row group's number
   * @param columns top-level columns to decode (file order); undefined for all
   * @param pageRows rows a column's pages are decoded in at least (whole pages)
   * @throws Error when a column's page headers cannot be read or disagree with the footer
   */
  constructor(source: WindowSource, readonly rowGroup: number, columns: readonly string[] | undefined, pageRows: number) {
    const fields = columns === undefined ? source.schema.fields : source.schema.fields.filter((f) => columns.includes(f.name));
    this.schema = new Schema(fields, source.schema.metadata);
    const flat = flatColumns(listOf(source.footer, FILE_META.schema) as ThriftStruct[]);
    const group = listOf(source.footer, FILE_META.rowGroups)[rowGroup] as ThriftStruct | undefined;
    if (group === undefined) throw new Error(`row group ${rowGroup} is not in the file`);
    this.rows = Number(field(group, ROW_GROUP.numRows));
    const chunks = listOf(group, ROW_GROUP.columns) as ThriftStruct[];
    this.columns = fields.map((f) => new ColumnCursor(source, f, rowGroup, this.rows, pageRows, flat.get(f.name), chunks));
  }

  /** Rows in the row group. */
  readonly rows: number;

  /**
   * The rows [first, end) of the row group as one batch. Rows before `first` are forgotten: asking for them
   * again decodes their pages again.
   */
  async take(first: number, end: number): Promise<RecordBatch> {
    if (!(first >= 0 && first < end && end <= this.rows)) throw new RangeError(`rows ${first} to ${end} are not in row group ${this.rowGroup} of ${this.rows} rows`);
    const children: Data[] = [];
    for (const column of this.columns) children.push(await column.slice(first, end));
    const fields = this.schema.fields.map((f, i) => f.clone({ type: (children[i] as Data).type }) as Field);
    const schema = new Schema(fields, this.schema.metadata);
    return new RecordBatch(schema, makeData({ type: new Struct(fields), length: end - first, nullCount: 0, children }));
  }

  /**
   * Rows [first, end) of one column, decoding only its pages; its rows before `first` are forgotten.
   * @throws RangeError when the column is not one of the windows' or the rows are not in the row group
   */
  async takeColumn(name: string, first: number, end: number): Promise<Data> {
    if (!(first >= 0 && first < end && end <= this.rows)) throw new RangeError(`rows ${first} to ${end} are not in row group ${this.rowGroup} of ${this.rows} rows`);
    return this.cursor(name).slice(first, end);
  }

  /** Forgets a column's decoded pages (the rest of its rows are not wanted, or it is read again from its start). */
  release(name: string): void {
    this.cursor(name).release();
  }

  private cursor(name: string): ColumnCursor {
    const at = this.schema.fields.findIndex((f) => f.name === name);
    if (at < 0) throw new RangeError(`column "${name}" is not read from row group ${this.rowGroup}`);
    return this.columns[at] as ColumnCursor;
  }
}

/** One column of the row group: where its pages are, and the rows decoded ahead. */
class ColumnCursor {
  private pieces: Piece[] = [];
  /** Rows decoded so far, counted from the row group's start. */
  private decodedTo = 0;
  private nextPage = 0;
  private readonly pages: ColumnPages | undefined;
  /** Row at which each page starts. */
  private readonly pageStarts: number[] = [];
  private readonly meta: ThriftStruct | undefined;
  private dictionary: Uint8Array | undefined;
  private readonly arrowSchema: string;
  private readonly ffi: boolean;

  constructor(
    private readonly source: WindowSource,
    private readonly column: Field,
    private readonly rowGroup: number,
    rows: number,
    private readonly pageRows: number,
    private readonly flat: FlatColumn | undefined,
    chunks: readonly ThriftStruct[],
  ) {
    this.ffi = readsThroughFfi(column.type);
    this.arrowSchema = Buffer.from(tableToIPC(new Table(new Schema([column])), 'stream')).toString('base64');
    if (flat === undefined) return;
    const meta = field(chunks[flat.leaf] as ThriftStruct, COLUMN_CHUNK.metaData) as ThriftStruct | undefined;
    if (meta === undefined) throw new Error(`column "${column.name}" of row group ${rowGroup} has no metadata`);
    this.meta = meta;
    const dictionaryAt = field(meta, COLUMN_META.dictionaryPageOffset);
    const start = Number(typeof dictionaryAt === 'bigint' && dictionaryAt > 0n ? dictionaryAt : field(meta, COLUMN_META.dataPageOffset));
    try {
      this.pages = columnPages(source.readInto, start, Number(field(meta, COLUMN_META.totalCompressedSize)), rows);
    } catch (error) {
      throw new Error(`column "${column.name}" of row group ${rowGroup}: ${error instanceof Error ? error.message : String(error)}; the file is corrupt`);
    }
    let at = 0;
    for (const page of this.pages.pages) {
      this.pageStarts.push(at);
      at += page.rows;
    }
  }

  /** The column's rows [first, end), decoding pages as needed and dropping what lies before `first`. */
  async slice(first: number, end: number): Promise<Data> {
    if (first < (this.pieces[0]?.start ?? this.decodedTo) || first > this.decodedTo) this.restartAt(first);
    while (this.decodedTo < end && (await this.decodeMore()));
    this.pieces = this.pieces.filter((piece) => piece.end > first);
    const cut = this.pieces
      .filter((piece) => piece.start < end)
      .map((piece) => {
        const from = Math.max(first, piece.start) - piece.start;
        return piece.data.slice(from, Math.min(end, piece.end) - piece.start - from);
      });
    if (this.decodedTo < end || cut.length === 0) throw new Error(`column "${this.column.name}" of row group ${this.rowGroup} ends before row ${end}; the file is corrupt`);
    return cut.length === 1 ? (cut[0] as Data) : concatData(cut, this.column.name);
  }

  /** Forgets what was decoded: the next slice decodes its pages again. */
  release(): void {
    this.restartAt(0);
  }

  /** Forgets what was decoded and goes back (or forward) to the page that holds row `first`. */
  private restartAt(first: number): void {
    this.pieces = [];
    if (this.pages === undefined) {
      this.decodedTo = 0;
      return;
    }
    let page = 0;
    while (page + 1 < this.pageStarts.length && (this.pageStarts[page + 1] as number) <= first) page++;
    this.nextPage = page;
    this.decodedTo = this.pageStarts[page] ?? 0;
  }

  /** Decodes the next pages (at least `pageRows` rows of them, whole pages), or the whole column. */
  private async decodeMore(): Promise<boolean> {
    if (this.pages === undefined) {
      if (this.decodedTo > 0) return false;
      const stream = (await this.source.file.stream({ rowGroups: [this.rowGroup], columns: [this.column.name], batchSize: this.pageRows })) as ReadableStream<WasmBatch>;
      await this.collect(stream);
      return true;
    }
    const { pages } = this.pages;
    if (this.nextPage >= pages.length) return false;
    const chosen: DataPage[] = [];
    let rows = 0;
    let uncompressed = this.pages.dictionary?.uncompressed ?? 0;
    while (this.nextPage < pages.length && (chosen.length === 0 || rows < this.pageRows)) {
      const page = pages[this.nextPage] as DataPage;
      chosen.push(page);
      rows += page.rows;
      uncompressed += page.uncompressed;
      this.nextPage++;
    }
    const { dictionary } = this.pages;
    if (dictionary !== undefined && this.dictionary === undefined) {
      this.dictionary = new Uint8Array(dictionary.length);
      this.source.readInto(dictionary.start, this.dictionary);
    }
    const { element } = this.flat as FlatColumn;
    const columnFile = new ColumnFile({ element, meta: this.meta as ThriftStruct, dictionary: this.dictionary, pages: chosen, readInto: this.source.readInto, rows, uncompressed, arrowSchema: this.arrowSchema });
    const file = await ParquetFile.fromFile(columnFile as unknown as Blob);
    try {
      const before = this.decodedTo;
      await this.collect((await file.stream({ batchSize: Math.max(rows, 1) })) as ReadableStream<WasmBatch>);
      if (this.decodedTo - before !== rows) throw new Error(`column "${this.column.name}" of row group ${this.rowGroup}: pages that declare ${rows} rows decoded to ${this.decodedTo - before}; the file is corrupt`);
    } finally {
      file.free();
    }
    return true;
  }

  private async collect(stream: ReadableStream<WasmBatch>): Promise<void> {
    const reader = stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      for (const data of columnOutOfWasm(next.value, this.ffi)) {
        if (String(data.type) !== String(this.column.type)) {
          throw new Error(`column "${this.column.name}" of row group ${this.rowGroup} decoded as ${String(data.type)} instead of ${String(this.column.type)}`);
        }
        this.pieces.push({ start: this.decodedTo, end: this.decodedTo + data.length, data });
        this.decodedTo += data.length;
      }
    }
  }

}

function listOf(struct: ThriftStruct, id: number): ThriftStruct[] {
  const value = field(struct, id) as ThriftList | undefined;
  return (value?.items ?? []) as ThriftStruct[];
}
