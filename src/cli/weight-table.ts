import type { ClassCounts } from '../classes/class-counts.js';
import { classKey } from '../classes/class-value.js';
import type { ClassValue } from '../classes/class-value.js';
import { bar } from './class-table.js';
import { formatCount } from '../text/format-count.js';
import { escapeText } from '../text/escape-text.js';
import { textTableLines } from './text-table.js';

/**
 * Renders rows per class with their weights: count, share and bar of the rows, then the class weight and the
 * share and bar of the weighted rows (n_c * w_c over the weighted total), so the effect of the weights shows.
 *
 * ```
 * class    rows   share                              weight  weighted
 * -1     10,923   97.7%  ███████████████████████▌  0.511901     50.0%  ████████████
 * 1         260    2.3%  ▌                          21.5058     50.0%  ████████████
 * total  11,183  100.0%                                        100.0%
 * ```
 * Class values are printed with their control characters escaped (see `escapeText`).
 * @param counts rows per class, in the order to show
 * @param weights weight per class key; classes without one (no rows) show no weight
 * @returns the table as lines of text
 */
export function weightTable(counts: ClassCounts, weights: ReadonlyMap<string, number>): string {
  return [...weightTableLines(counts, weights)].join('\n');
}

/**
 * The lines of {@link weightTable}, made one at a time (see `textTableLines`).
 * @param counts rows per class, in the order to show
 * @param weights weight per class key
 * @returns the lines, header first and total last
 */
export function weightTableLines(counts: ClassCounts, weights: ReadonlyMap<string, number>): Iterable<string> {
  const entries = counts.entries();
  const classWeights = entries.map(([value]) => weights.get(classKey(value)));
  const weighted = entries.map(([, n], c) => n * (classWeights[c] ?? 0));
  const weightedTotal = weighted.reduce((sum, x) => sum + x, 0);
  const header = ['class', 'rows', 'share', '', 'weight', 'weighted', ''];
  const totals = ['total', formatCount(counts.total), counts.total === 0 ? '-' : '100.0%', '', '', weightedTotal === 0 ? '' : '100.0%', ''];
  const cellsOf = (row: number): string[] => {
    if (row === 0) return header;
    if (row > entries.length) return totals;
    const c = row - 1;
    const [value, n] = entries[c] as [ClassValue, number];
    const share = counts.total === 0 ? 0 : n / counts.total;
    const w = classWeights[c];
    const weightedShare = weightedTotal === 0 ? 0 : (weighted[c] as number) / weightedTotal;
    return [
      escapeText(classKey(value)),
      formatCount(n),
      percent(share),
      bar(share),
      w === undefined ? '' : formatWeight(w),
      percent(weightedShare),
      bar(weightedShare),
    ];
  };
  return textTableLines(entries.length + 2, cellsOf, (index) => index % 3 === 0);
}

/** A weight with six significant digits, without trailing zeros. */
function formatWeight(weight: number): string {
  return String(Number(weight.toPrecision(6)));
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
