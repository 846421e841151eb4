/**
 * Thrift's compact protocol, read and written without a schema, so that every field survives a round trip.
 *
 * Parquet footers are Thrift structs. Stitching row groups encoded apart into one file changes a handful of
 * offsets and lists; everything else (statistics, encodings, size statistics, fields newer than any generated
 * code) must pass through untouched. Generated codecs (parquetjs-lite's, the `thrift` package's) drop the
 * fields they do not know, so this small schema-less codec keeps each struct as its list of fields, in order.
 * Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 */

/** Compact protocol type codes. */
export const T = { TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const;

/** A decoded value: integers up to 32 bits as numbers, 64-bit ones as bigints. */
export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftList | ThriftMap | ThriftStruct;

/** A list or set: its element type and its elements. */
export interface ThriftList {
  readonly kind: 'list';
  readonly elementType: number;
  readonly items: ThriftValue[];
}

/** A map: key and value types and its entries. */
export interface ThriftMap {
  readonly kind: 'map';
  readonly keyType: number;
  readonly valueType: number;
  readonly entries: Array<[ThriftValue, ThriftValue]>;
}

/** A struct: its fields in the order they were read. */
export interface ThriftStruct {
  readonly kind: 'struct';
  readonly fields: ThriftField[];
}

/** One field of a struct. */
export interface ThriftField {
  readonly id: number;
  /** The type code (booleans: `T.TRUE` or `T.FALSE` as read; either writes the value's own). */
  readonly type: number;
  value: ThriftValue;
}

/**
 * Reads a struct.
 * @param bytes the buffer
 * @param offset where the struct starts
 * @returns the struct and the offset just past it
 * @throws RangeError on truncated or malformed input
 */
export function readStruct(bytes: Uint8Array, offset = 0): { struct: ThriftStruct; end: number } {
  const reader = new Reader(bytes, offset);
  const struct = reader.struct();
  return { struct, end: reader.at };
}

/** Writes a struct in the compact protocol. */
export function writeStruct(struct: ThriftStruct): Uint8Array {
  const writer = new Writer();
  writer.struct(struct);
  return writer.bytes();
}

/** The value of field `id`, if present. */
export function field(struct: ThriftStruct, id: number): ThriftValue | undefined {
  return struct.fields.find((f) => f.id === id)?.value;
}

class Reader {
  constructor(private readonly bytes: Uint8Array, public at: number) {}

  struct(): ThriftStruct {
    const fields: ThriftField[] = [];
    let last = 0;
    for (;;) {
      const header = this.byte();
      if (header === 0) return { kind: 'struct', fields };
      const type = header & 0x0f;
      const delta = header >> 4;
      const id = delta === 0 ? zigzag32(this.varint()) : last + delta;
      last = id;
      fields.push({ id, type, value: type === T.TRUE || type === T.FALSE ? type === T.TRUE : this.value(type) });
    }
  }

  private value(type: number): ThriftValue {
    switch (type) {
      case T.BYTE:
        return (this.byte() << 24) >> 24;
      case T.I16:
      case T.I32:
        return zigzag32(this.varint());
      case T.I64:
        return zigzag64(this.varint64());
      case T.DOUBLE: {
        const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.need(8), 8);
        return view.getFloat64(0, true);
      }
      case T.BINARY: {
        const length = this.varint();
        const start = this.need(length);
        // A copy: the struct may outlive the buffer it was read from (parts are given back once written).
        return this.bytes.slice(start, start + length);
      }
      case T.LIST:
      case T.SET: {
        const header = this.byte();
        const size = header >> 4 === 15 ? this.varint() : header >> 4;
        const elementType = header & 0x0f;
        const items: ThriftValue[] = [];
        for (let i = 0; i < size; i++) items.push(elementType === T.TRUE || elementType === T.FALSE ? this.byte() === T.TRUE : this.value(elementType));
        return { kind: 'list', elementType, items };
      }
      case T.MAP: {
        const size = this.varint();
        const types = size === 0 ? 0 : this.byte();
        const entries: Array<[ThriftValue, ThriftValue]> = [];
        for (let i = 0; i < size; i++) entries.push([this.value(types >> 4), this.value(types & 0x0f)]);
        return { kind: 'map', keyType: types >> 4, valueType: types & 0x0f, entries };
      }
      case T.STRUCT:
        return this.struct();
      default:
        throw new RangeError(`unknown Thrift compact type ${type} at byte ${this.at}`);
    }
  }

  private byte(): number {
    return this.bytes[this.need(1)] as number;
  }

  private need(length: number): number {
    const start = this.at;
    if (length < 0 || start + length > this.bytes.length) throw new RangeError(`Thrift data ends at byte ${this.bytes.length}, inside a value at ${start}`);
    this.at += length;
    return start;
  }

  private varint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new RangeError(`a Thrift varint at byte ${this.at} is too long`);
  }

  private varint64(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new RangeError(`a Thrift varint at byte ${this.at} is too long`);
  }
}

