import { ClassCounts } from '../classes/class-counts.js';
import { classKey } from '../classes/class-value.js';
import type { ClassValue } from '../classes/class-value.js';
import { ArrowBalanceError, ERROR_PREFIX } from '../errors.js';
import type { SampledBatch } from './engine.js';
import type { ClassReservoir } from './reservoir-class.js';
import type { HeldBatches } from './reservoir-held-batches.js';
import { emitInInputOrder, type ClassPick } from './reservoir-output.js';
import { cappedMessage, type ReservoirClassReport, type ReservoirReport } from './reservoir-report.js';
import { entryRepeats } from './reservoir-select.js';
import { resolveTargets, type Strategy, type TargetSpec } from './targets.js';

/** Everything one flush of the reservoir sampler reads. */
export interface FlushInput {
  /**
   * Reservoirs by class code, pruned or not: a class holds its `capacity` smallest keys (all its rows when
   * it had fewer), and `entryRepeats` picks the smallest keys among all entries, which are among those.
   */
  readonly reservoirs: readonly ClassReservoir[];
  /** Rows seen per class code since the last flush. */
  readonly seen: Float64Array;
  readonly held: HeldBatches;
  /** Turns class codes back into values. */
  readonly coder: { value(code: number): ClassValue };
  readonly strategy: Strategy;
  readonly target: TargetSpec | undefined;
  readonly weights: boolean;
  /** Most rows per output batch. */
  readonly batchRows: number;
  /** Input rows since the last flush. */
  readonly rows: number;
  /** The window being flushed (number and first input row), or undefined without windows. */
  readonly window: { readonly index: number; readonly firstRow: number } | undefined;
}

/**
 * Resolves the target from the counts seen, caps what the reservoirs cannot supply, and emits the sample.
 *
 * Classes the target leaves alone keep all their rows (up to capacity). A class whose target exceeds its
 * held rows while it had more rows than it holds (it overflowed the capacity) emits what it holds and gets
 * a warning. Memory: O(held rows) plus the output.
 *
 * @param input the reservoirs and options
 * @returns the output batches (classes together, in input order) and the report of this flush
 * @throws ArrowBalanceError when the target does not fit the counts (naming the window, if any)
 */
export function flushReservoirs(input: FlushInput): { out: SampledBatch[]; report: ReservoirReport } {
  const { reservoirs, seen, coder, window } = input;
  const present = reservoirs.map((res, code) => ({ res, n: seen[code] as number, value: coder.value(code) })).filter((c) => c.n > 0);
  const picks: ClassPick[] = [];
  const classes: ReservoirClassReport[] = [];
  const warnings: string[] = [];
  if (present.length > 0) {
    const targets = resolve(input, ClassCounts.fromEntries(present.map(({ value, n }) => [value, n])));
    for (const { res, n, value } of present) {
      const asked = targets.get(classKey(value)) ?? n;
      const held = Math.min(res.length, res.capacity);
      const capped = asked > held && n > held;
      const emitted = capped ? held : asked;
      if (capped) warnings.push(cappedMessage(value, asked, held, n, window?.index));
      picks.push({ res, repeats: entryRepeats(res, emitted), weight: emitted > 0 ? n / emitted : 0 });
      classes.push({ value, seen: n, held, target: asked, emitted, capped });
    }
  }
  const out = emitInInputOrder(input.held, picks, input.weights, input.batchRows);
  return { out, report: { window: window?.index ?? 0, rows: input.rows, classes, warnings } };
}

function resolve(input: FlushInput, counts: ClassCounts): Map<string, number> {
  try {
    return resolveTargets(counts, input.strategy, input.target);
  } catch (error) {
    const { window } = input;
    if (window === undefined || !(error instanceof ArrowBalanceError)) throw error;
    const bare = error.message.slice(ERROR_PREFIX.length);
    const rows = `input rows ${window.firstRow} to ${window.firstRow + input.rows - 1}`;
    throw new ArrowBalanceError(`window ${window.index} (${rows}): ${bare}`, { cause: error });
  }
}
