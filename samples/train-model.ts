/**
 * Training and testing one logistic (or softmax) regression model with tfjs on mini-batches from
 * `trainingBatches`.
 */
import * as tf from '@tensorflow/tfjs';
import type { ClassValue } from '../src/classes/class-value.js';
import { batchFeatures, trainStep } from '../src/tfjs/index.js';
import { trainingBatches } from '../src/train/index.js';
import { classMetrics } from './train-metrics.js';
import type { ClassMetrics } from './train-metrics.js';
import { planMethod, rowsPerEpoch } from './train-methods.js';
import type { Method, MethodContext } from './train-methods.js';
import { standardize } from './train-standardize.js';
import type { Standardization } from './train-standardize.js';

/** The data and settings shared by every method. */
export interface TrainSetup extends MethodContext {
  /** Train file (rows in a seeded random order). */
  readonly trainPath: string;
  /** Test file. */
  readonly testPath: string;
  /** Feature columns. */
  readonly features: readonly string[];
  /** Train-set feature statistics. */
  readonly standardization: Standardization;
  /** Adam steps. */
  readonly steps: number;
  /** Rows per mini-batch. */
  readonly batchSize: number;
  /** Adam learning rate. */
  readonly learningRate: number;
}

/**
 * A logistic-regression model (one sigmoid unit) for two classes, softmax regression otherwise; zero initial
 * weights, so runs are deterministic.
 *
 * @param features inputs
 * @param classes class count
 * @returns the model
 */
export function regressionModel(features: number, classes: number): tf.Sequential {
  const binary = classes === 2;
  return tf.sequential({
    layers: [tf.layers.dense({
      inputShape: [features], units: binary ? 1 : classes, activation: binary ? 'sigmoid' : 'softmax',
      kernelInitializer: 'zeros', biasInitializer: 'zeros',
    })],
  });
}

/**
 * Trains a fresh model with one method for `steps` Adam steps of `batchSize` rows, streamed by
 * `trainingBatches` from the train file read as many times as the steps need.
 *
 * @param method the method
 * @param setup data and settings
 * @returns the trained model
 */
export async function trainModel(method: Method, setup: TrainSetup): Promise<tf.Sequential> {
  const epochs = Math.ceil((setup.steps * setup.batchSize) / rowsPerEpoch(method, setup.counts)) + 1;
  const plan = planMethod(method, setup, epochs);
  const model = regressionModel(setup.features.length, setup.classes.length);
  const optimizer = tf.train.adam(setup.learningRate);
  const batches = trainingBatches(Array<string>(epochs).fill(setup.trainPath), {
    features: setup.features, label: setup.label, weight: plan.weight, classes: setup.classes,
    batchSize: setup.batchSize, dropRemainder: true, pipeline: plan.pipeline,
  });
  let step = 0;
  for await (const batch of batches) {
    trainStep(model, optimizer, standardize(batch, setup.standardization), plan.loss);
    step += 1;
    if (step >= setup.steps) break;
  }
  optimizer.dispose();
  return model;
}

/**
 * Classes the test rows (threshold 0.5 for one sigmoid unit, arg-max otherwise) and scores the result.
 *
 * @param model a trained model
 * @param setup the test file, features, classes and train statistics
 * @returns the metrics, per class in the order of `setup.classes`
 */
export async function testModel(model: tf.LayersModel, setup: Pick<TrainSetup, 'testPath' | 'features' | 'label' | 'classes' | 'standardization'>): Promise<ClassMetrics> {
  const truth: number[] = [];
  const predicted: number[] = [];
  const classes: readonly ClassValue[] = setup.classes;
  for await (const batch of trainingBatches(setup.testPath, { features: setup.features, label: setup.label, classes, batchSize: 4096 })) {
    standardize(batch, setup.standardization);
    const scores = tf.tidy(() => {
      const output = model.predict(batchFeatures(batch)) as tf.Tensor;
      return classes.length === 2 ? tf.cast(tf.greaterEqual(tf.reshape(output, [-1]), 0.5), 'int32') : tf.argMax(output, -1);
    });
    const values = scores.dataSync();
    scores.dispose();
    for (let i = 0; i < batch.rows; i++) {
      predicted.push(values[i] as number);
      truth.push(batch.y[i] as number);
    }
  }
  return classMetrics(Int32Array.from(truth), Int32Array.from(predicted), classes.length);
}
