import { ClassTally } from '../classes/class-tally.js';
import { withPrefix } from '../errors.js';

/** A unit's class counts: class codes and their rows, for the classes present. */
export type UnitClassRows = ReadonlyArray<readonly [code: number, rows: number]>;

/**
 * Counts classes per unit during the count pass, given how many rows each unit holds.
 *
 * Label codes arrive in row order, in batches cut anywhere; each batch is split at unit boundaries and
 * tallied into its unit. A finished unit keeps only its classes that have rows, so memory is the sum over
 * units of the classes each holds, not units x classes.
 */
export class UnitTally {
  private readonly units: UnitClassRows[] = [];
  private current = new ClassTally();
  private left: number;

  /** @param unitRows rows in each unit, in input order (null labels included) */
  constructor(private readonly unitRows: readonly number[]) {
    this.left = unitRows[0] ?? 0;
    this.skipEmptyUnits();
  }

  /**
   * Tallies the next rows' class codes (negative codes, dropped null labels, count for no class).
   * @throws RangeError when more rows arrive than the units hold
   */
  add(codes: Int32Array): void {
    let at = 0;
    while (at < codes.length) {
      if (this.units.length >= this.unitRows.length) throw new RangeError(withPrefix(`the input has more rows than its ${this.unitRows.length} units hold`));
      const take = Math.min(this.left, codes.length - at);
      this.current.add(codes.subarray(at, at + take));
      at += take;
      this.left -= take;
      if (this.left === 0) this.closeUnit();
    }
  }

  /**
   * The counts of every unit.
   * @throws RangeError when fewer rows arrived than the units hold
   */
  finish(): UnitClassRows[] {
    if (this.units.length < this.unitRows.length) {
      throw new RangeError(withPrefix(`the input ended in unit ${this.units.length} of ${this.unitRows.length}, ${this.left} rows short`));
    }
    return this.units;
  }

  private closeUnit(): void {
    this.units.push(classRowsOf(this.current));
    this.current = new ClassTally();
    this.left = this.unitRows[this.units.length] ?? 0;
    this.skipEmptyUnits();
  }

  private skipEmptyUnits(): void {
    while (this.left === 0 && this.units.length < this.unitRows.length) {
      this.units.push([]);
      this.left = this.unitRows[this.units.length] ?? 0;
    }
  }
}

/** The class codes a tally counted, each with its rows (classes without rows left out). */
export function classRowsOf(tally: ClassTally): UnitClassRows {
  const rows: Array<[number, number]> = [];
  for (let code = 0; code < tally.classCount; code++) {
    const n = tally.countOf(code);
    if (n > 0) rows.push([code, n]);
  }
  return rows;
}
