import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchTargets, batchTensors, focalLoss, trainStep } from '../src/tfjs/index.js';
import type { TrainingBatch } from '../src/train/training-batch.js';

beforeAll(() => {
  tf.env().set('IS_TEST', true); // silences the "install tfjs-node" notice
});

/** Evaluates a loss on plain arrays. */
function lossOf(loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor, yTrue: number[][], yPred: number[][]): number[] {
  return tf.tidy(() => Array.from(loss(tf.tensor2d(yTrue), tf.tensor2d(yPred)).dataSync()));
}

describe('focalLoss, binary', () => {
  // FL = -alpha_t (1 - p_t)^gamma log(p_t), worked out by hand (Python, double precision).
  const cases: Array<{ p: number; y: number; expected: number }> = [
    { p: 0.9, y: 1, expected: 0.00026340128914456557 }, // 0.25 * 0.1^2 * -ln 0.9
    { p: 0.9, y: 0, expected: 1.398820443993883 }, // 0.75 * 0.9^2 * -ln 0.1
    { p: 0.3, y: 1, expected: 0.14748666852992715 }, // 0.25 * 0.7^2 * -ln 0.3
    { p: 0.3, y: 0, expected: 0.024075558715864448 }, // 0.75 * 0.3^2 * -ln 0.7
    { p: 0.5, y: 1, expected: 0.04332169878499658 }, // 0.25 * 0.5^2 * ln 2
  ];

  it('matches hand-computed values for gamma 2, alpha 0.25 (per example and mean)', () => {
    const yTrue = cases.map((c) => [c.y]);
    const yPred = cases.map((c) => [c.p]);
    const perExample = lossOf(focalLoss({ gamma: 2, alpha: 0.25, reduction: 'none' }), yTrue, yPred);
    perExample.forEach((value, i) => expect(value).toBeCloseTo(cases[i]!.expected, 6));
    const [mean] = lossOf(focalLoss({ gamma: 2, alpha: 0.25 }), yTrue, yPred);
    expect(mean).toBeCloseTo(cases.reduce((sum, c) => sum + c.expected, 0) / cases.length, 6);
  });

  it('has gamma 2 as its default and takes a non-integer gamma', () => {
    expect(lossOf(focalLoss({ reduction: 'none' }), [[1]], [[0.3]])[0]).toBeCloseTo(0.49 * -Math.log(0.3), 6);
    expect(lossOf(focalLoss({ gamma: 1.5, reduction: 'none' }), [[1]], [[0.6]])[0]).toBeCloseTo(0.12922979666214163, 6);
  });

  it('equals binary cross-entropy with gamma 0 and alpha 1', () => {
    const yTrue = [[1], [0], [1], [0], [1]];
    const yPred = [[0.9], [0.9], [0.3], [0.05], [0.999]];
    const focal = lossOf(focalLoss({ gamma: 0, alpha: 1, reduction: 'none' }), yTrue, yPred);
    const plain = lossOf(focalLoss({ gamma: 0, reduction: 'none' }), yTrue, yPred);
    const crossEntropy = lossOf(tf.metrics.binaryCrossentropy, yTrue, yPred);
    // alpha = 1 weights class 1 by 1 and class 0 by 0, as in Lin et al.; no alpha weights both by 1
    focal.forEach((value, i) => expect(value).toBeCloseTo(yTrue[i]![0] === 1 ? crossEntropy[i]! : 0, 5));
    plain.forEach((value, i) => expect(value).toBeCloseTo(crossEntropy[i]!, 5));
    plain.forEach((value, i) => {
      const p = yPred[i]![0]!;
      expect(value).toBeCloseTo(-Math.log(yTrue[i]![0] === 1 ? p : 1 - p), 5);
    });
  });

  it('weights classes by alpha: a number, an array and a classWeights-style Map agree', () => {
    const yTrue = [[1], [0]];
    const yPred = [[0.3], [0.3]];
    const none = lossOf(focalLoss({ gamma: 2, reduction: 'none' }), yTrue, yPred);
    const scalar = lossOf(focalLoss({ gamma: 2, alpha: 0.8, reduction: 'none' }), yTrue, yPred);
    const array = lossOf(focalLoss({ gamma: 2, alpha: [0.2, 0.8], reduction: 'none' }), yTrue, yPred);
    const map = lossOf(focalLoss({ gamma: 2, alpha: new Map<number, number>([[1, 0.8], [-1, 0.2]]), classes: [-1, 1], reduction: 'none' }), yTrue, yPred);
    expect(scalar[0]).toBeCloseTo(0.8 * none[0]!, 6);
    expect(scalar[1]).toBeCloseTo(0.2 * none[1]!, 6);
    expect(array).toEqual(scalar);
    expect(map).toEqual(scalar);
  });

  it('keeps the loss and its gradient finite at p = 0 and p = 1', () => {
    const yTrue = tf.tensor2d([[1], [0], [1], [0], [1], [0]]);
    const yPred = tf.tensor2d([[0], [1], [1e-12], [1 - 1e-12], [1], [0]]);
    const loss = focalLoss({ gamma: 2, alpha: 0.25 });
    const value = loss(yTrue, yPred).dataSync()[0]!;
    const gradient = tf.grad((p: tf.Tensor) => loss(yTrue, p))(yPred).dataSync();
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(1); // the confidently wrong rows carry a large (clipped) loss
    expect(Array.from(gradient).every(Number.isFinite)).toBe(true);
    // through a sigmoid at extreme logits, as in a real model
    const logits = tf.tensor2d([[-60], [60], [60], [-60]]);
    const targets = tf.tensor2d([[1], [0], [1], [0]]);
    const throughSigmoid = tf.grad((z: tf.Tensor) => loss(targets, tf.sigmoid(z)))(logits).dataSync();
    expect(Array.from(throughSigmoid).every(Number.isFinite)).toBe(true);
    tf.dispose([yTrue, yPred, logits, targets]);
  });

  it('works as a model.compile loss', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
    m.compile({ optimizer: tf.train.adam(0.1), loss: focalLoss({ gamma: 2, alpha: 0.75 }) });
    const xs = tf.tensor2d([[0, 0], [1, 1], [0, 1], [1, 0]]);
    const ys = tf.tensor2d([[0], [1], [0], [1]]);
    const history = await m.fit(xs, ys, { epochs: 20, verbose: 0 });
    const losses = history.history['loss'] as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    tf.dispose([xs, ys]);
    m.dispose();
  });

  it('rejects bad options at once', () => {
    expect(() => focalLoss({ gamma: -1 })).toThrow(/gamma/);
    expect(() => focalLoss({ alpha: 1.5 })).toThrow(/alpha/);
    expect(() => focalLoss({ alpha: new Map([[1, 2]]) })).toThrow(/classes/);
    expect(() => focalLoss({ alpha: new Map([[1, 2]]), classes: [0, 1] })).toThrow(/no weight for class 0/);
    expect(() => focalLoss({ alpha: [1, -1] })).toThrow(/class index 1/);
  });
});

