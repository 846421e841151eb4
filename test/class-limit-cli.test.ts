import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlString, withDuckDb } from './support/duckdb.js';
import { runCli, type CliRun } from './support/run-cli.js';

const ID_ROWS = 1_000_000;
const MANY_CLASSES = 200_001;
let dir: string;
let ids: string;
let many: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-limit-'));
  ids = join(dir, 'ids.parquet');
  many = join(dir, 'many.parquet');
  await withDuckDb(async (db) => {
    // A unique int64 id beside the real class column: the mistake of passing --label id.
    await db.run(`COPY (SELECT i::BIGINT AS id, (i % 3)::INTEGER AS label, random() AS f FROM range(${ID_ROWS}) t(i))
      TO ${sqlString(ids)} (FORMAT parquet, ROW_GROUP_SIZE 122880)`);
    // 200,001 classes of string labels, in a shuffled order.
    await db.run(`COPY (SELECT 'c' || lpad(((i * 7919) % ${MANY_CLASSES})::VARCHAR, 6, '0') AS label FROM range(${MANY_CLASSES}) t(i))
      TO ${sqlString(many)} (FORMAT parquet)`);
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The rows read before the error, from its message; asserts the message is the one line users get. */
function rowsReadBeforeStop(run: CliRun, limit = '100,000'): number {
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  const pattern = new RegExp(`^arrow-balance: label column "(?:id|label)" has more than ${limit} distinct values \\(([\\d,]+) in the first ([\\d,]+) rows\\); is it an id\\? choose the class column \\(label, --label\\) or raise the limit \\(maxClasses, --max-classes\\)$`);
  const match = pattern.exec(lines[0] ?? '');
  expect(match, lines[0]).not.toBeNull();
  expect(Number(match?.[1]?.replaceAll(',', ''))).toBe(Number(limit.replaceAll(',', '')) + 1);
  return Number(match?.[2]?.replaceAll(',', ''));
}

describe('an id column as the label', () => {
  it.each([
    ['count', []],
    ['count', ['--json']],
    ['balance', ['-o', 'OUT']],
    ['balance', ['-o', 'OUT', '--mode', 'reservoir']],
    ['balance', ['-o', 'OUT', '--mode', 'online']],
    ['weight', ['-o', 'OUT']],
  ])('%s %j stops at the first value beyond 100,000 classes, one line, exit 1, nothing written', async (command, extra) => {
    const args = [command, ids, '--label', 'id', ...extra.map((arg) => (arg === 'OUT' ? join(dir, 'out.parquet') : arg))];
    // Every row holds a new id, so the coder stopped at row 100,001 of 1,000,000: the rest was never read.
    expect(rowsReadBeforeStop(await runCli(args))).toBe(100_001);
    expect((await readdir(dir)).sort()).toEqual(['ids.parquet', 'many.parquet']);
  });

  it('the real class column of the same file counts', async () => {
    const run = await runCli(['count', ids, '--label', 'label', '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ total: ID_ROWS, classes: [{ value: 0, count: 333_334 }, { value: 1, count: 333_333 }, { value: 2, count: 333_333 }] });
  });
});

describe('--max-classes', () => {
  it('a raised limit counts 200,001 classes and prints every row of the table (the table overflowed the stack)', async () => {
    const run = await runCli(['count', many, '--label', 'label', '--max-classes', String(MANY_CLASSES)]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(MANY_CLASSES + 2);
    expect(lines[1]).toMatch(/^c000000 +1 +0\.0%$/);
    expect(lines.at(-1)).toMatch(/^total +200,001 +100\.0%$/);
  });

  it('one class below the file\'s stops at its last row; the default stops at row 100,001', async () => {
    expect(rowsReadBeforeStop(await runCli(['count', many, '--label', 'label', '--max-classes', '200000']), '200,000')).toBe(MANY_CLASSES);
    expect(rowsReadBeforeStop(await runCli(['count', many, '--label', 'label']))).toBe(100_001);
  });

  it.each([
    ['count', '0'], ['count', '-5'], ['count', '1.5'], ['count', 'many'], ['count', '16777217'],
    ['balance', '0'], ['weight', 'x'],
  ])('%s --max-classes %s is a usage mistake (exit 2) found before reading', async (command, value) => {
    const output = command === 'count' ? [] : ['-o', join(dir, 'out.parquet')];
    const run = await runCli([command, join(dir, 'missing.parquet'), '--label', 'label', ...output, '--max-classes', value]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`arrow-balance: --max-classes must be a whole number from 1 to 16777216, got "${value}"; see arrow-balance --help\n`);
  });
});
