import { ClassTally } from '../classes/class-tally.js';
import type { UnitPlace } from './balance-plan.js';
import { classRowsOf, type UnitClassRows } from './unit-tally.js';

/** Rows per unit of input whose layout is unknown before it is read: DuckDB's and our row group size. */
export const RANGE_UNIT_ROWS = 122_880;

/**
 * Counts classes per unit of a fixed number of consecutive rows, for input that has no row groups to cut
 * it by and whose length is unknown until it ends (Arrow IPC, a stream above all).
 *
 * Units follow rows, not record batches, so the plan (and so the sample) is the same however the producer
 * cut the data into batches. Memory: the classes of each finished unit, as {@link UnitTally}.
 */
export class RowRangeTally {
  private readonly units: UnitClassRows[] = [];
  /** Rows in each finished unit. */
  private readonly sizes: number[] = [];
  private current = new ClassTally();
  private filled = 0;

  /** @param unitRows rows per unit (the last unit holds what is left) */
  constructor(private readonly unitRows: number = RANGE_UNIT_ROWS) {}

  /** Tallies the next rows' class codes (negative codes, dropped null labels, count for no class). */
  add(codes: Int32Array): void {
    let at = 0;
    while (at < codes.length) {
      const take = Math.min(this.unitRows - this.filled, codes.length - at);
      this.current.add(codes.subarray(at, at + take));
      at += take;
      this.filled += take;
      if (this.filled === this.unitRows) this.closeUnit();
    }
  }

  /** The units (all in "file" 0, numbered as row groups) and their class counts. */
  finish(): { places: UnitPlace[]; unitRows: UnitClassRows[] } {
    if (this.filled > 0) this.closeUnit();
    const places = this.sizes.map((rows, rowGroup): UnitPlace => ({ file: 0, rowGroup, rows }));
    return { places, unitRows: this.units };
  }

  private closeUnit(): void {
    this.units.push(classRowsOf(this.current));
    this.sizes.push(this.filled);
    this.current = new ClassTally();
    this.filled = 0;
  }
}
