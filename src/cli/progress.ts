import type { BalanceProgress } from '../jobs/balance-report.js';
import { formatCount } from '../text/format-count.js';

/**
 * A progress line on stderr (rows, rows/s, ETA), redrawn in place at most a few times a second.
 * @param write writes to stderr
 * @returns the `onProgress` callback, and `done` to clear the line
 */
export function progressLine(write: (text: string) => void): { onProgress: (progress: BalanceProgress) => void; done: () => void } {
  const started = performance.now();
  let last = 0;
  let shown = false;
  return {
    onProgress(progress) {
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      const seconds = (now - started) / 1000;
      const rate = progress.rowsRead / Math.max(seconds, 1e-3);
      const total = progress.rowsTotal;
      const eta = total !== undefined && progress.phase === 'balance' && rate > 0 ? `, ETA ${Math.max(0, (total - progress.rowsRead) / rate).toFixed(0)} s` : '';
      const of = total === undefined ? '' : ` of ${formatCount(total)}`;
      write(`\r\x1b[K${progress.phase === 'count' ? 'counting' : 'balancing'}: ${formatCount(progress.rowsRead)}${of} rows, ${(rate / 1e6).toFixed(2)} M rows/s${eta}`);
      shown = true;
    },
    done() {
      if (shown) write('\r\x1b[K');
    },
  };
}
