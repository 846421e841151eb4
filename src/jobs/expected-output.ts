import { ClassCounts } from '../classes/class-counts.js';
import { classKey } from '../classes/class-value.js';
import type { Strategy, TargetSpec } from '../sampling/target-spec.js';
import { resolveTargets } from '../sampling/targets.js';

/**
 * Rows per class that exact sampling produces: the target of each targeted class, the input count of the others.
 * @param counts rows per class in the input
 * @returns rows per class in the output
 */
export function expectedOutputCounts(counts: ClassCounts, strategy: Strategy, target: TargetSpec | undefined): ClassCounts {
  const targets = resolveTargets(counts, strategy, target);
  return ClassCounts.fromEntries(counts.entries().map(([value, n]) => [value, targets.get(classKey(value)) ?? n]));
}
