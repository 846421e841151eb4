import type { RecordBatch } from 'apache-arrow';
import type { LabelCoder } from '../classes/label-coder.js';
import type { RandomSource } from '../random.js';
import type { Strategy, TargetSpec } from './target-spec.js';

/**
 * The contract every sampling engine of `balance()` meets (exact, reservoir, online).
 *
 * The caller (`BalanceEngine`) owns the label coding: it encodes each batch once with the shared
 * {@link LabelCoder} and hands the batch and its class codes to the engine. Codes are dense by first
 * appearance; `-1` marks a row dropped by `nulls: 'drop'`, which engines must never emit.
 * @packageDocumentation
 */

/** Rows ready to emit, with the importance weight of each row when weights were asked for. */
export interface SampledBatch {
  /** Output rows; same schema (and metadata) as the input. */
  readonly batch: RecordBatch;
  /**
   * One importance weight per output row (set only when `EngineOptions.weights` is true): n_c / k_c for
   * exact and reservoir sampling, the inverse of the expected number of copies for online sampling, so
   * that weighted class totals match the input counts. Rows of untouched classes weigh 1.
   */
  readonly weights?: Float64Array;
}

/** A synchronous sampling state machine: batches in, output batches out. */
export interface SamplingEngine {
  /**
   * Takes one input batch and its class codes (`codes.length === batch.numRows`).
   * @returns batches to emit now (possibly none); the engine keeps no reference the caller must respect
   */
  push(batch: RecordBatch, codes: Int32Array): SampledBatch[];
  /**
   * Ends the input: checks what must hold at the end and returns the rows still held.
   * @throws ArrowBalanceError when the input contradicts what the engine was told (e.g. wrong counts)
   */
  finish(): SampledBatch[];
}

/** A row plan for one batch: the rows to emit in output order (repeats allowed) and optional weights. */
export interface RowPlan {
  /** Row indices into the batch, in output order; repeated rows are adjacent. */
  readonly indices: Int32Array;
  /** One importance weight per entry of `indices` (only when the planner was asked for weights). */
  readonly weights?: Float64Array;
}

/** A streaming planner that decides per row, never holding rows: plans one batch's codes at a time. */
export interface RowPlanner {
  /**
   * Plans one batch; draws randomness per row, in row order, so plans do not depend on batch boundaries.
   * @param codes class code per row (`-1` = dropped)
   * @returns rows to emit
   */
  plan(codes: Int32Array): RowPlan;
  /**
   * Checks the end of input.
   * @throws ArrowBalanceError when fewer rows arrived than the planner was promised
   */
  finish(): void;
}

/** What every engine is built from. */
export interface EngineOptions {
  /** Label coder shared with the caller; engines only read it (`value`, `classCount`, `values`). */
  readonly coder: LabelCoder;
  readonly strategy: Strategy;
  /** Target as given by the user; `undefined` means `'auto'` (online: uniform over the classes seen). */
  readonly target: TargetSpec | undefined;
  /** The one random source of this engine instance. */
  readonly random: RandomSource;
  /** Whether to compute importance weights. */
  readonly weights: boolean;
  /** Receives non-fatal notices (e.g. a capacity that caps a target). */
  readonly warn: (message: string) => void;
}

/** Options of the reservoir engine (`mode: 'reservoir'`). */
export interface ReservoirEngineOptions extends EngineOptions {
  /** Rows kept per class at most (default 100,000). */
  readonly capacity: number;
  /** Emit a balanced sample every `window` input rows (for unbounded streams); `undefined` = at the end. */
  readonly window: number | undefined;
}
