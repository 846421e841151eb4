/**
 * Turning a `TrainingBatch` into tfjs tensors: features, targets (0/1 column or one-hot rows) and weights.
 */
import * as tf from '@tensorflow/tfjs';
import { classKey } from '../classes/class-value.js';
import { withPrefix } from '../errors.js';
import type { TrainingBatch } from '../train/training-batch.js';

/** A mini-batch as tensors; dispose them (or create them inside `tf.tidy`). */
export interface BatchTensors {
  /** Features, shape `[rows, features]`. */
  readonly x: tf.Tensor2D;
  /** Targets, shape `[rows, units]`: a 0/1 column for `units` 1, one-hot rows otherwise. */
  readonly y: tf.Tensor2D;
  /** Per-row weights, shape `[rows]`, when the batch has them. */
  readonly w?: tf.Tensor1D;
}

/**
 * The features of a batch as a `[rows, features]` float32 tensor (the batch's `x` is used as is).
 *
 * @param batch a mini-batch from `trainingBatches`
 * @returns the tensor
 */
export function batchFeatures(batch: TrainingBatch): tf.Tensor2D {
  return tf.tensor2d(batch.x, [batch.rows, batch.features], 'float32');
}

/**
 * The targets of a batch for a model with `units` outputs.
 *
 * `units` 1 (one sigmoid unit): a `[rows, 1]` column holding the class index, which must be 0 or 1.
 * `units` K > 1 (softmax): one-hot rows of width K; class indices must be below K.
 *
 * @param batch a mini-batch
 * @param units the model's output units
 * @returns a float32 `[rows, units]` tensor
 * @throws RangeError when a class index does not fit the model (naming the class)
 */
export function batchTargets(batch: TrainingBatch, units: number): tf.Tensor2D {
  if (!Number.isSafeInteger(units) || units < 1) throw new RangeError(withPrefix(`units must be a positive integer; got ${units}`));
  const limit = units === 1 ? 2 : units;
  const { y, rows } = batch;
  for (let i = 0; i < rows; i++) {
    const index = y[i] as number;
    if (index >= limit) {
      const value = batch.classes[index];
      throw new RangeError(withPrefix(
        `class ${value === undefined ? `index ${index}` : classKey(value)} (index ${index}) does not fit a model with ${units} output unit${units === 1 ? '' : 's'}; `
        + (units === 1 ? 'a sigmoid model takes two classes, indices 0 and 1: fix them with the "classes" option' : 'give the model one unit per class'),
      ));
    }
  }
  if (units === 1) return tf.tensor2d(Float32Array.from(y.subarray(0, rows)), [rows, 1], 'float32');
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(y.subarray(0, rows), 'int32'), units), 'float32') as tf.Tensor2D);
}

/**
 * The per-row weights of a batch as a `[rows]` tensor.
 *
 * @param batch a mini-batch
 * @returns the tensor, or undefined when the batch carries no weights
 */
export function batchWeights(batch: TrainingBatch): tf.Tensor1D | undefined {
  return batch.w === undefined ? undefined : tf.tensor1d(batch.w, 'float32');
}

/**
 * Features, targets and weights of a batch in one call.
 *
 * ## Example
 * ```ts
 * const { x, y } = batchTensors(batch, 1);
 * const loss = tf.metrics.binaryCrossentropy(y, model.predict(x) as tf.Tensor);
 * tf.dispose([x, y, loss]);
 * ```
 * @param batch a mini-batch
 * @param units the model's output units (1 for a sigmoid model)
 * @returns the tensors; the caller disposes them
 */
export function batchTensors(batch: TrainingBatch, units: number): BatchTensors {
  const y = batchTargets(batch, units);
  const x = batchFeatures(batch);
  const w = batchWeights(batch);
  return w === undefined ? { x, y } : { x, y, w };
}
