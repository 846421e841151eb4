import { makeData, RecordBatch, Schema, Struct, type Data } from 'apache-arrow';
import parquetjs from 'parquetjs-lite';
import { ArrowBalanceError } from '../../errors.js';
import type { BatchReader, ReadOptions } from '../batch-reader.js';
import { columnData } from './lite-column-data.js';
import { readFailure } from './lite-errors.js';
import { closeLiteFile, openEnvelope, openLiteFile } from './lite-footer.js';
import { refuseDataPageV2 } from './lite-page-check.js';
import { readSchema, type ReadSchema } from './lite-read-schema.js';
import { checkColumnChunks, projectedChunks } from './lite-support.js';
import { markInputs } from '../open-inputs.js';
import { declaredRowsProblem } from '../row-counts.js';
import { firstSchemaDifference } from '../schema-diff.js';
import type { ParquetInput } from '../sources.js';
import { emptyBatch } from '../../arrow/empty-batch.js';

/** One input, described from its footer. */
interface LiteInput {
  readonly input: ParquetInput;
  readonly metadata: parquetjs.FileMetaData;
  readonly read: ReadSchema;
  /** The parquetjs-lite schema of the projected columns, as its column decoder wants it. */
  readonly decoderSchema: parquetjs.ParquetSchema;
}

/** One row group to read. */
interface RowGroupRef {
  readonly file: number;
  readonly rowGroup: number;
  readonly rows: number;
}

/**
 * Reads Parquet inputs with parquetjs-lite (pure JavaScript, on this thread), one row group per `next()`.
 *
 * Every footer is checked when the reader opens: a column, codec, encoding or page type parquetjs-lite
 * cannot decode is refused before any row is read, with an error that names it. Each projected column of
 * a row group is decoded by parquetjs-lite and converted to Arrow in one pass; no row objects are built.
 *
 * Memory: one row group, held twice while it is converted (parquetjs-lite's arrays, then Arrow's).
 * INT64 values are exact (parquetjs-lite decodes them as bigint).
 */
export class LiteBatchReader implements BatchReader {
  private cursor = 0;
  private handedOutRows = false;
  private closed = false;
  private open: { file: number; envelope: Promise<parquetjs.ParquetEnvelopeReader> } | undefined;
  private readonly releaseInputs: () => void;
  /** Rows in each row group of each input (see {@link BatchReader.rowGroupRows}). */
  readonly rowGroupRows: ReadonlyArray<readonly number[]>;

  private constructor(
    private readonly inputs: readonly LiteInput[],
    private readonly plan: readonly RowGroupRef[],
    readonly schema: Schema,
    private readonly options: ReadOptions,
  ) {
    this.releaseInputs = markInputs(inputs.flatMap(({ input }) => ('path' in input ? [input.path] : [])));
    this.rowGroupRows = inputs.map(({ metadata }) => metadata.row_groups.map((group) => Number(group.num_rows)));
  }

  /**
   * Reads and checks every input's footer; checks that they share one schema and that projected columns exist.
   * @throws ArrowBalanceError naming the file, and the feature the engine lacks or the schema difference
   */
  static async open(inputs: readonly ParquetInput[], options: ReadOptions): Promise<LiteBatchReader> {
    const described: LiteInput[] = [];
    for (const input of inputs) described.push(await describe(input, options.columns));
    const first = described[0];
    if (first === undefined) throw new ArrowBalanceError('no input files given; pass a Parquet file, a list of files or a directory');
    for (const column of options.columns ?? []) {
      if (!first.read.names.includes(column)) {
        throw new ArrowBalanceError(`${first.input.name}: column "${column}" not found; columns are: ${first.read.names.join(', ')}`);
      }
    }
    for (const other of described) {
      const difference = firstSchemaDifference(first.read.schema, other.read.schema);
      if (difference !== undefined) {
        throw new ArrowBalanceError(`${other.input.name} and ${first.input.name} have different schemas: ${difference}; read them separately or convert them to one schema`);
      }
    }
    const plan: RowGroupRef[] = [];
    described.forEach(({ metadata }, file) =>
      metadata.row_groups.forEach((group, rowGroup) => {
        const rows = Number(group.num_rows);
        if (rows > 0) plan.push({ file, rowGroup, rows });
      }),
    );
    return new LiteBatchReader(described, plan, first.read.schema, options);
  }

