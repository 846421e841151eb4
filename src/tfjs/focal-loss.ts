/**
 * Focal loss (Lin et al. 2017) as a tfjs loss function, binary and multi-class.
 */
import * as tf from '@tensorflow/tfjs';
import type { ClassValue } from '../classes/class-value.js';
import { withPrefix } from '../errors.js';
import { resolveAlpha } from './class-alpha.js';
import type { ClassAlpha, ResolvedAlpha } from './class-alpha.js';

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before the logarithm (Keras's epsilon). */
export const EPSILON = 1e-7;

/** Options of {@link focalLoss}. */
export interface FocalLossOptions {
  /** Focusing parameter, >= 0 (default 2). 0 gives (alpha-weighted) cross-entropy. */
  readonly gamma?: number;
  /**
   * Class balance. A number (binary: alpha for class 1 and 1 - alpha for class 0, as in Lin et al.;
   * multi-class: one factor for every class), or per-class weights: an array in class-index order or a Map
   * from class value such as `classWeights()` returns (then `classes` is needed). Default: none (1).
   */
  readonly alpha?: number | ClassAlpha;
  /** Class values in index order, to line up a Map `alpha` (a `TrainingBatch`'s `classes`). */
  readonly classes?: readonly ClassValue[];
  /** `'mean'` (default): a Scalar, for `model.compile`; `'none'`: one loss per example, for {@link trainStep}. */
  readonly reduction?: 'mean' | 'none';
}

/** A loss that returns one value per example (shape `[rows]`). */
export type PerExampleLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * The focal loss FL = -alpha_t (1 - p_t)^gamma log(p_t), which down-weights well-classified examples so that
 * hard ones (often the minority class) carry the loss.
 *
 * Binary: `yPred` holds sigmoid probabilities of class 1, shape `[rows, 1]` (or `[rows]`), `yTrue` 0/1 of the
 * same shape; p_t = p for class 1 and 1 - p for class 0. Multi-class: `yPred` holds softmax probabilities
 * `[rows, K]` and `yTrue` one-hot rows; the loss is summed over classes. Probabilities are clipped to
 * [1e-7, 1 - 1e-7], so the loss and its gradients stay finite at p = 0 or 1. With `gamma = 0` and no alpha
 * it equals binary / categorical cross-entropy.
 *
 * ## Example
 * ```ts
 * import { focalLoss } from 'arrow-balance/tfjs';
 * model.compile({ optimizer: 'adam', loss: focalLoss({ gamma: 2, alpha: 0.25 }) });
 * // per-record weights: trainStep(model, optimizer, batch, focalLoss({ reduction: 'none' }))
 * ```
 * @param options `gamma` (default 2), `alpha`, `classes` (for a Map alpha), `reduction`
 * @returns `(yTrue, yPred) => loss`: a Scalar (mean over examples) or, with `reduction: 'none'`, a `[rows]` tensor
 * @throws TypeError / RangeError (at once) naming a bad option
 */
export function focalLoss(options?: FocalLossOptions & { readonly reduction?: 'mean' }): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;
export function focalLoss(options: FocalLossOptions & { readonly reduction: 'none' }): PerExampleLoss;
export function focalLoss(options: FocalLossOptions): PerExampleLoss;
export function focalLoss(options: FocalLossOptions = {}): PerExampleLoss {
  const { gamma = 2, reduction = 'mean' } = options;
  if (typeof gamma !== 'number' || !(gamma >= 0) || !Number.isFinite(gamma)) {
    throw new RangeError(withPrefix(`focal loss "gamma" must be a finite number >= 0; got ${String(gamma)}`));
  }
  if (reduction !== 'mean' && reduction !== 'none') {
    throw new RangeError(withPrefix(`focal loss "reduction" must be 'mean' or 'none'; got ${String(reduction)}`));
  }
  const alpha = resolveAlpha(options.alpha, options.classes);
  return (yTrue, yPred) => tf.tidy(() => {
    const perExample = focalPerExample(yTrue, yPred, gamma, alpha);
    return reduction === 'mean' ? tf.mean(perExample) : perExample;
  });
}

function focalPerExample(yTrue: tf.Tensor, yPred: tf.Tensor, gamma: number, alpha: ResolvedAlpha): tf.Tensor {
  const units = yPred.rank === 1 ? 1 : (yPred.shape[yPred.rank - 1] as number);
  const rows = yPred.rank === 1 ? yPred.shape[0] as number : yPred.size / units;
  const y = tf.cast(tf.reshape(yTrue, [rows, units]), 'float32');
  const p = tf.clipByValue(tf.reshape(yPred, [rows, units]), EPSILON, 1 - EPSILON);
  return units === 1 ? binaryFocal(y, p, gamma, alpha) : categoricalFocal(y, p, gamma, alpha, units);
}

/** Per example: -alpha_t (1 - p_t)^gamma log(p_t), with p_t = y p + (1 - y)(1 - p). */
function binaryFocal(y: tf.Tensor, p: tf.Tensor, gamma: number, alpha: ResolvedAlpha): tf.Tensor {
  const notY = tf.sub(1, y);
  const pt = tf.add(tf.mul(y, p), tf.mul(notY, tf.sub(1, p)));
  let loss = tf.neg(tf.log(pt));
  if (gamma !== 0) loss = tf.mul(tf.pow(tf.sub(1, pt), gamma), loss);
  const [alpha0, alpha1] = binaryAlpha(alpha);
  if (alpha0 !== 1 || alpha1 !== 1) loss = tf.mul(tf.add(tf.mul(y, alpha1), tf.mul(notY, alpha0)), loss);
  return tf.reshape(loss, [-1]);
}

/** Per example: sum over classes of -alpha_c y_c (1 - p_c)^gamma log(p_c). */
function categoricalFocal(y: tf.Tensor, p: tf.Tensor, gamma: number, alpha: ResolvedAlpha, units: number): tf.Tensor {
  let loss = tf.mul(y, tf.neg(tf.log(p)));
  if (gamma !== 0) loss = tf.mul(tf.pow(tf.sub(1, p), gamma), loss);
  if (alpha.kind === 'scalar') loss = tf.mul(loss, alpha.value);
  if (alpha.kind === 'perClass') {
    if (alpha.values.length !== units) {
      throw new RangeError(withPrefix(`focal loss "alpha" has ${alpha.values.length} class weights but the model predicts ${units} classes`));
    }
    loss = tf.mul(loss, tf.tensor1d(alpha.values as number[]));
  }
  return tf.sum(loss, -1);
}

/** [alpha for class 0, alpha for class 1]. */
function binaryAlpha(alpha: ResolvedAlpha): [number, number] {
  switch (alpha.kind) {
    case 'none':
      return [1, 1];
    case 'scalar':
      return [1 - alpha.value, alpha.value];
    case 'perClass': {
      if (alpha.values.length !== 2) {
        throw new RangeError(withPrefix(`focal loss "alpha" has ${alpha.values.length} class weights but a binary model (one sigmoid unit) has 2 classes`));
      }
      return [alpha.values[0] as number, alpha.values[1] as number];
    }
  }
}
