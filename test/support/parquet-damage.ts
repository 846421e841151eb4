/**
 * Damage to Parquet files for fuzz tests: each damage is plain data (offsets, lengths, bytes), drawn from a
 * seeded random source and applied by a pure function, so a failing case can be printed, pasted back and
 * replayed byte for byte.
 */
import type { RandomSource } from '../../src/random.js';
import { readStruct, T, writeStruct, type ThriftList, type ThriftStruct, type ThriftValue } from '../../src/parquet/thrift-compact.js';

/** The kinds of damage done to a good file. */
export const DAMAGE_KINDS = [
  'flip-data',
  'flip-footer',
  'footer-length',
  'footer-zero',
  'footer-cut',
  'footer-value',
  'zero',
  'splice-self',
  'splice-other',
  'truncate',
] as const;

/** One kind of damage. */
export type DamageKind = (typeof DAMAGE_KINDS)[number];

/** What to write: a good file (named `base`) damaged in one way, or a file that was never Parquet. */
export type Damage =
  /** XOR the byte at each `[offset, mask]` with `mask` (data pages or footer). */
  | { kind: 'flip-data' | 'flip-footer'; base: string; flips: Array<[number, number]> }
  /** Replace the footer-length field (the 4 bytes before the closing magic) by `value`. */
  | { kind: 'footer-length'; base: string; value: number }
  /** Zero `length` bytes from `at` (in the footer, or in the data pages for `zero`). */
  | { kind: 'footer-zero' | 'zero'; base: string; at: number; length: number }
  /**
   * Set integers of the footer (a row count, an offset, a size, a type...) from `from` to `to`: `path` leads
   * from FileMetaData through field ids (in structs) and indices (in lists). The footer is re-encoded, its
   * length field fixed: a well-formed footer that lies. Drawn cases edit one integer.
   */
  | { kind: 'footer-value'; base: string; edits: FooterEdit[] }
  /** Cut `length` bytes out of the footer from `at`, keeping the trailer; `fixLength` makes the length field agree. */
  | { kind: 'footer-cut'; base: string; at: number; length: number; fixLength: boolean }
  /** Copy `length` bytes of file `from` (the base itself for `splice-self`) at `source` over the base at `at`. */
  | { kind: 'splice-self' | 'splice-other'; base: string; from: string; source: number; at: number; length: number }
  /** Keep the first `length` bytes. */
  | { kind: 'truncate'; base: string; length: number }
  /** A file of no bytes. */
  | { kind: 'empty' }
  /** A CSV file named .parquet. */
  | { kind: 'csv'; rows: number }
  /** Random bytes between a leading and a trailing "PAR1", with a footer length of `footerLength`. */
  | { kind: 'magic-only'; bytes: number[]; footerLength: number };

/** One integer of a footer changed: where (see {@link Damage}), its value and the new one (decimal text). */
export interface FooterEdit {
  path: number[];
  from: string;
  to: string;
}

/** Where a Parquet file's footer lies: `[start, start + length)`, followed by the length field and "PAR1". */
export function footerOf(bytes: Uint8Array): { start: number; length: number } {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.readUInt32LE(view.length - 8);
  return { start: view.length - 8 - length, length };
}

function integer(random: RandomSource, low: number, high: number): number {
  // A value in [low, high] (both included).
  return low + Math.floor(random() * (high - low + 1));
}

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * Draws a damage of `kind` to the good file `base` (bytes in `files`), with `others` the names of the other
 * good files a splice may copy from.
 */