class Writer {
  private buffer = new Uint8Array(1024);
  private length = 0;

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  struct(struct: ThriftStruct): void {
    let last = 0;
    for (const { id, type, value } of struct.fields) {
      const wire = typeof value === 'boolean' ? (value ? T.TRUE : T.FALSE) : type;
      const delta = id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | wire);
      else {
        this.byte(wire);
        this.varint(unzigzag32(id));
      }
      last = id;
      if (typeof value !== 'boolean') this.value(wire, value);
    }
    this.byte(0);
  }

  private value(type: number, value: ThriftValue): void {
    switch (type) {
      case T.BYTE:
        this.byte((value as number) & 0xff);
        return;
      case T.I16:
      case T.I32:
        this.varint(unzigzag32(value as number));
        return;
      case T.I64:
        this.varint64(unzigzag64(typeof value === 'bigint' ? value : BigInt(value as number)));
        return;
      case T.DOUBLE: {
        const at = this.room(8);
        new DataView(this.buffer.buffer, at, 8).setFloat64(0, value as number, true);
        return;
      }
      case T.BINARY: {
        const bytes = value as Uint8Array;
        this.varint(bytes.length);
        const at = this.room(bytes.length);
        this.buffer.set(bytes, at);
        return;
      }
      case T.LIST:
      case T.SET: {
        const { elementType, items } = value as ThriftList;
        if (items.length < 15) this.byte((items.length << 4) | elementType);
        else {
          this.byte(0xf0 | elementType);
          this.varint(items.length);
        }
        for (const item of items) {
          if (typeof item === 'boolean') this.byte(item ? T.TRUE : T.FALSE);
          else this.value(elementType, item);
        }
        return;
      }
      case T.MAP: {
        const { keyType, valueType, entries } = value as ThriftMap;
        this.varint(entries.length);
        if (entries.length > 0) this.byte((keyType << 4) | valueType);
        for (const [k, v] of entries) {
          this.value(keyType, k);
          this.value(valueType, v);
        }
        return;
      }
      case T.STRUCT:
        this.struct(value as ThriftStruct);
        return;
      default:
        throw new RangeError(`unknown Thrift compact type ${type}`);
    }
  }

  private byte(b: number): void {
    const at = this.room(1);
    this.buffer[at] = b;
  }

  private varint(n: number): void {
    let rest = n;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }

  private varint64(n: bigint): void {
    let rest = n;
    while (rest >= 0x80n) {
      this.byte(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.byte(Number(rest));
  }

  private room(length: number): number {
    if (this.length + length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    const at = this.length;
    this.length += length;
    return at;
  }
}

function zigzag32(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function unzigzag32(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function zigzag64(n: bigint): bigint {
  return (n >> 1n) ^ -(n & 1n);
}

function unzigzag64(n: bigint): bigint {
  return n >= 0n ? n << 1n : (-n << 1n) - 1n;
}
