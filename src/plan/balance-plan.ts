import type { ClassCounts } from '../classes/class-counts.js';
import { classKey, type ClassValue } from '../classes/class-value.js';
import { seededRandom } from '../random.js';
import type { Strategy } from '../sampling/target-spec.js';
import { splitQuota } from './split-quota.js';
import type { UnitClassRows } from './unit-tally.js';

/** A class in a plan: its rows in the whole input, its target, and its importance weight n / target. */
export interface PlannedClass {
  /** The class's key (`classKey`), by which units name it. */
  readonly key: string;
  /** Rows of the class in the whole input. */
  readonly count: number;
  /** Rows of the class in the output: the resolved target, or `count` for a class no target names. */
  readonly target: number;
}

/** One unit of a plan: a row group of an input file, its class counts and the rows it emits per class. */
export interface PlannedUnit {
  /** Index of the input file. */
  readonly file: number;
  /** Row group in that file. */
  readonly rowGroup: number;
  /** Rows in the unit (null labels included). */
  readonly rows: number;
  /** Rows per class in the unit: class index (into the plan's classes) and rows, for the classes present. */
  readonly counts: ReadonlyArray<readonly [number, number]>;
  /** Output rows per class (same order as `counts`): every row `floor(target / count)` times, and a uniform subset once more. */
  readonly quotas: readonly number[];
}

/** The exact sampling of a whole input, cut into units that can run apart (serialisable as JSON). */
export interface BalancePlan {
  /** Seed of every draw: the split (`<seed>:plan`) and each unit's rows (`<seed>:unit:<number>`). */
  readonly seed: string;
  readonly strategy: Strategy;
  /** Classes in value order. */
  readonly classes: readonly PlannedClass[];
  readonly units: readonly PlannedUnit[];
  /** Output rows of the whole plan. */
  readonly outputRows: number;
}

/** Where each unit lies: its input file and row group. */
export interface UnitPlace {
  readonly file: number;
  readonly rowGroup: number;
  readonly rows: number;
}

/**
 * Plans an exact sampling over units.
 *
 * Each class's extra rows are split over the units holding it by {@link splitQuota}: under a target below
 * the class's count, the target itself; at or above it, every row is kept `q = floor(target / count)` times
 * and the remaining `target - q * count` copies are split. A unit then emits, for class c, `q` copies of each
 * of its rows plus one more for a uniform subset of its share, which the exact engines draw row by row from
 * the unit's own generator. So the whole is a uniform, exact sample, whatever runs the units.
 * @param places the units, in input order
 * @param unitRows the class codes and rows of each unit (from {@link UnitTally})
 * @param codeValue the class value of a code
 * @param counts rows per class in the whole input
 * @param targets output rows per targeted class, by class key (from `resolveTargets`)
 * @param strategy the sampling strategy
 * @param seed the job's seed
 */
export function planBalance(
  places: readonly UnitPlace[],
  unitRows: readonly UnitClassRows[],
  codeValue: (code: number) => ClassValue,
  counts: ClassCounts,
  targets: ReadonlyMap<string, number>,
  strategy: Strategy,
  seed: number | string,
): BalancePlan {
  const values = counts.values();
  const classes: PlannedClass[] = values.map((value) => {
    const key = classKey(value);
    const count = counts.count(value);
    return { key, count, target: targets.get(key) ?? count };
  });
  const indexOfKey = new Map(classes.map((planned, index) => [planned.key, index]));
  const unitCounts = unitRows.map((rows) =>
    rows.map(([code, n]): [number, number] => [indexOfKey.get(classKey(codeValue(code))) as number, n]).sort((a, b) => a[0] - b[0]),
  );
  // Each class's units and rows, then its extra rows split over them (in class order, then unit order).
  const classUnits = classes.map((): Array<readonly [unit: number, rows: number, at: number]> => []);
  unitCounts.forEach((here, u) => here.forEach(([c, n], at) => classUnits[c]?.push([u, n, at])));
  const random = seededRandom(`${String(seed)}:plan`);
  const copies = classes.map(({ count, target }) => (count > 0 && target >= count ? Math.floor(target / count) : 0));
  const extra = unitCounts.map((here) => new Float64Array(here.length));
  classes.forEach(({ count, target }, c) => {
    const held = classUnits[c] as Array<readonly [number, number, number]>;
    const split = splitQuota(random, held.map(([, n]) => n), target - (copies[c] as number) * count);
    held.forEach(([u, , at], i) => {
      (extra[u] as Float64Array)[at] = split[i] as number;
    });
  });
  let outputRows = 0;
  const units = places.map((place, u): PlannedUnit => {
    const here = unitCounts[u] ?? [];
    const quotas = here.map(([c, n], i) => (copies[c] as number) * n + ((extra[u] as Float64Array)[i] as number));
    outputRows += quotas.reduce((sum, q) => sum + q, 0);
    return { file: place.file, rowGroup: place.rowGroup, rows: place.rows, counts: here, quotas };
  });
  return { seed: String(seed), strategy, classes, units, outputRows };
}