export function drawDamage(random: RandomSource, kind: DamageKind, base: string, files: ReadonlyMap<string, Uint8Array>): Damage {
  const bytes = files.get(base);
  if (bytes === undefined) throw new Error(`no file ${base}`);
  const size = bytes.length;
  const footer = footerOf(bytes);
  const dataEnd = footer.start;
  switch (kind) {
    case 'flip-data':
    case 'flip-footer': {
      const [low, high] = kind === 'flip-data' ? [4, dataEnd - 1] : [footer.start, footer.start + footer.length - 1];
      const count = integer(random, 1, kind === 'flip-data' ? 16 : 4);
      // Half the flips change one bit: in the footer these tend to keep its structure and change a value.
      const mask = (): number => (random() < 0.5 ? 1 << integer(random, 0, 7) : integer(random, 1, 255));
      const flips = Array.from({ length: count }, (): [number, number] => [integer(random, low, high), mask()]);
      return { kind, base, flips };
    }
    case 'footer-length': {
      const choices = [0, footer.length + integer(random, 1, 64), footer.length - integer(random, 1, Math.min(64, footer.length)), size - 8, size, integer(random, 0, 2 ** 32 - 1)];
      return { kind, base, value: pick(random, choices) };
    }
    case 'footer-zero': {
      const length = integer(random, 1, Math.min(64, footer.length));
      return { kind, base, at: integer(random, footer.start, footer.start + footer.length - length), length };
    }
    case 'footer-cut': {
      const length = integer(random, 1, footer.length);
      return { kind, base, at: integer(random, footer.start, footer.start + footer.length - length), length, fixLength: random() < 0.5 };
    }
    case 'footer-value': {
      const leaves = integerLeaves(readStruct(bytes.subarray(footer.start, footer.start + footer.length)).struct);
      // Half the time a row count (the file's, a row group's, a column chunk's number of values), which
      // readers plan with; otherwise any integer (types, codecs, offsets, sizes, statistics...).
      const counts = leaves.filter(({ path }) => isRowCount(path));
      const leaf = pick(random, random() < 0.5 && counts.length > 0 ? counts : leaves);
      return { kind, base, edits: [{ path: leaf.path, from: String(leaf.value), to: String(drawInteger(random, leaf.type, BigInt(leaf.value))) }] };
    }
    case 'zero': {
      const length = integer(random, 16, Math.min(4096, dataEnd - 4));
      return { kind, base, at: integer(random, 4, dataEnd - length), length };
    }
    case 'splice-self':
    case 'splice-other': {
      const others = [...files.keys()].filter((name) => name !== base);
      const from = kind === 'splice-self' ? base : pick(random, others);
      const sourceSize = (files.get(from) as Uint8Array).length;
      const length = integer(random, 16, Math.min(4096, sourceSize - 8, size - 8));
      return { kind, base, from, source: integer(random, 0, sourceSize - length), at: integer(random, 0, size - length), length };
    }
    case 'truncate':
      // Mostly anywhere, sometimes just short of the end (inside the trailer).
      return { kind, base, length: random() < 0.25 ? size - integer(random, 1, 8) : integer(random, 1, size - 1) };
  }
}

/** Draws one of the files that are no Parquet at all. */
export function drawNonParquet(random: RandomSource, kind: 'empty' | 'csv' | 'magic-only'): Damage {
  if (kind === 'empty') return { kind };
  if (kind === 'csv') return { kind, rows: integer(random, 1, 200) };
  const bytes = Array.from({ length: integer(random, 0, 256) }, () => integer(random, 0, 255));
  return { kind, bytes, footerLength: pick(random, [0, bytes.length, integer(random, 0, 2 ** 32 - 1)]) };
}

/** The bytes of the damaged file. */
export function applyDamage(damage: Damage, files: ReadonlyMap<string, Uint8Array>): Buffer {
  const good = (name: string): Buffer => {
    const bytes = files.get(name);
    if (bytes === undefined) throw new Error(`no file ${name}`);
    return Buffer.from(bytes);
  };
  switch (damage.kind) {
    case 'flip-data':
    case 'flip-footer': {
      const bytes = good(damage.base);
      for (const [at, mask] of damage.flips) bytes[at] = (bytes[at] as number) ^ mask;
      return bytes;
    }
    case 'footer-length': {
      const bytes = good(damage.base);
      bytes.writeUInt32LE(damage.value >>> 0, bytes.length - 8);
      return bytes;
    }
    case 'footer-zero':
    case 'zero': {
      const bytes = good(damage.base);
      bytes.fill(0, damage.at, damage.at + damage.length);
      return bytes;
    }
    case 'footer-value': {
      const bytes = good(damage.base);
      const { start, length } = footerOf(bytes);
      const { struct } = readStruct(bytes.subarray(start, start + length));
      for (const edit of damage.edits) setInteger(struct, edit.path, BigInt(edit.to));
      const footer = writeStruct(struct);
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(footer.length);
      trailer.write('PAR1', 4, 'latin1');
      return Buffer.concat([bytes.subarray(0, start), footer, trailer]);
    }
    case 'footer-cut': {
      const bytes = good(damage.base);
      const cut = Buffer.concat([bytes.subarray(0, damage.at), bytes.subarray(damage.at + damage.length)]);
      if (damage.fixLength) cut.writeUInt32LE(cut.readUInt32LE(cut.length - 8) - damage.length, cut.length - 8);
      return cut;
    }
    case 'splice-self':
    case 'splice-other': {
      const bytes = good(damage.base);
      good(damage.from).copy(bytes, damage.at, damage.source, damage.source + damage.length);
      return bytes;
    }
    case 'truncate':
      return good(damage.base).subarray(0, damage.length);
    case 'empty':
      return Buffer.alloc(0);
    case 'csv':
      return Buffer.from(['label,f1', ...Array.from({ length: damage.rows }, (_, i) => `${i % 2},${i / 7}`)].join('\n') + '\n');
    case 'magic-only': {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(damage.footerLength >>> 0);
      return Buffer.concat([Buffer.from('PAR1'), Buffer.from(damage.bytes), length, Buffer.from('PAR1')]);
    }
  }
}

