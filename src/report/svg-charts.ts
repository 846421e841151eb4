/**
 * The report's two charts as SVG strings: class counts before and after, and one class's values in one
 * column before and after, as overlaid histograms.
 *
 * Drawn here rather than with Vega-Lite or Observable Plot: both need a DOM or a headless renderer to give
 * SVG ahead of time, and megabytes of modules, for what are two kinds of rectangles and one step line.
 * Every text that comes from the data is escaped.
 */
import { escapeHtml } from './escape-html.js';
import { formatCount } from '../text/format-count.js';

/** One class's rows before and after. */
export interface ClassBar {
  /** The class as shown (escaped here). */
  readonly label: string;
  readonly input: number;
  /** Rows out; undefined when the job keeps every row (weighting). */
  readonly output: number | undefined;
}

const BAR_HEIGHT = 200;

/**
 * Grouped bars: each class's input and output rows, the numbers written on them.
 * @returns an SVG element with `data-class`, `data-side` and `data-count` on every bar
 */
export function classBars(classes: readonly ClassBar[]): string {
  const largest = Math.max(1, ...classes.flatMap((c) => [c.input, c.output ?? 0]));
  const group = 96;
  const width = Math.max(320, classes.length * group + 60);
  const top = 24;
  const parts: string[] = [];
  classes.forEach((c, i) => {
    const x = 50 + i * group;
    const sides: Array<['input' | 'output', number]> = [['input', c.input]];
    if (c.output !== undefined) sides.push(['output', c.output]);
    sides.forEach(([side, count], s) => {
      const height = (count / largest) * BAR_HEIGHT;
      const left = x + s * 38;
      parts.push(
        `<rect class="bar ${side}" data-class="${escapeHtml(c.label)}" data-side="${side}" data-count="${count}" x="${left}" y="${(top + BAR_HEIGHT - height).toFixed(2)}" width="34" height="${height.toFixed(2)}"/>`,
        `<text class="count" x="${left + 17}" y="${(top + BAR_HEIGHT - height - 4).toFixed(2)}" text-anchor="middle">${formatCount(count)}</text>`,
      );
    });
    parts.push(`<text class="class" x="${x + (sides.length * 38 - 4) / 2}" y="${top + BAR_HEIGHT + 16}" text-anchor="middle">${escapeHtml(shorten(c.label, 14))}</text>`);
  });
  return `<svg class="bars" viewBox="0 0 ${width} ${top + BAR_HEIGHT + 26}" width="${width}" role="img" aria-label="rows per class before and after">${parts.join('')}</svg>`;
}

/**
 * One class's values in one column on both sides: histograms over the same bins (from the lower of the two
 * sides' 0.5 % quantiles to the higher of their 99.5 % quantiles, 24 bins), each side's bars as shares of its
 * own values.
 * @param input the input's sampled values, sorted
 * @param output the output's, sorted
 */
export function histogramOverlay(input: Float64Array, output: Float64Array): string {
  const width = 240;
  const height = 90;
  if (input.length + output.length === 0) return `<svg class="histogram" viewBox="0 0 ${width} ${height}" width="${width}"><text x="${width / 2}" y="${height / 2}" text-anchor="middle">no values</text></svg>`;
  const sides = [input, output].filter((values) => values.length > 0);
  let low = Math.min(...sides.map((values) => quantile(values, 0.005)));
  let high = Math.max(...sides.map((values) => quantile(values, 0.995)));
  if (!(high > low)) {
    low -= 0.5;
    high += 0.5;
  }
  const bins = 24;
  const before = binShares(input, low, high, bins);
  const after = binShares(output, low, high, bins);
  const largest = Math.max(1e-9, ...before, ...after);
  const binWidth = width / bins;
  const y = (share: number): number => height - 12 - (share / largest) * (height - 16);
  const bars = before.map((share, i) => `<rect class="input" x="${(i * binWidth).toFixed(2)}" y="${y(share).toFixed(2)}" width="${(binWidth - 1).toFixed(2)}" height="${(height - 12 - y(share)).toFixed(2)}"/>`);
  const steps = after.map((share, i) => `${i === 0 ? 'M' : 'L'}${(i * binWidth).toFixed(2)},${y(share).toFixed(2)}H${((i + 1) * binWidth).toFixed(2)}`).join('');
  return (
    `<svg class="histogram" viewBox="0 0 ${width} ${height}" width="${width}" role="img" aria-label="input and output distributions">` +
    `${bars.join('')}<path class="output" d="${steps}"/>` +
    `<text class="axis" x="0" y="${height - 1}">${escapeHtml(formatValue(low))}</text>` +
    `<text class="axis" x="${width}" y="${height - 1}" text-anchor="end">${escapeHtml(formatValue(high))}</text></svg>`
  );
}

/** Each bin's share of the values, over `bins` equal bins from `low` to `high` (values outside in the end bins). */
function binShares(values: Float64Array, low: number, high: number, bins: number): number[] {
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((((values[i] as number) - low) / (high - low)) * bins)));
    counts[bin] = (counts[bin] as number) + 1;
  }
  return Array.from(counts, (n) => (values.length === 0 ? 0 : n / values.length));
}

/** A quantile of ascending values (at least one). */
function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] as number;
}

function formatValue(value: number): string {
  return Math.abs(value) >= 1e5 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
