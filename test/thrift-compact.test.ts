import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, readStruct, T, writeStruct, type ThriftList, type ThriftStruct } from '../src/parquet/thrift-compact.js';
import { writeAllTypesParquet } from './support/fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-thrift-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function footerOf(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(bytes.length - 8, true);
  return bytes.subarray(bytes.length - 8 - length, bytes.length - 8);
}

describe('the schema-less Thrift compact codec', () => {
  it('reads and rewrites Parquet footers byte for byte (DuckDB and parquet-wasm writers)', async () => {
    const duckdb = join(dir, 'all-types.parquet');
    await writeAllTypesParquet(duckdb, { rows: 3_000, rowGroupSize: 1_000 });
    const files = [duckdb, fileURLToPath(new URL('../samples/mammography.parquet', import.meta.url))];
    for (const path of files) {
      const footer = footerOf(new Uint8Array(await readFile(path)));
      const { struct, end } = readStruct(footer);
      expect(end).toBe(footer.length);
      expect(Buffer.from(writeStruct(struct)).equals(Buffer.from(footer))).toBe(true);
      // FileMetaData: 3 num_rows (i64), 4 row_groups (list of structs).
      expect(typeof field(struct, 3)).toBe('bigint');
      expect((field(struct, 4) as ThriftList).items.length).toBeGreaterThan(0);
    }
  });

  it('round-trips every type, long lists, large field gaps, negative and 64-bit numbers', () => {
    const inner: ThriftStruct = { kind: 'struct', fields: [{ id: 1, type: T.I32, value: -5 }] };
    const struct: ThriftStruct = {
      kind: 'struct',
      fields: [
        { id: 1, type: T.TRUE, value: true },
        { id: 2, type: T.FALSE, value: false },
        { id: 3, type: T.BYTE, value: -7 },
        { id: 4, type: T.I16, value: -300 },
        { id: 5, type: T.I32, value: 2_147_483_647 },
        { id: 6, type: T.I64, value: -(2n ** 62n) },
        { id: 7, type: T.DOUBLE, value: 3.25 },
        { id: 8, type: T.BINARY, value: new TextEncoder().encode('\u00e9t\u00e9') },
        { id: 40, type: T.LIST, value: { kind: 'list', elementType: T.I64, items: Array.from({ length: 20 }, (_, i) => BigInt(i) * 10n ** 15n) } },
        { id: 41, type: T.LIST, value: { kind: 'list', elementType: T.STRUCT, items: [inner, inner] } },
        { id: 42, type: T.MAP, value: { kind: 'map', keyType: T.BINARY, valueType: T.I32, entries: [[new Uint8Array([1]), 9]] } },
        { id: 43, type: T.LIST, value: { kind: 'list', elementType: T.TRUE, items: [true, false, true] } },
      ],
    };
    const bytes = writeStruct(struct);
    const { struct: back, end } = readStruct(bytes);
    expect(end).toBe(bytes.length);
    expect(back).toEqual(struct);
    expect(Buffer.from(writeStruct(back)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses truncated input with a RangeError', () => {
    const bytes = writeStruct({ kind: 'struct', fields: [{ id: 1, type: T.BINARY, value: new Uint8Array(10) }] });
    expect(() => readStruct(bytes.subarray(0, 5))).toThrow(RangeError);
  });
});
