import { ArrowBalanceError } from '../errors.js';
import { showClass } from '../classes/class-value.js';
import type { ClassValue } from '../classes/class-value.js';
import type { Strategy } from './target-spec.js';

/** One class as targets see it: its value, its `classKey` and its row count. */
export interface ClassRow {
  readonly value: ClassValue;
  readonly key: string;
  readonly count: number;
}

/**
 * Builds the map from explicit per-class counts, rejecting unknown classes and counts the strategy cannot reach.
 * @param classes the classes with rows
 * @param strategy the strategy the counts are for
 * @param entries rows wanted per class key
 * @param what how error messages name the target
 * @returns rows per class after sampling, keyed by `classKey`
 * @throws ArrowBalanceError naming the class and the numbers
 */
export function checkedTargets(
  classes: readonly ClassRow[],
  strategy: Strategy,
  entries: readonly (readonly [string, number])[],
  what: string,
): Map<string, number> {
  const out = new Map<string, number>();
  const find = classFinder(classes, what);
  for (const [key, want] of entries) {
    const c = find(key);
    if (strategy === 'under' && want > c.count) {
      throw new ArrowBalanceError(
        `${what} asks class ${showClass(c.value)} for ${want} rows but it has only ${c.count}; under-sampling cannot add rows, ask for at most ${c.count} or use strategy "over" or "hybrid"`,
      );
    }
    if (strategy === 'over' && want < c.count) {
      throw new ArrowBalanceError(
        `${what} asks class ${showClass(c.value)} for ${want} rows but it already has ${c.count}; over-sampling cannot remove rows, ask for at least ${c.count} or use strategy "under" or "hybrid"`,
      );
    }
    out.set(c.key, want);
  }
  return out;
}

/** Classes an error message lists before it says how many more there are. */
const LISTED_CLASSES = 20;

/**
 * Finds classes by key through an index built once (a search per key was quadratic in the classes).
 * @param classes the classes with rows
 * @param what how the error message names the target
 * @returns a lookup that throws an ArrowBalanceError listing the classes when none has the key
 */
export function classFinder(classes: readonly ClassRow[], what: string): (key: string) => ClassRow {
  const byKey = new Map<string, ClassRow>();
  for (const c of classes) if (!byKey.has(c.key)) byKey.set(c.key, c);
  return (key) => {
    const found = byKey.get(key);
    if (found !== undefined) return found;
    const listed = classes.slice(0, LISTED_CLASSES).map((c) => `${c.key} (${c.count} rows)`).join(', ');
    const more = classes.length > LISTED_CLASSES ? ` and ${classes.length - LISTED_CLASSES} more` : '';
    throw new ArrowBalanceError(`${what} names class "${key}" but the label has no such class; classes are: ${listed}${more}`);
  };
}

/**
 * The first class in value order with the largest (`sign` 1) or smallest (`sign` -1) count.
 * @param classes at least one class
 * @param sign 1 for the majority, -1 for the minority
 */
export function extremeClass(classes: readonly ClassRow[], sign: 1 | -1): ClassRow {
  let best = classes[0] as ClassRow;
  for (const c of classes) if (sign * (c.count - best.count) > 0) best = c;
  return best;
}