describe('focalLoss, multi-class', () => {
  const yTrue = [[0, 1, 0], [1, 0, 0], [0, 0, 1]];
  const yPred = [[0.7, 0.2, 0.1], [0.7, 0.2, 0.1], [0.7, 0.2, 0.1]];

  it('matches hand-computed values: -alpha_c (1 - p_c)^gamma log p_c for the true class', () => {
    const values = lossOf(focalLoss({ gamma: 2, reduction: 'none' }), yTrue, yPred);
    expect(values[0]).toBeCloseTo(1.0300402639578243, 5); // 0.8^2 * -ln 0.2
    expect(values[1]).toBeCloseTo(0.03210074495448593, 6); // 0.3^2 * -ln 0.7
    expect(values[2]).toBeCloseTo(1.865093925325177, 5); // 0.9^2 * -ln 0.1
    const weighted = lossOf(focalLoss({ gamma: 2, alpha: [1, 2, 3], reduction: 'none' }), yTrue, yPred);
    expect(weighted[0]).toBeCloseTo(2 * 1.0300402639578243, 5);
    expect(weighted[1]).toBeCloseTo(0.03210074495448593, 6);
    expect(weighted[2]).toBeCloseTo(3 * 1.865093925325177, 5);
    const scaled = lossOf(focalLoss({ gamma: 2, alpha: 0.5, reduction: 'none' }), yTrue, yPred);
    scaled.forEach((value, i) => expect(value).toBeCloseTo(0.5 * lossOf(focalLoss({ gamma: 2, reduction: 'none' }), yTrue, yPred)[i]!, 6));
  });

  it('equals categorical cross-entropy with gamma 0 and alpha 1', () => {
    const focal = lossOf(focalLoss({ gamma: 0, alpha: 1, reduction: 'none' }), yTrue, yPred);
    const crossEntropy = lossOf(tf.metrics.categoricalCrossentropy, yTrue, yPred);
    focal.forEach((value, i) => expect(value).toBeCloseTo(crossEntropy[i]!, 5));
    expect(focal[0]).toBeCloseTo(-Math.log(0.2), 5);
  });

  it('needs one alpha per class', () => {
    expect(() => lossOf(focalLoss({ alpha: [1, 2], reduction: 'none' }), yTrue, yPred)).toThrow(/2 class weights but the model predicts 3/);
  });
});

/** A logistic-regression model with fixed initial weights. */
function model(units: number, features: number): tf.Sequential {
  const m = tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [features], activation: units === 1 ? 'sigmoid' : 'softmax' })] });
  const kernel = tf.tensor2d(Array.from({ length: features * units }, (_, i) => ((i * 7) % 5) / 10 - 0.2), [features, units]);
  m.setWeights([kernel, tf.zeros([units])]);
  return m;
}

