/**
 * The five ways the trainer sample trains: plain, class-weighted, focal loss, undersampled, oversampled.
 * Each is a pipeline for `trainingBatches`, an optional weight column and a per-example loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { RecordBatch } from 'apache-arrow';
import { pipe } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { balance } from '../operators/balance.js';
import { shuffle } from '../operators/shuffle.js';
import { weight } from '../operators/weight.js';
import type { ClassValue } from '../src/classes/class-value.js';
import { focalLoss } from '../src/tfjs/index.js';
import type { PerExampleLoss } from '../src/tfjs/index.js';
import { classWeights } from '../src/weights/class-weights.js';

/** The training methods compared, in table order. */
export const METHODS = ['plain', 'weighted', 'focal', 'under', 'over'] as const;

/** One training method. */
export type Method = (typeof METHODS)[number];

/** What a method needs to know about the data. */
export interface MethodContext {
  /** Label column. */
  readonly label: string;
  /** Classes in index order (majority first). */
  readonly classes: readonly ClassValue[];
  /** Train rows per class, keyed by `classKey`. */
  readonly counts: Readonly<Record<string, number>>;
  /** Seed for the samplers. */
  readonly seed: number;
  /** Focusing parameter of the focal loss. */
  readonly gamma: number;
}

/** How one method feeds and scores the model. */
export interface MethodPlan {
  /** Operators between the Parquet file and the mini-batches, if any. */
  readonly pipeline: OperatorFunction<RecordBatch, RecordBatch> | undefined;
  /** The weight column the pipeline adds, for the weighted step. */
  readonly weight: string | undefined;
  /** Per-example loss. */
  readonly loss: PerExampleLoss;
}

/**
 * Rows one pass over the train file yields with this method (undersampling: K x n_min; oversampling: K x n_max).
 *
 * @param method the method
 * @param counts train rows per class
 * @returns rows per epoch
 */
export function rowsPerEpoch(method: Method, counts: Readonly<Record<string, number>>): number {
  const sizes = Object.values(counts);
  if (method === 'under') return sizes.length * Math.min(...sizes);
  if (method === 'over') return sizes.length * Math.max(...sizes);
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * The pipeline, weight column and loss of a method, for a stream of `epochs` passes over the train file.
 *
 * - plain: cross-entropy, no pipeline.
 * - weighted: `weight()` appends balanced class weights N / (K n_c); the weighted step applies them.
 * - focal: focal loss with gamma and, as alpha, the balanced class weights (Lin et al.'s alpha-balanced form).
 * - under: `balance({ strategy: 'under' })`, exact, every class cut to the minority's size.
 * - over: `balance({ strategy: 'over' })`, exact, every class raised to the majority's size, then `shuffle()`
 *   to spread the copies.
 *
 * @param method the method
 * @param context label, classes, counts, seed, gamma
 * @param epochs passes over the train file in the stream (exact counts are scaled by it)
 * @returns the plan
 */
export function planMethod(method: Method, context: MethodContext, epochs: number): MethodPlan {
  const { label, classes, seed } = context;
  const binary = classes.length === 2;
  const crossEntropy: PerExampleLoss = binary ? tf.metrics.binaryCrossentropy : tf.metrics.categoricalCrossentropy;
  const counts = Object.fromEntries(Object.entries(context.counts).map(([key, n]) => [key, n * epochs]));
  switch (method) {
    case 'plain':
      return { pipeline: undefined, weight: undefined, loss: crossEntropy };
    case 'weighted':
      return { pipeline: weight({ label, counts }), weight: 'weight', loss: crossEntropy };
    case 'focal': {
      const alpha = classWeights(context.counts);
      return { pipeline: undefined, weight: undefined, loss: focalLoss({ gamma: context.gamma, alpha, classes, reduction: 'none' }) };
    }
    case 'under':
      return { pipeline: balance({ label, strategy: 'under', mode: 'exact', counts, seed }), weight: undefined, loss: crossEntropy };
    case 'over': {
      const bufferRows = Math.min(rowsPerEpoch('over', context.counts), 1 << 15);
      return {
        pipeline: pipe(balance({ label, strategy: 'over', mode: 'exact', counts, seed }), shuffle({ bufferRows, seed })),
        weight: undefined,
        loss: crossEntropy,
      };
    }
  }
}
