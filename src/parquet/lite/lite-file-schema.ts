/** Maps a Parquet footer's schema to Arrow fields, for the flat schemas the parquetjs-lite engine reads. */
import {
  Binary, Bool, DateDay, Float32, Float64, Int16, Int32, Int64, Int8, TimeMicrosecond, TimeMillisecond,
  Timestamp, TimeUnit, Uint16, Uint32, Uint64, Uint8, Utf8, type DataType,
} from 'apache-arrow';
import type parquetjs from 'parquetjs-lite';

/** Physical types, by Thrift number. */
export const PHYSICAL = ['BOOLEAN', 'INT32', 'INT64', 'INT96', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY'] as const;

/** Converted types, by Thrift number. */
const CONVERTED = [
  'UTF8', 'MAP', 'MAP_KEY_VALUE', 'LIST', 'ENUM', 'DECIMAL', 'DATE', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS',
  'TIMESTAMP_MICROS', 'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64', 'INT_8', 'INT_16', 'INT_32', 'INT_64', 'JSON', 'BSON', 'INTERVAL',
] as const;

const OPTIONAL = 1;
const REPEATED = 2;

/** A top-level column the engine can read. */
export interface LiteColumn {
  readonly name: string;
  /** Position among the file's top-level columns. */
  readonly index: number;
  readonly nullable: boolean;
  /** The physical type name, e.g. `INT64`. */
  readonly physical: string;
  readonly type: DataType;
}

/** A top-level column the engine cannot read, and the feature that stops it. */
export interface RefusedColumn {
  readonly name: string;
  readonly index: number;
  readonly feature: string;
}

/**
 * Walks the flattened schema tree and describes each top-level column.
 * @param elements the footer's schema elements (the root first)
 * @returns one entry per top-level column, in file order: readable, or refused with the reason
 */
export function describeColumns(elements: readonly parquetjs.SchemaElement[]): Array<LiteColumn | RefusedColumn> {
  const columns: Array<LiteColumn | RefusedColumn> = [];
  let at = 1;
  while (at < elements.length) {
    const element = elements[at] as parquetjs.SchemaElement;
    const index = columns.length;
    if ((element.num_children ?? 0) > 0) {
      columns.push({ name: element.name, index, feature: 'nested columns (structs, lists, maps)' });
      at = skipSubtree(elements, at);
      continue;
    }
    at += 1;
    if (element.repetition_type === REPEATED) {
      columns.push({ name: element.name, index, feature: 'repeated columns' });
      continue;
    }
    const mapped = arrowType(element);
    if (typeof mapped === 'string') columns.push({ name: element.name, index, feature: mapped });
    else columns.push({ name: element.name, index, nullable: element.repetition_type === OPTIONAL, physical: PHYSICAL[element.type ?? -1] ?? '?', type: mapped });
  }
  return columns;
}

/** Whether a described column can be read. */
export function isReadable(column: LiteColumn | RefusedColumn): column is LiteColumn {
  return 'type' in column;
}

function skipSubtree(elements: readonly parquetjs.SchemaElement[], at: number): number {
  let pending = 1;
  let next = at;
  while (pending > 0 && next < elements.length) {
    pending += (elements[next]?.num_children ?? 0) - 1;
    next += 1;
  }
  return next;
}

/** The Arrow type of a leaf, or the name of the feature that the engine cannot read. */
function arrowType(element: parquetjs.SchemaElement): DataType | string {
  const physical = PHYSICAL[element.type ?? -1];
  const converted = element.converted_type === null ? undefined : CONVERTED[element.converted_type];
  const logical = element.logicalType;
  if (converted === 'DECIMAL' || logical?.DECIMAL) return 'DECIMAL columns';
  if (physical === 'INT96') return 'INT96 timestamps';
  if (physical === 'FIXED_LEN_BYTE_ARRAY') return 'FIXED_LEN_BYTE_ARRAY columns';
  if (physical === undefined) return `physical type number ${String(element.type)}`;
  const temporal = logical?.TIMESTAMP ?? logical?.TIME;
  if (temporal && temporal.unit.MILLIS === null && temporal.unit.MICROS === null) return 'nanosecond times and timestamps';
  if (logical?.UNKNOWN) return 'NULL-typed columns';
  const type = converted ?? logicalName(logical);
  switch (physical) {
    case 'BOOLEAN':
      return type === undefined ? new Bool() : unsupported(type, physical);
    case 'FLOAT':
      return type === undefined ? new Float32() : unsupported(type, physical);
    case 'DOUBLE':
      return type === undefined ? new Float64() : unsupported(type, physical);
    case 'BYTE_ARRAY':
      return byteArrayType(type);
    case 'INT32':
      return int32Type(type);
    case 'INT64':
      return int64Type(type, logical);
  }
}

function byteArrayType(type: string | undefined): DataType | string {
  if (type === undefined) return new Binary();
  if (type === 'UTF8' || type === 'ENUM' || type === 'JSON') return new Utf8();
  return unsupported(type, 'BYTE_ARRAY');
}

function int32Type(type: string | undefined): DataType | string {
  switch (type) {
    case undefined:
    case 'INT_32':
      return new Int32();
    case 'INT_8':
      return new Int8();
    case 'INT_16':
      return new Int16();
    case 'UINT_8':
      return new Uint8();
    case 'UINT_16':
      return new Uint16();
    case 'UINT_32':
      return new Uint32();
    case 'DATE':
      return new DateDay();
    case 'TIME_MILLIS':
      return new TimeMillisecond();
    default:
      return unsupported(type, 'INT32');
  }
}

function int64Type(type: string | undefined, logical: parquetjs.LogicalType | null): DataType | string {
  switch (type) {
    case undefined:
    case 'INT_64':
      return new Int64();
    case 'UINT_64':
      return new Uint64();
    case 'TIME_MICROS':
      return new TimeMicrosecond();
    case 'TIMESTAMP_MILLIS':
    case 'TIMESTAMP_MICROS': {
      const unit = type === 'TIMESTAMP_MILLIS' ? TimeUnit.MILLISECOND : TimeUnit.MICROSECOND;
      // Like parquet-wasm: UTC-adjusted timestamps (the meaning of a bare converted type) carry the zone "UTC".
      const adjusted = logical?.TIMESTAMP?.isAdjustedToUTC ?? true;
      return new Timestamp(unit, adjusted ? 'UTC' : null);
    }
    default:
      return unsupported(type, 'INT64');
  }
}

/** The converted-type name a logical type stands for, for files that set only the logical type. */
function logicalName(logical: parquetjs.LogicalType | null): string | undefined {
  if (logical === null) return undefined;
  if (logical.STRING) return 'UTF8';
  if (logical.ENUM) return 'ENUM';
  if (logical.JSON) return 'JSON';
  if (logical.BSON) return 'BSON';
  if (logical.DATE) return 'DATE';
  if (logical.MAP || logical.LIST) return 'LIST';
  if (logical.INTEGER) return `${logical.INTEGER.isSigned ? 'INT' : 'UINT'}_${logical.INTEGER.bitWidth}`;
  const temporal = logical.TIMESTAMP ?? logical.TIME;
  if (temporal) {
    const unit = temporal.unit.MILLIS ? 'MILLIS' : 'MICROS';
    return `${logical.TIMESTAMP ? 'TIMESTAMP' : 'TIME'}_${unit}`;
  }
  return undefined;
}

function unsupported(type: string, physical: string): string {
  return `${type} columns${type.startsWith(physical) ? '' : ` stored as ${physical}`}`;
}
