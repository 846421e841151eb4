import type { Schema } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import { escapeText } from '../text/escape-text.js';
import { isReportable } from './sample-tap.js';

/** Columns drawn when none are chosen. */
export const DEFAULT_REPORT_COLUMNS = 12;

/** Which columns a report checks: drawn, numeric but not drawn, and not numeric (neither). */
export interface ReportColumns {
  readonly drawn: readonly string[];
  readonly listed: readonly string[];
  readonly other: readonly string[];
}

/**
 * The report's columns: the chosen ones, or the first `limit` numeric columns; never the label nor the
 * columns the job adds.
 * @param schema the input's schema
 * @param skip the label and any column the job adds (an importance weight)
 * @param chosen columns asked for by name, if any
 * @param limit most columns drawn when none are chosen
 * @throws ArrowBalanceError for a chosen column that is not in the input, is skipped or is not numeric
 */
export function reportColumns(schema: Schema, skip: readonly string[], chosen: readonly string[] | undefined, limit = DEFAULT_REPORT_COLUMNS): ReportColumns {
  const fields = schema.fields.filter((f) => !skip.includes(f.name));
  const numeric = fields.filter((f) => isReportable(f.type)).map((f) => f.name);
  const other = fields.filter((f) => !isReportable(f.type)).map((f) => f.name);
  if (chosen === undefined) return { drawn: numeric.slice(0, limit), listed: numeric.slice(limit), other };
  for (const name of chosen) {
    const field = schema.fields.find((f) => f.name === name);
    const quoted = `"${escapeText(name)}"`;
    if (field === undefined) throw new ArrowBalanceError(`report column ${quoted} is not in the input; its columns are ${schema.fields.map((f) => `"${escapeText(f.name)}"`).join(', ')}`);
    if (skip.includes(name)) throw new ArrowBalanceError(`report column ${quoted} is the label or a column the job adds; choose feature columns`);
    if (!isReportable(field.type)) throw new ArrowBalanceError(`report column ${quoted} holds ${escapeText(String(field.type))}, not numbers; choose integer or floating-point columns`);
  }
  return { drawn: [...new Set(chosen)], listed: numeric.filter((name) => !chosen.includes(name)), other };
}
