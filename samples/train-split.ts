/**
 * The trainer sample's data preparation: a fixed stratified train/test split of a Parquet file (by a seeded
 * hash of the row index), written as two Parquet files, with the train set's class counts and feature
 * means and standard deviations.
 */
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { from, lastValueFrom, toArray } from 'rxjs';
import { fromParquet } from '../operators/from-parquet.js';
import { toParquet } from '../operators/to-parquet.js';
import { concatBatches } from '../src/arrow/concat.js';
import { takeRows } from '../src/arrow/take.js';
import { classKey } from '../src/classes/class-value.js';
import type { ClassValue } from '../src/classes/class-value.js';
import { LabelCoder } from '../src/classes/label-coder.js';
import { murmurFinalize } from '../src/report/row-priority.js';
import { standardization } from './train-standardize.js';
import type { Standardization } from './train-standardize.js';

/** What to split and how. */
export interface SplitOptions {
  /** The Parquet file. */
  readonly path: string;
  /** Label column. */
  readonly label: string;
  /** Feature columns (for the standardisation statistics). */
  readonly features: readonly string[];
  /** Share of each class held out for testing (e.g. 0.3). */
  readonly testShare: number;
  /** Seed of the row hash: the same seed gives the same split and the same train-file order. */
  readonly seed: number;
  /** Folder the two files are written to. */
  readonly dir: string;
  /** Rows per row group of the written files (small, so the trainer really streams). */
  readonly rowGroupSize: number;
}

/** The split, on disk. */
export interface Split {
  /** Train rows, in a seeded random order. */
  readonly trainPath: string;
  /** Test rows, in file order. */
  readonly testPath: string;
  /** Classes by decreasing train count (ties in value order): the majority first, the minority last. */
  readonly classes: readonly ClassValue[];
  /** Train rows per class, keyed by `classKey`. */
  readonly trainCounts: Readonly<Record<string, number>>;
  /** Test rows per class, keyed by `classKey`. */
  readonly testCounts: Readonly<Record<string, number>>;
  /** Mean and standard deviation of each feature over the train rows. */
  readonly standardization: Standardization;
}

/**
 * Splits a (small) Parquet file into stratified train and test files.
 *
 * Within each class, rows are ordered by a seeded 32-bit hash of their row index and the first
 * `round(testShare * n_c)` go to the test set, so every class keeps its share in both sets.
 *
 * Memory: the whole input file (the samples are a few MB).
 *
 * @param options file, label, features, test share, seed, output folder, row-group size
 * @returns the paths, class order, counts and train statistics
 */
export async function splitDataset(options: SplitOptions): Promise<Split> {
  const { path, label, seed, testShare } = options;
  const table = concatBatches(await lastValueFrom(fromParquet(path).pipe(toArray())));
  const coder = new LabelCoder({ label });
  const codes = coder.encode(table);
  const byClass: number[][] = coder.values().map(() => []);
  codes.forEach((code, row) => byClass[code]?.push(row));
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of byClass) {
    rows.sort((a, b) => hash32(seed, a) - hash32(seed, b) || a - b);
    const held = Math.round(testShare * rows.length);
    test.push(...rows.slice(0, held));
    train.push(...rows.slice(held));
  }
  train.sort((a, b) => hash32(seed + 1, a) - hash32(seed + 1, b) || a - b);
  test.sort((a, b) => a - b);
  const trainRows = takeRows(table, Int32Array.from(train));
  const testRows = takeRows(table, Int32Array.from(test));
  const trainPath = join(options.dir, 'train.parquet');
  const testPath = join(options.dir, 'test.parquet');
  await write(trainRows, trainPath, options.rowGroupSize);
  await write(testRows, testPath, options.rowGroupSize);
  const values = coder.values();
  const countOf = (rows: readonly number[]): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const row of rows) {
      const key = classKey(values[codes[row] as number] as ClassValue);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  const trainCounts = countOf(train);
  const classes = [...values].sort((a, b) => (trainCounts[classKey(b)] ?? 0) - (trainCounts[classKey(a)] ?? 0) || compareKeys(a, b));
  return { trainPath, testPath, classes, trainCounts, testCounts: countOf(test), standardization: standardization(trainRows, options.features) };
}

async function write(batch: RecordBatch, path: string, rowGroupSize: number): Promise<void> {
  await lastValueFrom(from([batch]).pipe(toParquet(path, { rowGroupSize, overwrite: true })));
}

function compareKeys(a: ClassValue, b: ClassValue): number {
  const ka = classKey(a);
  const kb = classKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * A seeded 32-bit hash of a row index (murmur3's finaliser over `index + seed * golden ratio`).
 *
 * @param seed the split seed
 * @param index the row index
 * @returns an unsigned 32-bit integer
 */
export function hash32(seed: number, index: number): number {
  return murmurFinalize((index + Math.imul(seed, 0x9e3779b9)) | 0);
}
