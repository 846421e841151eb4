/**
 * One optimiser step on a `TrainingBatch`, with per-record weights applied to any per-example tfjs loss
 * (tfjs's `model.fit` rejects sample weights and `fitDataset` ignores them).
 */
import * as tf from '@tensorflow/tfjs';
import { withPrefix } from '../errors.js';
import type { TrainingBatch } from '../train/training-batch.js';
import { batchFeatures, batchTargets } from './batch-tensors.js';
import type { PerExampleLoss } from './focal-loss.js';

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  /** Per-row weights to use instead of the batch's `w`; `false` ignores `w` (an unweighted step). */
  readonly weights?: Float32Array | false;
}

/**
 * Runs the model on a batch, computes the loss, and updates the model's trainable weights once.
 *
 * The loss is the mean over the batch's rows of `w_i * loss_i`, with `w` from the batch (or `weights`), as
 * Keras does with `sample_weight`; without weights it is the plain mean. `loss` must return one value per
 * row: `tf.metrics.binaryCrossentropy`, `tf.metrics.categoricalCrossentropy`,
 * `focalLoss({ reduction: 'none' })`, or your own. Targets follow the model's output units: a 0/1 column for
 * one sigmoid unit, one-hot rows otherwise (see `batchTargets`). Tensors made here are disposed here.
 *
 * ## Example
 * ```ts
 * const optimizer = tf.train.adam(0.01);
 * for await (const batch of trainingBatches('train.parquet', { features, label: 'y', weight: 'weight', batchSize: 128,
 *   pipeline: weight({ label: 'y', counts }) })) {
 *   trainStep(model, optimizer, batch, tf.metrics.binaryCrossentropy);
 * }
 * ```
 * @param model a tfjs layers model with one output
 * @param optimizer any tfjs optimizer (its state carries over between steps)
 * @param batch a mini-batch from `trainingBatches`
 * @param loss a per-example loss `(yTrue, yPred) => Tensor` of shape `[rows]`
 * @param options `weights`: override or (`false`) ignore the batch's weights
 * @returns the loss before the update
 * @throws RangeError when the loss does not return one value per row, or weights do not match the rows
 */
export function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, batch: TrainingBatch, loss: PerExampleLoss, options: TrainStepOptions = {}): number {
  const weights = options.weights === false ? undefined : (options.weights ?? batch.w);
  const { rows } = batch;
  if (weights !== undefined && weights.length < rows) {
    throw new RangeError(withPrefix(`trainStep got ${weights.length} weights for a batch of ${rows} rows`));
  }
  const units = outputUnits(model);
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const cost = tf.tidy(() => {
    const x = batchFeatures(batch);
    const y = batchTargets(batch, units);
    const w = weights === undefined ? undefined : tf.tensor1d(weights.subarray(0, rows), 'float32');
    return optimizer.minimize(() => {
      const perExample = loss(y, model.apply(x, { training: true }) as tf.Tensor);
      if (perExample.size !== rows) {
        throw new RangeError(withPrefix(
          `trainStep needs a loss with one value per row (${rows}); it returned shape [${perExample.shape.join(', ')}]: `
          + "use tf.metrics.binaryCrossentropy, tf.metrics.categoricalCrossentropy or focalLoss({ reduction: 'none' })",
        ));
      }
      const flat = tf.reshape(perExample, [rows]);
      return tf.mean(w === undefined ? flat : tf.mul(flat, w)) as tf.Scalar;
    }, true, variables) as tf.Scalar;
  });
  const value = cost.dataSync()[0] as number;
  cost.dispose();
  return value;
}

/**
 * The number of output units of a single-output model.
 *
 * @param model a tfjs layers model
 * @returns the size of the last output axis
 * @throws RangeError for a model with several outputs or an unknown output size
 */
export function outputUnits(model: tf.LayersModel): number {
  const [output, ...others] = model.outputs;
  const units = output?.shape[output.shape.length - 1];
  if (others.length > 0 || typeof units !== 'number') {
    throw new RangeError(withPrefix('trainStep needs a model with one output of known size, e.g. a dense layer with `units` set'));
  }
  return units;
}
