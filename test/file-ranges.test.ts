import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileRanges } from '../src/parquet/file-ranges.js';

const dir = mkdtempSync(join(tmpdir(), 'arrow-balance-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `size` bytes where byte i is i mod 251, opened for FileRanges. */
function rangesOver(size: number): { ranges: FileRanges; bytes: Uint8Array; close: () => void } {
  const bytes = Uint8Array.from({ length: size }, (_, i) => i % 251);
  const path = join(dir, `f${size}`);
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  return { ranges: new FileRanges(fd), bytes, close: () => closeSync(fd) };
}

describe('FileRanges', () => {
  it('hands parquet-wasm an ArrayBuffer of exactly the range (viewed whole, so it is not copied once more)', async () => {
    const { ranges, bytes, close } = rangesOver(10_000);
    const buffer = await ranges.slice(1_000, 4_000).arrayBuffer();
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(buffer.byteLength).toBe(3_000);
    expect(new Uint8Array(buffer, 0)).toEqual(bytes.subarray(1_000, 4_000));
    expect((await ranges.slice(9_000, 20_000).arrayBuffer()).byteLength).toBe(1_000);
    close();
  });

  it('gives ranges of one request distinct memory and reuses it, resized, after recycle', async () => {
    const { ranges, bytes, close } = rangesOver(10_000);
    const first = await ranges.slice(0, 2_000).arrayBuffer();
    const second = await ranges.slice(2_000, 4_000).arrayBuffer();
    expect(first).not.toBe(second);
    expect(new Uint8Array(first)).toEqual(bytes.subarray(0, 2_000));
    ranges.recycle();
    const again = await ranges.slice(5_000, 6_500).arrayBuffer();
    expect([first, second]).toContain(again);
    expect(again.byteLength).toBe(1_500);
    expect(new Uint8Array(again)).toEqual(bytes.subarray(5_000, 6_500));
    close();
  });
});
