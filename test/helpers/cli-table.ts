/**
 * Reads a column of a table the CLI printed for people (`formatTable`): a header line, a
 * line of dashes under each header, then rows. Columns are cut where the dashes are, so a
 * header of several words ("FILES WITH ERRORS") is one column.
 */
export function tableColumn(output: string, header: string): string[] {
  const lines = output.split('\n');
  const at = lines.findIndex((line, i) => /^-+(?: +-+)*\s*$/.test(lines[i + 1] ?? '') && new RegExp(`(^| )${header}( |$)`).test(line));
  if (at < 0) throw new Error(`No table with a column '${header}' in:\n${output}`);
  const spans = [...lines[at + 1]!.matchAll(/-+/g)].map((dash) => ({ from: dash.index, to: dash.index + dash[0].length }));
  const column = spans.find(({ from, to }) => lines[at]!.slice(from, to).trim() === header);
  if (!column) throw new Error(`'${header}' is not one column of: ${lines[at]}`);
  const rows: string[] = [];
  for (const line of lines.slice(at + 2)) {
    if (line.trim() === '') break;
    rows.push(line.slice(column.from, column.to).trim());
  }
  return rows;
}
