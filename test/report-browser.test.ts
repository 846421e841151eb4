import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BalanceReport } from '../src/jobs/balance-report.js';
import { openDuckDb } from './support/duckdb.js';
import { runCli } from './support/run-cli.js';

/** Debian's chromium (`.ci/run` installs it); CHROMIUM_PATH names another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots go here (ignored by git). */
const SCREENSHOTS = resolve('out/test-screenshots');

let dir: string;
let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  dir = await mkdtemp(join(tmpdir(), 'ab-report-browser-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The page's full width, evaluated in the page (as text: this test's TypeScript has no DOM types). */
const SCROLL_WIDTH = 'document.documentElement.scrollWidth';

/** Opens a page at 1280x800 and records console errors, dialogs and every request it makes. */
async function open(path: string): Promise<{ page: import('puppeteer-core').Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`file://${path}`, { waitUntil: 'load' });
  return { page, problems, requests };
}

describe('the report page in Chromium', () => {
  it('shows every class with bars as tall as its counts, every check with its distance, and fits 1280 px', async () => {
    const page = join(dir, 'report.html');
    const run = await runCli(['balance', resolve('samples/mammography.parquet'), '--label', 'label', '-o', join(dir, 'out.parquet'), '--seed', '5', '--report', page, '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as BalanceReport;
    const { page: tab, problems, requests } = await open(page);
    try {
      expect(problems).toEqual([]);
      // Self-contained: the page itself is the only thing loaded.
      expect(requests).toEqual([`file://${page}`]);
      const bars = await tab.$$eval('rect.bar', (rects) => rects.map((r) => ({ side: r.dataset.side, label: r.dataset.class, count: Number(r.dataset.count), height: r.getBoundingClientRect().height })));
      const expected = report.inputCounts.classes.flatMap((c) => [
        { side: 'input', label: String(c.value), count: c.count },
        { side: 'output', label: String(c.value), count: report.outputCounts?.classes.find((o) => o.value === c.value)?.count },
      ]);
      expect(bars.map(({ side, label, count }) => ({ side, label, count }))).toEqual(expected);
      // Heights are proportional to counts (to a pixel's rounding).
      const perRow = (bars[0]?.height ?? 0) / (bars[0]?.count ?? 1);
      for (const bar of bars) expect(Math.abs(bar.height - bar.count * perRow)).toBeLessThan(1.5);
      const labels = await tab.$$eval('svg.bars text.count', (texts) => texts.map((t) => t.textContent));
      expect(labels).toEqual(bars.map((bar) => bar.count.toLocaleString('en-US')));
      const cells = await tab.$$eval('.cell', (divs) => divs.map((d) => ({ class: d.dataset.class, column: d.dataset.column, ks: Number(d.dataset.ks), text: d.querySelector('.ks')?.textContent ?? '' })));
      expect(cells.map((c) => `${c.class}/${c.column}`)).toEqual((report.ks ?? []).map((c) => `${c.class}/${c.column}`));
      (report.ks ?? []).forEach((check, i) => {
        expect(cells[i]?.ks).toBeCloseTo(check.ks, 6);
        expect(cells[i]?.text).toContain(`KS ${check.ks.toFixed(4)}`);
      });
      const width = (await tab.evaluate(SCROLL_WIDTH)) as number;
      expect(width).toBeLessThanOrEqual(1280);
      await tab.screenshot({ path: join(SCREENSHOTS, 'report-1280x800.png') as `${string}.png` });
    } finally {
      await tab.close();
    }
  }, 60_000);

  it('shows hostile class values and column names as text: nothing runs', async () => {
    const input = join(dir, 'hostile.parquet');
    const db = await openDuckDb();
    try {
      await db.run(
        `COPY (SELECT i::DOUBLE AS "<img src=y onerror=alert(2)>", CASE WHEN i % 10 = 0 THEN '<img src=x onerror=alert(1)>' ELSE '</svg><script>alert(3)</script>' END AS label
         FROM range(3000) t(i)) TO '${input}' (FORMAT parquet)`,
      );
    } finally {
      db.close();
    }
    const page = join(dir, 'hostile.html');
    const run = await runCli(['balance', input, '--label', 'label', '-o', join(dir, 'hostile-out.parquet'), '--report', page]);
    expect(run.status).toBe(0);
    const { page: tab, problems, requests } = await open(page);
    try {
      expect(problems).toEqual([]);
      expect(requests).toEqual([`file://${page}`]);
      expect(await tab.$$('img, script')).toHaveLength(0);
      const text = (await tab.evaluate('document.body.innerText')) as string;
      expect(text).toContain('class "<img src=x onerror=alert(1)>"');
      expect(text).toContain('<img src=y onerror=alert(2)>');
      expect((await tab.evaluate(SCROLL_WIDTH)) as number).toBeLessThanOrEqual(1280);
      await tab.screenshot({ path: join(SCREENSHOTS, 'report-hostile.png') as `${string}.png`, fullPage: true });
    } finally {
      await tab.close();
    }
  }, 60_000);
});
