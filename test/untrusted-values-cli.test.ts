import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlIdentifier, sqlString, withDuckDb } from './support/duckdb.js';
import { runCli, type CliRun } from './support/run-cli.js';

/** Labels that would drive a terminal (clear the screen, colour, move the cursor, reorder text) or break a table. */
const HOSTILE = ['\u001b[2J\u001b[31mred', 'two\nlines', 'tab\there', 'abc\u202edef', 'c1\u009b2J', 'del\u007f', 'cr\rx', '<img src=x onerror=alert(1)>', 'plain'];
/** What each shows as in a table. */
const SHOWN = ['\\e[2J\\e[31mred', 'two\\nlines', 'tab\\there', 'abc\\u202edef', 'c1\\u009b2J', 'del\\x7f', 'cr\\rx', '<img src=x onerror=alert(1)>', 'plain'];
/** Raw control characters: none may reach stdout or stderr, but the newlines that end lines. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const COLUMN = 'col\u001b[31m';

let dir: string;
/** A file whose name holds a line break and an escape sequence, with hostile labels and a hostile column name. */
let input: string;
/** The same rows but another column name, to be read with `input` as one input. */
let other: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-untrusted-'));
  input = join(dir, 'in\nput\u001b[2J.parquet');
  other = join(dir, 'other.parquet');
  await withDuckDb(async (db) => {
    const values = HOSTILE.map((label, n) => `(${n}, ${sqlString(label)})`).join(', ');
    // Class n has n + 1 rows, so the classes differ in size (and reservoirs of capacity 2 cap the larger ones).
    const rows = `SELECT label, n AS ${sqlIdentifier(COLUMN)} FROM (VALUES ${values}) v(n, label), range(9) r(k) WHERE k <= n`;
    await db.run(`COPY (${rows}) TO ${sqlString(input)} (FORMAT parquet)`);
    await db.run(`COPY (SELECT label, ${sqlIdentifier(COLUMN)} AS ${sqlIdentifier('x\ny')} FROM (${rows})) TO ${sqlString(other)} (FORMAT parquet)`);
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectPrintable(run: CliRun): void {
  expect(run.stdout).not.toMatch(RAW_CONTROL);
  expect(run.stderr).not.toMatch(RAW_CONTROL);
}

/** Asserts every line of a table ends its right-aligned numbers where their header title ends. */
function expectAligned(lines: readonly string[], titles: readonly string[]): void {
  const [header = '', ...rows] = lines;
  const ends: number[] = [];
  for (const title of titles) ends.push(header.indexOf(title, ends.at(-1) ?? 0) + title.length);
  for (const line of rows) {
    for (const end of ends) {
      if (line.slice(end - 6, end + 1).trim() === '') continue;
      expect(line.slice(end - 1, end + 1), JSON.stringify(line)).toMatch(/^[\d%-]( |$)/);
    }
  }
}

describe('values from the data never reach the terminal raw', () => {
  it('count prints the class table escaped, one line per class, aligned', async () => {
    const run = await runCli(['count', input, '--label', 'label']);
    expectPrintable(run);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(HOSTILE.length + 2);
    for (const [n, shown] of SHOWN.entries()) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${shown.replace(/[\\[\]().*+?^$|{}]/g, '\\$&')} +${n + 1} `)));
    expectAligned(lines, ['rows', 'share']);
  });

  it('count --json keeps the exact values, escaped as JSON', async () => {
    const run = await runCli(['count', input, '--label', 'label', '--json']);
    expectPrintable(run);
    const counts = JSON.parse(run.stdout) as { classes: Array<{ value: string; count: number }> };
    expect(counts.classes.map((entry) => entry.value).sort()).toEqual([...HOSTILE].sort());
  });

  it('balance: the table, the notes and the output file name', async () => {
    const output = join(dir, 'out\n\u001b[31m.parquet');
    const run = await runCli(['balance', input, '--label', 'label', '-o', output, '--mode', 'reservoir', '--capacity', '2', '--strategy', 'over', '--seed', '1']);
    expectPrintable(run);
    expect(run.status).toBe(0);
    const notes = run.stderr.trimEnd().split('\n');
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note).toMatch(/^arrow-balance: note: reservoir capped class ".*" at 2 rows/);
    expect(run.stderr).toContain('class "tab\\there"');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(HOSTILE.length + 4);
    expectAligned(lines.slice(0, HOSTILE.length + 2), ['before', 'share', 'after', 'share']);
    expect(lines.at(-1)).toContain(`written to ${join(dir, 'out\\n\\e[31m.parquet')} in`);
    const json = await runCli(['balance', input, '--label', 'label', '-o', output, '--force', '--json', '--seed', '1']);
    expectPrintable(json);
    expect((JSON.parse(json.stdout) as { output: string }).output).toBe(output);
  });

  it('weight: the table, the weight column\'s name and the output file name', async () => {
    const output = join(dir, 'weighted\u202e.parquet');
    const run = await runCli(['weight', input, '--label', 'label', '-o', output, '--column', 'w\u001b[31m']);
    expectPrintable(run);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(HOSTILE.length + 4);
    expectAligned(lines.slice(0, HOSTILE.length + 2), ['rows', 'share', 'weight', 'weighted']);
    expect(lines.at(-1)).toMatch(/in column "w\\e\[31m" \(float32\).* written to .*weighted\\u202e\.parquet in/);
  });

  it.each([
    ['a missing label column', () => ['count', input, '--label', 'nope\u001b[2J'], ['in\\nput\\e[2J.parquet: column "nope\\e[2J" not found; columns are: label, col\\e[31m']],
    ['a missing input', () => ['count', join(dir, 'no\u009bthing\n.parquet'), '--label', 'label'], ['no\\u009bthing\\n.parquet: no such file or directory']],
    ['inputs of different schemas', () => ['weight', input, other, '--label', 'label', '-o', join(dir, 'out.parquet')], ['other.parquet and ', 'in\\nput\\e[2J.parquet have different schemas: field 1: "col\\e[31m" against "x\\ny"']],
    ['a bad option value', () => ['count', input, '--label', 'label', '--nulls', 'k\u001b[2Jeep'], ['--nulls must be one of error, drop, class, got "k\\e[2Jeep"']],
    ['an unknown option', () => ['count', input, '--label', 'label', '--\u001b[2J'], ['unknown option --\\e[2J']],
  ])('an error about %s quotes names escaped, on one line', async (_name, args, quoted) => {
    const run = await runCli(args());
    expectPrintable(run);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^arrow-balance: /);
    for (const text of quoted) expect(lines[0]).toContain(text);
  });

  it('leaves no stray files', async () => {
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
