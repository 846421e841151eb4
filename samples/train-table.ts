/**
 * Printing the trainer sample's results as a Markdown table (readable in a terminal, pasteable in a README).
 */
import { classKey } from '../src/classes/class-value.js';
import type { ComparisonSettings, DatasetResult } from './train-comparison.js';

const LABELS: Readonly<Record<string, string>> = {
  plain: 'plain',
  weighted: 'class weights (`weight()` + `trainStep`)',
  focal: 'focal loss (gamma 2, balanced alpha)',
  under: 'undersampled (`balance()`)',
  over: 'oversampled (`balance()` + `shuffle()`)',
};

/**
 * One dataset's results: a heading line with the split and settings, then a row per method with the recall of
 * every class, the minority class's precision, balanced accuracy and macro-F1.
 *
 * @param result the dataset's results
 * @param settings the settings used
 * @returns Markdown text
 */
export function formatResults(result: DatasetResult, settings: ComparisonSettings): string {
  const keys = result.classes.map((value) => classKey(value));
  const minority = keys.length - 1;
  const counts = (byClass: Readonly<Record<string, number>>): string => {
    const total = keys.reduce((sum, key) => sum + (byClass[key] ?? 0), 0);
    return `${total.toLocaleString('en')} (${keys.map((key) => `${key}: ${(byClass[key] ?? 0).toLocaleString('en')}`).join(', ')})`;
  };
  const header = ['method', ...keys.map((key) => `recall ${key}`), `precision ${keys[minority] ?? ''}`, 'balanced accuracy', 'macro-F1'];
  const rows = result.results.map(({ method, metrics }) => [
    LABELS[method] ?? method,
    ...metrics.recall.map(fixed),
    fixed(metrics.precision[minority] ?? 0),
    fixed(metrics.balancedAccuracy),
    fixed(metrics.macroF1),
  ]);
  return [
    `**${result.name}**: train ${counts(result.trainCounts)}, test ${counts(result.testCounts)}; `
    + `${settings.steps.toLocaleString('en')} Adam steps (learning rate ${settings.learningRate}) of ${settings.batchSize} rows, seed ${settings.seed}`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}

function fixed(value: number): string {
  return value.toFixed(3);
}
