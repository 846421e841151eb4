/**
 * The parts of parquetjs-lite 0.8.7 (CommonJS, no types shipped) that the parquetjs-lite engine uses.
 *
 * Footer structures are the raw Thrift objects parquetjs-lite decodes: enums are numbers, 64-bit integers
 * are node-int64 objects (convert with `Number(x)`), and absent optional fields are null.
 */
declare module 'parquetjs-lite' {
  namespace parquetjs {
    /** A node-int64 value, or a plain number; `Number(x)` gives its value. */
    type Int64Like = number | { valueOf(): number };

    /** Thrift `LogicalType` (a union: exactly one member is set). */
    interface LogicalType {
      STRING: object | null;
      MAP: object | null;
      LIST: object | null;
      ENUM: object | null;
      DECIMAL: { scale: number; precision: number } | null;
      DATE: object | null;
      TIME: { isAdjustedToUTC: boolean; unit: TimeUnit } | null;
      TIMESTAMP: { isAdjustedToUTC: boolean; unit: TimeUnit } | null;
      INTEGER: { bitWidth: number; isSigned: boolean } | null;
      UNKNOWN: object | null;
      JSON: object | null;
      BSON: object | null;
    }

    /** Thrift `TimeUnit`; both members are null for NANOS, which this Thrift version does not know. */
    interface TimeUnit {
      MILLIS: object | null;
      MICROS: object | null;
    }

    /** Thrift `SchemaElement`: one node of the flattened schema tree. */
    interface SchemaElement {
      type: number | null;
      type_length: number | null;
      repetition_type: number | null;
      name: string;
      num_children: number | null;
      converted_type: number | null;
      logicalType: LogicalType | null;
    }

    /** Thrift `PageEncodingStats`. */
    interface PageEncodingStats {
      page_type: number;
      encoding: number;
      count: number;
    }

    /** Thrift `ColumnMetaData`. */
    interface ColumnMetaData {
      type: number;
      encodings: number[];
      path_in_schema: string[];
      codec: number;
      num_values: Int64Like;
      total_compressed_size: Int64Like;
      data_page_offset: Int64Like;
      dictionary_page_offset: Int64Like | null;
      encoding_stats: PageEncodingStats[] | null;
    }

    /** Thrift `ColumnChunk`. */
    interface ColumnChunk {
      file_path: string | null;
      meta_data: ColumnMetaData;
    }

    /** Thrift `RowGroup`. */
    interface RowGroup {
      columns: ColumnChunk[];
      num_rows: Int64Like;
    }

    /** Thrift `KeyValue`. */
    interface KeyValue {
      key: string;
      value: string | null;
    }

    /** Thrift `FileMetaData`: the decoded footer. */
    interface FileMetaData {
      version: number;
      schema: SchemaElement[];
      num_rows: Int64Like;
      row_groups: RowGroup[];
      key_value_metadata: KeyValue[] | null;
      created_by: string | null;
    }

    /** One column of a ParquetSchema definition. */
    interface FieldDefinition {
      /** A parquetjs-lite type name: a physical type (`INT32`) or a converted one (`UTF8`, `TIMESTAMP_MILLIS`). */
      type: string;
      optional?: boolean;
      /** `UNCOMPRESSED`, `SNAPPY` or `GZIP`. */
      compression?: string;
      /** false: write no min/max statistics for this column. */
      statistics?: false;
    }

    /** A leaf of a ParquetSchema, as readColumnChunk uses it. */
    interface ParquetField {
      name: string;
      primitiveType: string;
      originalType: string | undefined;
      dLevelMax: number;
      rLevelMax: number;
    }

    /** A schema built from a JSON definition. */
    class ParquetSchema {
      constructor(definition: Record<string, FieldDefinition>);
      findField(path: string | string[]): ParquetField;
    }

    /** One decoded column chunk: levels for every value slot, and the non-null values in order. */
    interface DecodedColumn {
      dlevels: number[];
      rlevels: number[];
      /** Non-null values: boolean, number (INT32, FLOAT, DOUBLE), bigint (INT64), Buffer (BYTE_ARRAY); strings when dictionary-encoded. */
      values: unknown[];
      count: number;
    }

    /** Direct access to the header, footer and column chunks of a Parquet file. */
    class ParquetEnvelopeReader {
      static openFile(path: string, options?: object): Promise<ParquetEnvelopeReader>;
      static openBuffer(buffer: Buffer, options?: object): Promise<ParquetEnvelopeReader>;
      fileSize: number;
      /** Bytes read for a dictionary page (default 10,000,000). */
      default_dictionary_size: number;
      read(offset: number, length: number): Promise<Buffer>;
      readFooter(): Promise<FileMetaData>;
      readColumnChunk(schema: ParquetSchema, chunk: ColumnChunk, options?: { rawStatistics?: boolean }): Promise<DecodedColumn>;
      close(): Promise<unknown> | unknown;
    }

    /** Writes the file envelope (header, row groups, footer) through a write function. */
    class ParquetEnvelopeWriter {
      constructor(
        schema: ParquetSchema,
        write: (chunk: Buffer) => Promise<void>,
        close: () => Promise<void>,
        fileOffset: number,
        options: { rowGroupSize?: number; pageSize?: number; useDataPageV2?: boolean; pageIndex?: boolean },
      );
      /** Metadata of the row groups written so far. */
      rowGroups: RowGroup[];
    }

    /** Buffers rows into row groups and writes them through an envelope writer. */
    class ParquetWriter {
      /** Opens a file for writing with parquetjs-lite's defaults (data page v2, page index). */
      static openFile(schema: ParquetSchema, path: string, options?: object): Promise<ParquetWriter>;
      constructor(schema: ParquetSchema, envelopeWriter: ParquetEnvelopeWriter, options: { rowGroupSize?: number });
      /** Shreds the row; flushes a row group when full. Rejects (often with a string) on bad values. */
      appendRow(row: Record<string, unknown>): Promise<void>;
      /** Flushes the last row group and writes the footer. */
      close(): Promise<void>;
      setMetadata(key: string, value: string): void;
      envelopeWriter: ParquetEnvelopeWriter;
    }
  }
  export = parquetjs;
}

declare module 'parquetjs-lite/gen-nodejs/parquet_types.js' {
  /** Thrift `PageHeader` (only the fields the engine reads). */
  class PageHeader {
    type: number;
    compressed_page_size: number;
    /** Thrift deserialisation; used through `decodeThrift`. */
    read(input: unknown): void;
  }
  const thrift: { PageHeader: typeof PageHeader };
  export = thrift;
}

declare module 'parquetjs-lite/lib/util.js' {
  const util: {
    /** Decodes a compact-protocol Thrift struct from `buffer` into `target`; returns the bytes consumed. */
    decodeThrift(target: { read(input: unknown): void }, buffer: Buffer, offset?: number): number;
  };
  export = util;
}
