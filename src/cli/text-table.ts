/**
 * Rows of text cells laid out as aligned columns, for the class tables the CLI prints.
 */

/**
 * Pads every cell to its column's width and joins the cells of a row with two spaces.
 *
 * Widths are found with a loop, never by spreading the rows into `Math.max`: a table has a row per class,
 * and spreading more than about 120,000 arguments overflows the call stack.
 *
 * ## Example
 * ```ts
 * textTable([['class', 'rows'], ['a', '10'], ['bb', '2']], (column) => column === 0);
 * // 'class  rows\na        10\nbb        2'
 * ```
 * @param rows the cells, row by row (missing cells count as empty)
 * @param leftAligned whether a column is padded on the right (text) rather than on the left (numbers)
 * @returns the lines, joined by newlines, without trailing spaces
 */
export function textTable(rows: ReadonlyArray<readonly string[]>, leftAligned: (column: number) => boolean): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let column = 0; column < row.length; column++) {
      const length = (row[column] as string).length;
      if (length > (widths[column] ?? 0)) widths[column] = length;
    }
  }
  return rows
    .map((row) =>
      row
        .map((cell, column) => (leftAligned(column) ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
