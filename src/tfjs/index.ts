/**
 * arrow-balance/tfjs: focal loss and weighted training steps for `@tensorflow/tfjs` (an optional peer
 * dependency, loaded only by this entry, never by the main one).
 * @packageDocumentation
 */
export { focalLoss, EPSILON, type FocalLossOptions, type PerExampleLoss } from './focal-loss.js';
export type { ClassAlpha } from './class-alpha.js';
export { trainStep, outputUnits, type TrainStepOptions } from './train-step.js';
export { batchFeatures, batchTargets, batchWeights, batchTensors, type BatchTensors } from './batch-tensors.js';
export type { TrainingBatch } from '../train/training-batch.js';
