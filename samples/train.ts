/**
 * `npm run train`: trains logistic-regression models with tfjs on the sample datasets five ways (plain,
 * class weights, focal loss, undersampled, oversampled) through `trainingBatches`, and prints a table per
 * dataset of per-class recall, minority precision, balanced accuracy and macro-F1 on held-out rows.
 *
 * Usage: `node dist/samples/train.js [--steps 2000] [--batch-size 128] [--learning-rate 0.01] [--seed 1]
 * [--dataset mammography|page-blocks]...` from the package root.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { comparisonSettings, runTrainingComparison, SAMPLE_DATASETS } from './train-comparison.js';
import type { ComparisonOptions } from './train-comparison.js';
import { formatResults } from './train-table.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      seed: { type: 'string' },
      dataset: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write('usage: node dist/samples/train.js [--steps N] [--batch-size N] [--learning-rate R] [--seed N] [--dataset mammography|page-blocks]...\n');
    return;
  }
  const number = (text: string | undefined, name: string, integer = true): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isSafeInteger(value))) {
      throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}; got ${text}`);
    }
    return value;
  };
  const datasets = values.dataset === undefined ? SAMPLE_DATASETS : values.dataset.map((name) => {
    const found = SAMPLE_DATASETS.find((dataset) => dataset.name === name);
    if (found === undefined) throw new Error(`unknown dataset ${name}; use ${SAMPLE_DATASETS.map((d) => d.name).join(' or ')}`);
    return found;
  });
  const options: ComparisonOptions = {
    datasets,
    ...optional('steps', number(values.steps, 'steps')),
    ...optional('batchSize', number(values['batch-size'], 'batch-size')),
    ...optional('learningRate', number(values['learning-rate'], 'learning-rate', false)),
    ...optional('seed', number(values.seed, 'seed')),
    onResult: (dataset, result) => process.stderr.write(`${dataset}: ${result.method} trained and tested in ${result.seconds.toFixed(1)} s\n`),
  };
  tf.enableProdMode(); // no debug checks, and no "install tfjs-node" notice: this sample uses the pure-JS CPU backend
  const results = await runTrainingComparison(options);
  const settings = comparisonSettings(options);
  process.stdout.write(`${results.map((result) => formatResults(result, settings)).join('\n\n')}\n`);
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

main().catch((error: unknown) => {
  process.stderr.write(`train: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
