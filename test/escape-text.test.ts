import { RecordBatch, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ClassCounts } from '../src/classes/class-counts.js';
import { LabelCoder } from '../src/classes/label-coder.js';
import { classTable } from '../src/cli/class-table.js';
import { weightTable } from '../src/cli/weight-table.js';
import { ArrowBalanceError, toArrowBalanceError, withPrefix } from '../src/errors.js';
import { escapeText, jsonText, messageOf, oneLine } from '../src/text/escape-text.js';

/** Characters that must never reach a terminal raw (a line break is allowed only between lines of a table). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const HOSTILE = ['\u001b[2J\u001b[31mred', 'two\nlines', 'tab\there', 'abc\u202edef', 'c1\u009b2J', 'del\u007f', 'cr\rbell\u0007nul\u0000', '<img src=x onerror=alert(1)>', 'plain'];

describe('escapeText', () => {
  it('shows control characters as C escapes', () => {
    expect(escapeText('\u001b[2J\u001b[31mred')).toBe('\\e[2J\\e[31mred');
    expect(escapeText('two\nlines\ttab\rcr\u0007\b\v\f')).toBe('two\\nlines\\ttab\\rcr\\a\\b\\v\\f');
    expect(escapeText('nul\u0000 us\u001f del\u007f')).toBe('nul\\x00 us\\x1f del\\x7f');
  });

  it('shows C1 controls, separators and bidi controls as \\u escapes', () => {
    expect(escapeText('c1\u009b2J \u0085 \u2028\u2029')).toBe('c1\\u009b2J \\u0085 \\u2028\\u2029');
    expect(escapeText('abc\u202edef \u202a\u2066\u2069\u200e\u200f\u061c')).toBe('abc\\u202edef \\u202a\\u2066\\u2069\\u200e\\u200f\\u061c');
  });

  it('leaves printable text alone, HTML and non-ASCII included', () => {
    for (const text of ['<img src=x onerror=alert(1)>', 'büy', '日本', 'a\\e', 'emoji 😀', '']) expect(escapeText(text)).toBe(text);
  });

  it('jsonText escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
    const value = { classes: HOSTILE };
    const text = jsonText(value);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('c1\\u009b2J');
    expect(text).toContain('abc\\u202edef');
    expect(text).toContain('del\\u007f');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('oneLine folds line breaks with the spaces around them', () => {
    expect(oneLine('  failed:\n    at row 3\r\n  done ')).toBe('failed: at row 3 done');
  });

  it('messageOf reads strings and Errors, also one whose message is undefined (parquetjs-lite throws those)', () => {
    expect(messageOf('bad\npage')).toBe('bad page');
    expect(messageOf(Object.assign(new Error('x'), { message: undefined }))).toBe('undefined');
  });
});

describe('messages quote data escaped', () => {
  it('ArrowBalanceError and withPrefix escape control characters, a line break from the data included', () => {
    expect(new ArrowBalanceError('file a\nb.parquet: column "\u001b[31m" not found').message)
      .toBe('arrow-balance: file a\\nb.parquet: column "\\e[31m" not found');
    expect(withPrefix('arrow-balance: x\u202ey')).toBe('arrow-balance: x\\u202ey');
  });

  it('toArrowBalanceError folds the line breaks of other libraries\' messages', () => {
    expect(toArrowBalanceError(new Error('Parquet error:\n  bad page\n')).message).toBe('arrow-balance: Parquet error: bad page');
    expect(toArrowBalanceError(new Error('x'), 'a\u001bb.parquet').message).toBe('arrow-balance: a\\eb.parquet: x');
  });

  it('a missing label names the columns of the batch escaped', () => {
    const names = new RecordBatch({ ['col\u001b[31m']: vectorFromArray(Int32Array.of(1)).data[0]!, ['x\ny']: vectorFromArray(Int32Array.of(1)).data[0]! });
    expect(() => new LabelCoder({ label: 'nope\u001b' }).encode(names)).toThrow('arrow-balance: label column "nope\\e" not found; columns are: col\\e[31m, x\\ny');
  });
});

/** Asserts every line has its right-aligned numbers end where their header title ends. */
function expectAligned(table: string, header: readonly string[]): void {
  const [first = '', ...lines] = table.split('\n');
  const ends: number[] = [];
  for (const title of header) ends.push(first.indexOf(title, ends.at(-1) ?? 0) + title.length);
  expect(ends.every((end, i) => end > (ends[i - 1] ?? 0))).toBe(true);
  for (const line of lines) {
    for (const end of ends) {
      if (line.slice(end - 6, end + 1).trim() === '') continue; // an empty cell (the total's weight)
      expect(line.slice(end - 1, end + 1), JSON.stringify(line)).toMatch(/^[\d%-]( |$)/);
    }
  }
}

describe('tables print data escaped and stay aligned', () => {
  const hostile = ClassCounts.fromEntries(HOSTILE.map((value) => [value, 1]));

  it('classTable', () => {
    const table = classTable([{ title: 'before', counts: hostile }, { title: 'after', counts: hostile }]);
    expect(table).not.toMatch(RAW_CONTROL);
    const lines = table.split('\n');
    expect(lines).toHaveLength(HOSTILE.length + 2);
    expect(lines).toContainEqual(expect.stringMatching(/^\\e\[2J\\e\[31mred +1 /));
    expect(lines).toContainEqual(expect.stringMatching(/^two\\nlines +1 /));
    expect(lines).toContainEqual(expect.stringMatching(/^<img src=x onerror=alert\(1\)> +1 /));
    expectAligned(table, ['before', 'share', 'after', 'share']);
  });

  it('weightTable', () => {
    const weights = new Map(hostile.values().map((value): [string, number] => [String(value), 1]));
    const table = weightTable(hostile, weights);
    expect(table).not.toMatch(RAW_CONTROL);
    expect(table.split('\n')).toHaveLength(HOSTILE.length + 2);
    expect(table).toContain('abc\\u202edef');
    expectAligned(table, ['rows', 'share', 'weight', 'weighted']);
  });

  it('ClassCounts.toString', () => {
    expect(hostile.toString()).not.toMatch(RAW_CONTROL);
  });
});
