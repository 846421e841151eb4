import type { ClassValue } from '../classes/class-value.js';
import { withPrefix } from '../errors.js';

/** What reservoir sampling did with one class (in one window, or over the whole input). */
export interface ReservoirClassReport {
  /** The class (label value). */
  readonly value: ClassValue;
  /** Rows of the class in the input (or window). */
  readonly seen: number;
  /** Rows the reservoir held at the end: min(seen, capacity). */
  readonly held: number;
  /** Rows the target asked for (`seen` for a class the target leaves alone). */
  readonly target: number;
  /** Rows emitted: the target, or `held` when the capacity capped it. */
  readonly emitted: number;
  /** Whether the capacity capped the target. */
  readonly capped: boolean;
}

/** What reservoir sampling did at one flush (the end of input, or the end of a window). */
export interface ReservoirReport {
  /** 0-based window number (0 without `window`). */
  readonly window: number;
  /** Input rows of this window (all input rows without `window`), dropped null labels included. */
  readonly rows: number;
  /** One entry per class seen, in order of first appearance. */
  readonly classes: readonly ReservoirClassReport[];
  /** One message per capped class (also handed to the engine's `warn`). */
  readonly warnings: readonly string[];
}

/**
 * The warning for a class whose target exceeds what its reservoir can supply.
 *
 * Memory: O(1).
 * @param value the class
 * @param asked rows the target asked for
 * @param capacity the reservoir capacity (rows emitted instead)
 * @param seen rows of the class in the input
 * @param window window number, or undefined without windows
 * @returns one `arrow-balance:` line naming the class, the numbers and what to do
 */
export function cappedMessage(value: ClassValue, asked: number, capacity: number, seen: number, window?: number): string {
  const where = window === undefined ? '' : ` in window ${window}`;
  const need = Math.min(asked, seen);
  return withPrefix(
    `reservoir capped class ${show(value)}${where} at ${capacity} rows instead of its target ${asked}: the class had ${seen} rows and option "capacity" keeps ${capacity} per class; raise "capacity" (--capacity) to at least ${need} or use mode "exact" (--mode exact) with counts`,
  );
}

/**
 * A class value as messages show it: strings quoted, others as text.
 * @param value the class
 * @returns its display form
 */
export function show(value: ClassValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
