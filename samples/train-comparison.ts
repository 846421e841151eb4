/**
 * The trainer sample's core: train one model per method on each dataset and score it on held-out rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ClassValue } from '../src/classes/class-value.js';
import type { ClassMetrics } from './train-metrics.js';
import { METHODS } from './train-methods.js';
import type { Method } from './train-methods.js';
import { testModel, trainModel } from './train-model.js';
import { splitDataset } from './train-split.js';

/** A Parquet file to train on. */
export interface DatasetSpec {
  /** Name shown in the table. */
  readonly name: string;
  /** The Parquet file. */
  readonly path: string;
  /** Label column. */
  readonly label: string;
  /** Feature columns. */
  readonly features: readonly string[];
}

/** The two sample datasets, read from `samples/` under the working directory (the package root). */
export const SAMPLE_DATASETS: readonly DatasetSpec[] = [
  { name: 'mammography', path: 'samples/mammography.parquet', label: 'label', features: ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'] },
  {
    name: 'page-blocks',
    path: 'samples/page-blocks.parquet',
    label: 'label',
    features: ['height', 'length', 'area', 'eccen', 'p_black', 'p_and', 'mean_tr', 'blackpix', 'blackand', 'wb_trans'],
  },
];

/** Options of {@link runTrainingComparison}; every one has a default. */
export interface ComparisonOptions {
  /** Datasets (default: both samples). */
  readonly datasets?: readonly DatasetSpec[];
  /** Methods, in table order (default all five). */
  readonly methods?: readonly Method[];
  /** Adam steps per model (default 2,000). */
  readonly steps?: number;
  /** Rows per mini-batch (default 128). */
  readonly batchSize?: number;
  /** Adam learning rate (default 0.01). */
  readonly learningRate?: number;
  /** Seed of the split, the train order and the samplers (default 1). */
  readonly seed?: number;
  /** Share of each class held out (default 0.3). */
  readonly testShare?: number;
  /** Focal loss gamma (default 2). */
  readonly gamma?: number;
  /** Called after each model with its result, e.g. to print progress. */
  readonly onResult?: (dataset: string, result: MethodResult) => void;
}

/** One model's scores. */
export interface MethodResult {
  readonly method: Method;
  readonly metrics: ClassMetrics;
  /** Wall time of training and testing. */
  readonly seconds: number;
}

/** The results on one dataset. */
export interface DatasetResult {
  readonly name: string;
  /** Classes in index order: majority first, minority last. */
  readonly classes: readonly ClassValue[];
  readonly trainCounts: Readonly<Record<string, number>>;
  readonly testCounts: Readonly<Record<string, number>>;
  readonly results: readonly MethodResult[];
}

/** The settings used, with defaults filled in. */
export type ComparisonSettings = Required<Omit<ComparisonOptions, 'onResult' | 'datasets' | 'methods'>>;

/**
 * Fills in the defaults of {@link ComparisonOptions}.
 *
 * @param options what was given
 * @returns steps, batch size, learning rate, seed, test share, gamma
 */
export function comparisonSettings(options: ComparisonOptions = {}): ComparisonSettings {
  return {
    steps: options.steps ?? 2000,
    batchSize: options.batchSize ?? 128,
    learningRate: options.learningRate ?? 0.01,
    seed: options.seed ?? 1,
    testShare: options.testShare ?? 0.3,
    gamma: options.gamma ?? 2,
  };
}

/**
 * Trains a logistic-regression (two classes) or softmax-regression model per method and dataset with tfjs's
 * pure-JavaScript CPU backend, on a fixed stratified split, with features standardised by train-set mean and
 * standard deviation, and scores each on the held-out rows.
 *
 * ## Example
 * ```ts
 * const [mammography] = await runTrainingComparison({ datasets: [SAMPLE_DATASETS[0]!], steps: 300 });
 * console.log(mammography.results.map((r) => [r.method, r.metrics.recall[1]]));
 * ```
 * @param options datasets, methods, steps, batch size, learning rate, seed, test share, gamma, progress callback
 * @returns per dataset, the metrics of every method
 */
export async function runTrainingComparison(options: ComparisonOptions = {}): Promise<DatasetResult[]> {
  const settings = comparisonSettings(options);
  await tf.setBackend('cpu');
  const out: DatasetResult[] = [];
  for (const dataset of options.datasets ?? SAMPLE_DATASETS) {
    const dir = await mkdtemp(join(tmpdir(), `arrow-balance-${dataset.name}-`));
    try {
      const split = await splitDataset({
        path: dataset.path, label: dataset.label, features: dataset.features, testShare: settings.testShare,
        seed: settings.seed, dir, rowGroupSize: 1024,
      });
      const setup = {
        ...settings, ...split, label: dataset.label, features: dataset.features, counts: split.trainCounts,
      };
      const results: MethodResult[] = [];
      for (const method of options.methods ?? METHODS) {
        const started = performance.now();
        const model = await trainModel(method, setup);
        const metrics = await testModel(model, setup);
        model.dispose();
        const result = { method, metrics, seconds: (performance.now() - started) / 1000 };
        results.push(result);
        options.onResult?.(dataset.name, result);
      }
      out.push({ name: dataset.name, classes: split.classes, trainCounts: split.trainCounts, testCounts: split.testCounts, results });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return out;
}