function weightsOf(m: tf.LayersModel): number[] {
  return m.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

function batch(x: number[][], y: number[], w?: number[]): TrainingBatch {
  const base = { x: Float32Array.from(x.flat()), y: Int32Array.from(y), rows: y.length, features: x[0]!.length, classes: [0, 1, 2] };
  return w === undefined ? base : { ...base, w: Float32Array.from(w) };
}

describe('trainStep', () => {
  const x = [[1, 0.5, -1], [0.2, -0.3, 0.8], [-1, 1, 0.1], [0.5, 0.5, 0.5]];
  const y = [1, 0, 1, 0];

  it('with all weights 1 takes the same step as unweighted, and a different one otherwise', () => {
    const plain = model(1, 3);
    const ones = model(1, 3);
    const skewed = model(1, 3);
    const lossPlain = trainStep(plain, tf.train.sgd(0.5), batch(x, y), tf.metrics.binaryCrossentropy);
    const lossOnes = trainStep(ones, tf.train.sgd(0.5), batch(x, y, [1, 1, 1, 1]), tf.metrics.binaryCrossentropy);
    trainStep(skewed, tf.train.sgd(0.5), batch(x, y, [4, 0, 0, 0]), tf.metrics.binaryCrossentropy);
    expect(lossOnes).toBeCloseTo(lossPlain, 6);
    const before = weightsOf(model(1, 3));
    expect(weightsOf(plain)).not.toEqual(before); // it did update
    weightsOf(ones).forEach((value, i) => expect(value).toBeCloseTo(weightsOf(plain)[i]!, 6));
    const moved = weightsOf(skewed).map((value, i) => Math.abs(value - weightsOf(plain)[i]!));
    expect(Math.max(...moved)).toBeGreaterThan(1e-3);
  });

  it('weights rows exactly: w = [4, 0, 0, 0] on four rows steps like row 0 alone', () => {
    const weighted = model(1, 3);
    const alone = model(1, 3);
    trainStep(weighted, tf.train.sgd(0.5), batch(x, y, [4, 0, 0, 0]), tf.metrics.binaryCrossentropy);
    trainStep(alone, tf.train.sgd(0.5), batch([x[0]!], [1]), tf.metrics.binaryCrossentropy);
    weightsOf(weighted).forEach((value, i) => expect(value).toBeCloseTo(weightsOf(alone)[i]!, 5));
  });

  it('takes weights from the option, or ignores the batch weights with weights: false', () => {
    const fromBatch = model(1, 3);
    const fromOption = model(1, 3);
    const ignored = model(1, 3);
    const plain = model(1, 3);
    trainStep(fromBatch, tf.train.sgd(0.5), batch(x, y, [3, 1, 0, 2]), tf.metrics.binaryCrossentropy);
    trainStep(fromOption, tf.train.sgd(0.5), batch(x, y), tf.metrics.binaryCrossentropy, { weights: Float32Array.of(3, 1, 0, 2) });
    trainStep(ignored, tf.train.sgd(0.5), batch(x, y, [3, 1, 0, 2]), tf.metrics.binaryCrossentropy, { weights: false });
    trainStep(plain, tf.train.sgd(0.5), batch(x, y), tf.metrics.binaryCrossentropy);
    expect(weightsOf(fromOption)).toEqual(weightsOf(fromBatch));
    expect(weightsOf(ignored)).toEqual(weightsOf(plain));
  });

  it('trains a softmax model with one-hot targets and the per-example focal loss', () => {
    const m = model(3, 3);
    const optimizer = tf.train.adam(0.05);
    const multi = batch(x, [0, 1, 2, 1], [1, 2, 1, 0.5]);
    const loss = focalLoss({ gamma: 2, reduction: 'none' });
    const first = trainStep(m, optimizer, multi, loss);
    let last = first;
    for (let i = 0; i < 30; i++) last = trainStep(m, optimizer, multi, loss);
    expect(last).toBeLessThan(first / 2);
    expect(tf.memory().numTensors).toBeLessThan(200); // no tensors leak per step
  });

  it('rejects a mean loss, and classes that do not fit the model', () => {
    expect(() => trainStep(model(1, 3), tf.train.sgd(0.1), batch(x, y, [1, 1, 1, 1]), focalLoss())).toThrow(/one value per row/);
    expect(() => trainStep(model(1, 3), tf.train.sgd(0.1), batch(x, [0, 1, 2, 0]), tf.metrics.binaryCrossentropy)).toThrow(/class 2 \(index 2\)/);
  });
});

describe('batch tensors', () => {
  it('builds features, 0/1 or one-hot targets and weights', () => {
    const b = batch([[1, 2], [3, 4]], [1, 0], [0.5, 2]);
    const { x, y, w } = batchTensors(b, 1);
    expect(x.shape).toEqual([2, 2]);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(y.dataSync())).toEqual([1, 0]);
    expect(Array.from(w!.dataSync())).toEqual([0.5, 2]);
    const oneHot = batchTargets(batch([[1], [2]], [2, 0]), 3);
    expect(oneHot.arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
    tf.dispose([x, y, w!, oneHot]);
  });
});