  async next(): Promise<RecordBatch[] | null> {
    if (this.closed) return null;
    const ref = this.plan[this.cursor];
    if (ref === undefined) {
      if (this.handedOutRows) return null;
      this.handedOutRows = true;
      return [emptyBatch(this.schema)];
    }
    this.cursor += 1;
    const source = this.inputs[ref.file] as LiteInput;
    let batch: RecordBatch;
    try {
      batch = await this.readRowGroup(source, ref);
    } catch (error) {
      throw readFailure(source.input.name, error);
    }
    this.handedOutRows = true;
    return slices(batch, this.options.batchSize);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.releaseInputs();
    const open = this.open;
    this.open = undefined;
    open?.envelope.then(closeLiteFile, () => undefined);
  }

  private async readRowGroup(source: LiteInput, ref: RowGroupRef): Promise<RecordBatch> {
    const envelope = await this.envelopeOf(ref.file);
    const name = source.input.name;
    const chunks = projectedChunks(name, source.metadata, source.read.columns, ref.rowGroup);
    await refuseDataPageV2(name, envelope, chunks);
    const children: Data[] = [];
    for (const { column, chunk } of chunks) {
      envelope.default_dictionary_size = dictionaryBytes(chunk.meta_data);
      const decoded = await envelope.readColumnChunk(source.decoderSchema, chunk, { rawStatistics: true });
      if (this.closed) throw new ArrowBalanceError(`${name}: reader closed`);
      children.push(columnData(name, column, decoded, ref.rows));
    }
    const type = new Struct(this.schema.fields);
    return new RecordBatch(this.schema, makeData({ type, length: ref.rows, nullCount: 0, children }));
  }

  /** The envelope reader of an input, opening it (and closing the previous input's) when needed. */
  private envelopeOf(file: number): Promise<parquetjs.ParquetEnvelopeReader> {
    if (this.open?.file !== file) {
      this.open?.envelope.then(closeLiteFile, () => undefined);
      const input = (this.inputs[file] as LiteInput).input;
      this.open = { file, envelope: openEnvelope(input) };
    }
    return this.open.envelope;
  }
}

/** Reads and checks one input's footer, then releases the file until its rows are wanted. */
async function describe(input: ParquetInput, projection: readonly string[] | undefined): Promise<LiteInput> {
  const { envelope, metadata } = await openLiteFile(input);
  try {
    const read = readSchema(input.name, metadata, projection);
    checkColumnChunks(input.name, metadata, read.columns);
    // Row groups are read by their declared counts (one that declares none is skipped): refuse impossible ones.
    const problem = declaredRowsProblem(metadata.row_groups.map((group) => Number(group.num_rows)));
    if (problem !== undefined) throw new ArrowBalanceError(`${input.name}: ${problem}`);
    const definition: Record<string, parquetjs.FieldDefinition> = {};
    for (const column of read.columns) definition[column.name] = { type: column.physical, optional: column.nullable };
    return { input, metadata, read, decoderSchema: new parquetjs.ParquetSchema(definition) };
  } catch (error) {
    throw readFailure(input.name, error);
  } finally {
    await closeLiteFile(envelope);
  }
}

/** parquetjs-lite reads this many bytes for a dictionary page: the page's own extent, not its 10 MB default. */
function dictionaryBytes(meta: parquetjs.ColumnMetaData): number {
  const DEFAULT = 10_000_000;
  if (meta.dictionary_page_offset === null || meta.dictionary_page_offset === undefined) return DEFAULT;
  const extent = Number(meta.data_page_offset) - Number(meta.dictionary_page_offset);
  return extent > 0 ? extent : DEFAULT;
}

/** The row group's batch cut into batches of at most `batchSize` rows. */
function slices(batch: RecordBatch, batchSize: number | undefined): RecordBatch[] {
  if (batchSize === undefined || batch.numRows <= batchSize) return [batch];
  const parts: RecordBatch[] = [];
  for (let start = 0; start < batch.numRows; start += batchSize) parts.push(batch.slice(start, Math.min(start + batchSize, batch.numRows)));
  return parts;
}
