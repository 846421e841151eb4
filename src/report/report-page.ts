/**
 * The report as one self-contained HTML page: no script, no network, one inline style sheet and inline SVG.
 * Every value from the data or the command line is escaped.
 */
import type { DrawnCheck } from './distribution-checks.js';
import { escapeHtml } from './escape-html.js';
import { formatCount } from '../text/format-count.js';
import { classBars, histogramOverlay, type ClassBar } from './svg-charts.js';

/** What the page shows. */
export interface ReportModel {
  /** `balance` or `weight`. */
  readonly job: string;
  /** One line under the title, such as "under-sampling (exact) of 5,000,000 rows". */
  readonly summary: string;
  /** Rows per class before and after. */
  readonly classes: readonly ClassBar[];
  /** Class key -> the class as shown. */
  readonly classNames: ReadonlyMap<string, string>;
  /** Checks drawn, by class then column. */
  readonly checks: readonly DrawnCheck[];
  /** Numeric columns not drawn (beyond the limit, or not chosen). */
  readonly listed: readonly string[];
  /** Columns that are not numeric (not checked). */
  readonly other: readonly string[];
  /** Rows sampled per class and side. */
  readonly sampleSize: number;
  /** Weighting: per class, its weight and weighted total; and the effective sample size. */
  readonly weights?: { readonly classes: ReadonlyArray<{ readonly label: string; readonly weight: number; readonly rows: number }>; readonly effectiveSize: number } | undefined;
  /** The run's facts, as name and value. */
  readonly recipe: ReadonlyArray<readonly [string, string]>;
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2933;background:#f7f8fa}
main{max-width:1200px;margin:0 auto;padding:24px 20px 48px}h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 8px}
h3{font-size:15px;margin:20px 0 6px}.summary{color:#52606d;margin:0 0 8px}section{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:16px;margin-top:16px;overflow:hidden}section>h2:first-child{margin-top:0}
.legend span{display:inline-block;margin-right:16px}.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.swatch.input{background:#9fb3c8}.swatch.output{background:#e12d39}.bars{max-width:100%;height:auto}
.bar.input{fill:#9fb3c8}.bar.output{fill:#e12d39}svg text{font-size:11px;fill:#323f4b}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}
.cell{border:1px solid #e4e7eb;border-radius:6px;padding:8px;min-width:0}.cell h4{margin:0 0 4px;font-size:13px;overflow-wrap:anywhere}
.histogram{width:100%;height:auto}.histogram rect.input{fill:#bcccdc}.histogram path.output{fill:none;stroke:#e12d39;stroke-width:1.5}
.histogram .axis{font-size:9px;fill:#7b8794}.ks{font-variant-numeric:tabular-nums;color:#323f4b;font-size:12px}.ks.far{color:#ab091e;font-weight:600}
table{border-collapse:collapse;width:100%;table-layout:fixed}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top;overflow-wrap:anywhere}
th{width:200px;color:#52606d;font-weight:500}td.number,th.number{text-align:right}.note{color:#52606d;font-size:13px}
`;

/** The page's HTML. */
export function reportPage(model: ReportModel): string {
  const name = (key: string): string => escapeHtml(model.classNames.get(key) ?? key);
  const byClass = new Map<string, DrawnCheck[]>();
  for (const check of model.checks) byClass.set(check.class, [...(byClass.get(check.class) ?? []), check]);
  const distributions = [...byClass]
    .map(([key, checks]) => `<h3>class ${name(key)}</h3><div class="grid">${checks.map((check) => cell(check, name(key))).join('')}</div>`)
    .join('');
  const listed = model.listed.length === 0 ? '' : `<p class="note">Numeric columns not drawn: ${model.listed.map((c) => `<code>${escapeHtml(c)}</code>`).join(', ')}.</p>`;
  const other = model.other.length === 0 ? '' : `<p class="note">Columns that are not numbers, not checked: ${model.other.map((c) => `<code>${escapeHtml(c)}</code>`).join(', ')}.</p>`;
  const weights =
    model.weights === undefined
      ? ''
      : `<section><h2>Weights</h2><table><thead><tr><th>class</th><th class="number">weight</th><th class="number">rows</th><th class="number">weighted total</th></tr></thead><tbody>${model.weights.classes
          .map((c) => `<tr><td>${escapeHtml(c.label)}</td><td class="number">${c.weight.toPrecision(6)}</td><td class="number">${formatCount(c.rows)}</td><td class="number">${(c.weight * c.rows).toFixed(1)}</td></tr>`)
          .join('')}</tbody></table><p class="note">Effective sample size (Kish): ${model.weights.effectiveSize.toFixed(1)}.</p></section>`;
  const recipe = model.recipe.map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>arrow-balance ${escapeHtml(model.job)} report</title><style>${STYLE}</style></head>
<body><main>
<h1>arrow-balance ${escapeHtml(model.job)} report</h1><p class="summary">${escapeHtml(model.summary)}</p>
<section><h2>Rows per class</h2><p class="legend"><span><i class="swatch input"></i>input</span>${model.classes.some((c) => c.output !== undefined) ? '<span><i class="swatch output"></i>output</span>' : ''}</p>${classBars(model.classes)}</section>
${weights}
${model.weights === undefined ? distributionSection(model, distributions, listed, other) : '<section><h2>Distributions</h2><p class="note">Weighting keeps every row as it is: each class\'s distribution in the output is its distribution in the input.</p></section>'}
<section><h2>Recipe</h2><table><tbody>${recipe}</tbody></table></section>
</main></body></html>
`;
}

function distributionSection(model: ReportModel, distributions: string, listed: string, other: string): string {
  return `<section><h2>Each class's distribution, input and output</h2>
<p class="legend"><span><i class="swatch input"></i>input</span><span><i class="swatch output"></i>output</span></p>
<p class="note">For each class and numeric column: the values of up to ${formatCount(model.sampleSize)} rows sampled uniformly on each side, and the two-sample Kolmogorov-Smirnov distance between them, with its p-value. &plusmn; bounds the error the sampling adds to the distance (95 %).</p>
${distributions || '<p class="note">No numeric column to check.</p>'}${listed}${other}</section>`;
}

function cell(check: DrawnCheck, className: string): string {
  const far = check.pValue < 0.001 ? ' far' : '';
  return `<div class="cell" data-class="${className}" data-column="${escapeHtml(check.column)}" data-ks="${check.ks}">
<h4>${escapeHtml(check.column)}</h4>${histogramOverlay(check.input, check.output)}
<div class="ks${far}">KS ${check.ks.toFixed(4)} &plusmn; ${check.error.toFixed(3)} &middot; p ${formatP(check.pValue)} &middot; n ${formatCount(check.inputValues)} / ${formatCount(check.outputValues)}</div></div>`;
}

function formatP(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}