/** A short description of a damage for test names: the kind, the file and where. */
export function describeDamage(damage: Damage): string {
  switch (damage.kind) {
    case 'flip-data':
    case 'flip-footer':
      return `${damage.base}: ${damage.kind} ${damage.flips.length} byte(s) at ${damage.flips.map(([at]) => at).join(',')}`;
    case 'footer-length':
      return `${damage.base}: footer length set to ${damage.value}`;
    case 'footer-zero':
    case 'zero':
      return `${damage.base}: ${damage.kind} ${damage.length} bytes at ${damage.at}`;
    case 'footer-value':
      return `${damage.base}: footer ${damage.edits.map((edit) => `integer ${edit.path.join('.')} set from ${edit.from} to ${edit.to}`).join(', ')}`;
    case 'footer-cut':
      return `${damage.base}: footer-cut ${damage.length} bytes at ${damage.at}${damage.fixLength ? ', length field fixed' : ''}`;
    case 'splice-self':
    case 'splice-other':
      return `${damage.base}: ${damage.kind} ${damage.length} bytes of ${damage.from}@${damage.source} over @${damage.at}`;
    case 'truncate':
      return `${damage.base}: truncated to ${damage.length} bytes`;
    case 'empty':
      return 'empty file';
    case 'csv':
      return `CSV text, ${damage.rows} rows`;
    case 'magic-only':
      return `PAR1 + ${damage.bytes.length} random bytes + footer length ${damage.footerLength} + PAR1`;
  }
}

const INTEGER_TYPES = new Set<number>([T.BYTE, T.I16, T.I32, T.I64]);
const INTEGER_BITS: Record<number, bigint> = { [T.BYTE]: 8n, [T.I16]: 16n, [T.I32]: 32n, [T.I64]: 64n };

/** An integer of a footer: where it is, its type and its value. */
interface IntegerLeaf {
  readonly path: number[];
  readonly type: number;
  readonly value: number | bigint;
}

/** Every integer in a Thrift struct, fields of nested structs and items of lists included. */
function integerLeaves(struct: ThriftStruct, path: number[] = []): IntegerLeaf[] {
  return struct.fields.flatMap((field) => valueLeaves(field.type, field.value, [...path, field.id]));
}

function valueLeaves(type: number, value: ThriftValue, path: number[]): IntegerLeaf[] {
  if (INTEGER_TYPES.has(type)) return [{ path, type, value: value as number | bigint }];
  if (type === T.STRUCT) return integerLeaves(value as ThriftStruct, path);
  if (type === T.LIST || type === T.SET) {
    const list = value as ThriftList;
    return list.items.flatMap((item, index) => valueLeaves(list.elementType, item, [...path, index]));
  }
  return [];
}

/**
 * FileMetaData.num_rows (3), RowGroup.num_rows (row_groups 4, item, 3) and ColumnMetaData.num_values (row
 * groups 4, item, columns 1, item, meta_data 3, 5).
 */
function isRowCount(path: readonly number[]): boolean {
  const text = path.join('.');
  return text === '3' || /^4\.\d+\.3$/.test(text) || /^4\.\d+\.1\.\d+\.3\.5$/.test(text);
}

/** A wrong value for an integer of `type` that was `value`: zero, -1, near it, doubled, a bit flipped, an extreme. */
function drawInteger(random: RandomSource, type: number, value: bigint): bigint {
  const bits = INTEGER_BITS[type] ?? 64n;
  const max = (1n << (bits - 1n)) - 1n;
  const min = -(1n << (bits - 1n));
  const near = BigInt(integer(random, 1, 100));
  const choices = [0n, -1n, value + near, value - near, value * 2n, value ^ (1n << BigInt(integer(random, 0, Number(bits) - 2))), max, min];
  const chosen = pick(random, choices);
  const clamped = chosen > max ? max : chosen < min ? min : chosen;
  return clamped === value ? (value === max ? value - near : value + near) : clamped;
}

/** Sets the integer at `path` (see {@link integerLeaves}) to `to`, as its type's JavaScript value. */
function setInteger(struct: ThriftStruct, path: readonly number[], to: bigint): void {
  const [id, ...rest] = path;
  const field = struct.fields.find((f) => f.id === id);
  if (field === undefined) throw new Error(`no field ${String(id)} in the footer`);
  const set = (type: number, current: ThriftValue, steps: readonly number[], assign: (value: ThriftValue) => void): void => {
    if (steps.length === 0) {
      if (!INTEGER_TYPES.has(type)) throw new Error('the path does not end at an integer');
      assign(type === T.I64 ? to : Number(to));
    } else if (type === T.STRUCT) {
      setInteger(current as ThriftStruct, steps, to);
    } else if (type === T.LIST || type === T.SET) {
      const list = current as ThriftList;
      const [index, ...further] = steps;
      set(list.elementType, list.items[index as number] as ThriftValue, further, (value) => (list.items[index as number] = value));
    } else {
      throw new Error('the path leads through a value that is neither a struct nor a list');
    }
  };
  set(field.type, field.value, rest, (value) => (field.value = value));
}
