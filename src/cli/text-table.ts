/**
 * The CLI's tables: cells in columns two spaces apart, each column as wide as its widest cell, the
 * last column unpadded (no trailing spaces). The first row is the header.
 */
export function textTable(cells: ReadonlyArray<readonly string[]>): string {
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
  return cells.map((line) => line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n') + '\n';
}
