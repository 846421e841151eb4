import type { ClassCounts } from '../classes/class-counts.js';
import type { ClassValue } from '../classes/class-value.js';
import { classKey } from '../classes/class-value.js';
import { escapeText } from '../text/escape-text.js';
import { textTableLines } from './text-table.js';
import { formatCount } from '../text/format-count.js';

/** Width of the longest bar, in terminal cells. */
const BAR_WIDTH = 24;
const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * A unicode bar whose length shows a share, to eighths of a cell.
 * @param share a number from 0 to 1
 * @param width cells for a share of 1
 */
export function bar(share: number, width = BAR_WIDTH): string {
  const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + (BLOCKS[eighths % 8] ?? '');
}

/** One column group of the table: a title and counts (with optional extra values per class). */
export interface TableColumn {
  readonly title: string;
  readonly counts: ClassCounts;
}

/**
 * Renders class counts side by side (for example before and after balancing): count, share and a bar each.
 *
 * Class values are printed with their control characters escaped (see `escapeText`): they come from the
 * data, and must neither drive the terminal nor break the table.
 * @param columns one or more count sets; classes are the union, in value order of the first
 * @returns the table as lines of text
 */
export function classTable(columns: readonly TableColumn[]): string {
  return [...classTableLines(columns)].join('\n');
}

/**
 * The lines of {@link classTable}, made one at a time (see `textTableLines`).
 * @param columns one or more count sets
 * @returns the lines, header first and total last
 */
export function classTableLines(columns: readonly TableColumn[]): Iterable<string> {
  const classes = unionOfClasses(columns.map((column) => column.counts));
  const counts = columns.map((column, index) => (index === 0 ? firstCounts(column.counts, classes.length) : classes.map((value) => column.counts.count(value))));
  // No rows have no shares: an empty input's total shows a dash, not 100 %.
  const totals = ['total', ...columns.flatMap((column) => [formatCount(column.counts.total), column.counts.total === 0 ? '-' : '100.0%', ''])];
  const header = ['class', ...columns.flatMap((column) => [column.title, 'share', ''])];
  const cellsOf = (row: number): string[] => {
    if (row === 0) return header;
    if (row > classes.length) return totals;
    const c = row - 1;
    const cells = [escapeText(classKey(classes[c] as ClassValue))];
    for (let index = 0; index < columns.length; index++) {
      const count = counts[index]?.[c] ?? 0;
      const total = (columns[index] as TableColumn).counts.total;
      const share = total === 0 ? 0 : count / total;
      cells.push(formatCount(count), `${(share * 100).toFixed(1)}%`, bar(share));
    }
    return cells;
  };
  return textTableLines(classes.length + 2, cellsOf, (index) => index % 3 === 0);
}

/** The classes of the first counts in their value order, then those only later counts have. */
function unionOfClasses(counts: readonly ClassCounts[]): ClassValue[] {
  const [first, ...rest] = counts;
  const classes = first === undefined ? [] : first.values();
  const added = new Set<string>();
  for (const set of rest) {
    for (const value of set.values()) {
      const key = classKey(value);
      if (first?.countOfKey(key) === undefined && !added.has(key)) {
        added.add(key);
        classes.push(value);
      }
    }
  }
  return classes;
}

/** The first counts by position in the union, which starts with its classes: no lookup by key. */
function firstCounts(counts: ClassCounts, classes: number): number[] {
  const out = counts.entries().map(([, n]) => n);
  while (out.length < classes) out.push(0);
  return out;
}
