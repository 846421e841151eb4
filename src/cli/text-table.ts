/**
 * Rows of text cells laid out as aligned columns, for the class tables the CLI prints.
 */

/**
 * The lines of a table whose cells are made on demand, row by row: a first pass measures the columns, a
 * second makes each line as it is asked for. Nothing per row is kept, so a table of millions of classes
 * costs two formattings of each row, not the memory of all its cells.
 *
 * Widths are found with a loop, never by spreading the rows into `Math.max`: spreading more than about
 * 120,000 arguments overflows the call stack.
 *
 * ## Example
 * ```ts
 * const rows = [['class', 'rows'], ['a', '10'], ['bb', '2']];
 * [...textTableLines(rows.length, (row) => rows[row] ?? [], (column) => column === 0)];
 * // ['class  rows', 'a        10', 'bb        2']
 * ```
 * @param rowCount rows in the table
 * @param cellsOf the cells of a row (called twice per row; missing cells count as empty)
 * @param leftAligned whether a column is padded on the right (text) rather than on the left (numbers)
 * @returns the lines, without trailing spaces
 */
export function* textTableLines(
  rowCount: number,
  cellsOf: (row: number) => readonly string[],
  leftAligned: (column: number) => boolean,
): Generator<string, void, undefined> {
  const widths: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    const cells = cellsOf(row);
    for (let column = 0; column < cells.length; column++) {
      const length = (cells[column] as string).length;
      if (length > (widths[column] ?? 0)) widths[column] = length;
    }
  }
  for (let row = 0; row < rowCount; row++) {
    yield cellsOf(row)
      .map((cell, column) => (leftAligned(column) ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  }
}
