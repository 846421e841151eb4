/**
 * Checks of the row counts a footer declares for its row groups. Readers plan with them (the exact mode's
 * units are row groups of the declared sizes), so a count that disagrees with the pages must be refused
 * where the file is read, naming the file, rather than found later as a plan that does not fit its input.
 */

/**
 * Says what is wrong with the row counts a footer declares, or nothing.
 * @param rows the declared rows of each row group, in file order
 * @returns e.g. `row group 3 declares -11184 rows; the file is corrupt`
 */
export function declaredRowsProblem(rows: readonly number[]): string | undefined {
  const bad = rows.findIndex((count) => !(Number.isInteger(count) && count >= 0));
  if (bad < 0) return undefined;
  const count = rows[bad] as number;
  return `row group ${bad} declares ${Number.isFinite(count) ? String(count) : 'an impossible number of'} rows; the file is corrupt`;
}

/**
 * Says how the rows decoded from consecutive row groups disagree with the rows their footer declares, or nothing.
 * @param rowGroups the row groups decoded, in order
 * @param decoded the rows their pages held
 * @param rows the declared rows of every row group of the file
 * @returns e.g. `row group 0 holds 11183 rows but the footer says 11167; the file is corrupt`
 */
export function decodedRowsProblem(rowGroups: readonly number[], decoded: number, rows: readonly number[]): string | undefined {
  const declared = rowGroups.reduce((sum, group) => sum + (rows[group] ?? 0), 0);
  if (decoded === declared) return undefined;
  const first = rowGroups[0] ?? 0;
  const last = rowGroups[rowGroups.length - 1] ?? first;
  const groups = rowGroups.length === 1 ? `row group ${first} holds` : `row groups ${first} to ${last} hold`;
  return `${groups} ${decoded} rows but the footer says ${declared}; the file is corrupt`;
}
