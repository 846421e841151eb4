import { describe, expect, it } from 'vitest';
import { ClassCounts } from '../src/classes/class-counts.js';
import { classTable, classTableLines } from '../src/cli/class-table.js';
import { formatCount } from '../src/text/format-count.js';
import { writeLines } from '../src/cli/command-io.js';
import { weightTable } from '../src/cli/weight-table.js';
import { resolveTargets } from '../src/sampling/targets.js';

/** More classes than arguments fit on the call stack when spread into Math.max (about 120,000 here). */
const MANY = 200_000;
const many = ClassCounts.fromEntries(Array.from({ length: MANY }, (_, i): [number, number] => [i, 1 + (i % 3)]));

describe('formatCount', () => {
  it('groups digits as toLocaleString(\'en-US\') does', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 123_456, 1_234_567, Number.MAX_SAFE_INTEGER]) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });
});

describe('tables of many classes', () => {
  it('classTable prints a row per class (spreading the rows into Math.max overflowed the stack)', () => {
    const lines = classTable([{ title: 'rows', counts: many }]).split('\n');
    expect(lines).toHaveLength(MANY + 2);
    expect(lines[1]).toMatch(/^0 +1 {2}/);
    expect(lines.at(-1)).toMatch(new RegExp(`^total +${many.total.toLocaleString('en-US')} +100\\.0%$`));
  });

  it('the CLI writes the table a few thousand lines at a time, never as one string', () => {
    const writes: string[] = [];
    writeLines((text) => writes.push(text), classTableLines([{ title: 'rows', counts: many }]));
    expect(writes).toHaveLength(Math.ceil((MANY + 2) / 8192));
    expect(writes.every((text) => text.endsWith('\n'))).toBe(true);
    expect(writes.join('')).toBe(`${classTable([{ title: 'rows', counts: many }])}\n`);
  });

  it('weightTable prints a row per class', () => {
    const weights = new Map(many.entries().map(([value]): [string, number] => [String(value), 1]));
    expect(weightTable(many, weights).split('\n')).toHaveLength(MANY + 2);
  });

  it('target proportions over that many classes (a linear search per class made this quadratic: 14 min for 300,000)', () => {
    const proportions = Object.fromEntries(many.entries().map(([value]) => [String(value), 1 / MANY]));
    const targets = resolveTargets(many, 'under', { proportions });
    expect(targets.size).toBe(MANY);
    expect(targets.get('0')).toBe(1);
  });
});
