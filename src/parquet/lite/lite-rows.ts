/**
 * Turns a record batch into the row objects parquetjs-lite's `appendRow` takes, column by column, checking
 * every value against what parquetjs-lite can write exactly.
 */
import { makeVector, type Data, type RecordBatch } from 'apache-arrow';
import { ArrowBalanceError } from '../../errors.js';
import { cannotWrite } from './lite-errors.js';
import type { ValueKind, WriteColumn } from './lite-write-schema.js';

/** parquetjs-lite converts INT64 values through a JavaScript number: beyond this they would change. */
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
/** parquetjs-lite writes UINT_32 through a signed 32-bit write. */
const MAX_UINT32 = 2 ** 31 - 1;
const MS_PER_DAY = 86_400_000;
/** The earliest instant a JavaScript Date holds, in milliseconds. */
const MIN_DATE_MS = -8.64e15;

/** A value in parquetjs-lite's terms, or null. */
type LiteValue = number | bigint | boolean | string | Uint8Array | Date | null;
type Convert = (row: number) => LiteValue;

/**
 * Builds one plain object per row, keyed by column name, for parquetjs-lite.
 * @param path the output path, for messages
 * @param columns the columns, in schema order
 * @param batch a batch of the writer's schema
 * @throws ArrowBalanceError for a null in a non-nullable column or a value parquetjs-lite cannot write exactly
 */
export function rowsOf(path: string, columns: readonly WriteColumn[], batch: RecordBatch): Array<Record<string, LiteValue>> {
  const rows: Array<Record<string, LiteValue>> = Array.from({ length: batch.numRows }, () => ({}));
  columns.forEach((column, index) => {
    const data = batch.data.children[index] as Data;
    const convert = converter(path, column, data);
    for (let row = 0; row < rows.length; row += 1) {
      const valid = data.getValid(row);
      if (!valid && !column.nullable) throw new ArrowBalanceError(`${path}: column "${column.name}" is not nullable but holds a null (row ${row}); declare the field nullable`);
      (rows[row] as Record<string, LiteValue>)[column.name] = valid ? convert(row) : null;
    }
  });
  return rows;
}

function converter(path: string, column: WriteColumn, data: Data): Convert {
  const numbers = data.values as ArrayLike<number>;
  const bigints = data.values as ArrayLike<bigint>;
  const refuse = (what: string): never => {
    throw cannotWrite(path, what, column.name);
  };
  const kind: ValueKind = column.kind;
  switch (kind) {
    case 'number':
    case 'float':
      return (row) => {
        const value = numbers[row] as number;
        return Number.isNaN(value) ? refuse('NaN') : value;
      };
    case 'uint32':
      return (row) => {
        const value = numbers[row] as number;
        return value > MAX_UINT32 ? refuse(`UINT32 values above ${MAX_UINT32}, such as ${value}`) : value;
      };
    case 'int64':
    case 'uint64':
      return (row) => exactNumber(bigints[row] as bigint, refuse);
    case 'bool':
    case 'string':
    case 'binary': {
      const vector = makeVector(data);
      return (row) => vector.get(row) as boolean | string | Uint8Array;
    }
    case 'dateDay':
      return (row) => dateValue(numbers[row] as number, refuse);
    case 'dateMillisecond':
      return (row) => {
        const ms = Number(bigints[row] as bigint);
        return ms % MS_PER_DAY === 0 ? dateValue(ms / MS_PER_DAY, refuse) : refuse(`Date64 values that are not whole days, such as ${ms}`);
      };
    case 'timestampMillisecond':
      return (row) => {
        const ms = bigints[row] as bigint;
        return ms >= 0n ? exactNumber(ms, refuse) : beforeEpoch(Number(ms), refuse);
      };
    case 'timestampMicrosecond':
      return (row) => {
        const us = bigints[row] as bigint;
        if (us >= 0n) return us;
        if (us % 1000n !== 0n) return refuse(`timestamps before 1970 with sub-millisecond digits, such as ${us} µs`);
        return beforeEpoch(Number(us / 1000n), refuse);
      };
    case 'timeMillisecond':
      return (row) => {
        const ms = numbers[row] as number;
        return ms < 0 ? refuse(`negative times, such as ${ms} ms`) : ms;
      };
  }
}

function exactNumber(value: bigint, refuse: (what: string) => never): number {
  if (value > MAX_EXACT || value < -MAX_EXACT) return refuse(`64-bit integers beyond ±2^53 (exactly), such as ${value}`);
  return Number(value);
}

/** parquetjs-lite refuses negative dates given as numbers, but takes them as Date objects. */
function dateValue(days: number, refuse: (what: string) => never): number | Date {
  if (days >= 0) return days;
  return beforeEpoch(days * MS_PER_DAY, refuse);
}

function beforeEpoch(ms: number, refuse: (what: string) => never): Date {
  if (ms < MIN_DATE_MS) return refuse(`dates before the year -271821, such as ${ms} ms`);
  return new Date(ms);
}
