/**
 * Tables cut to a terminal's width, so a row stays one line.
 */
import { displayWidth, padToWidth, PRINTABLE_ASCII } from './display-width.js';

const DASHES = /^-+(?: {2}-+)*$/;
const GAP = 2;
/** Columns up to this width (names, versions, counts, days) are never cut; wider ones not below it. */
const KEPT_WIDTH = 20;

interface Span { readonly from: number; readonly to: number }

/**
 * The part of `line` between display columns `from` and `to` (a wide character that
 * straddles the start belongs to the cell before).
 */
function sliceColumns(line: string, from: number, to: number, ascii = PRINTABLE_ASCII.test(line)): string {
  if (ascii) return line.slice(from, to);
  let column = 0;
  let out = '';
  for (const char of line) {
    const width = displayWidth(char);
    if (column >= from && column + width <= to) out += char;
    column += width;
    if (column >= to) break;
  }
  return out;
}

/**
 * `text` cut to `width` columns, with '…' where it was cut: at the end for words, in the
 * middle for an IRI, CURIE or path (one token), whose end tells it from its neighbours.
 */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const words = /\s/.test(text.trim());
  if (PRINTABLE_ASCII.test(text)) {
    if (words) return `${text.slice(0, width - 1).trimEnd()}…`;
    const tail = Math.floor((width - 1) / 2);
    return `${text.slice(0, width - 1 - tail)}…${text.slice(text.length - tail)}`;
  }
  const chars = [...text];
  const take = (from: readonly string[], room: number): string[] => {
    const kept: string[] = [];
    let used = 0;
    for (const char of from) {
      const w = displayWidth(char);
      if (used + w > room) break;
      kept.push(char);
      used += w;
    }
    return kept;
  };
  if (words) return `${take(chars, width - 1).join('').trimEnd()}…`;
  const tail = take([...chars].reverse(), Math.floor((width - 1) / 2)).reverse();
  const head = take(chars, width - 1 - displayWidth(tail.join('')));
  return `${head.join('')}…${tail.join('')}`;
}

/**
 * Whether `line` is a row of the table: blank in every gap between its columns, and not a
 * note in parentheses ("(100 of 250; --offset to page)") that commands print under it.
 */
function isRow(line: string, spans: readonly Span[], ascii: boolean): boolean {
  return !/^\(.*\)$/.test(line) && spans.slice(0, -1).every((span) => sliceColumns(line, span.to, span.to + GAP, ascii).trim() === '');
}

/**
 * New widths that fit `room`: the widest column is cut one column at a time, so long columns
 * end up even, and none goes below its floor.
 */
function fittedWidths(widths: readonly number[], floors: readonly number[], room: number): number[] {
  const fitted = [...widths];
  let total = fitted.reduce((sum, w) => sum + w, 0) + GAP * (fitted.length - 1);
  while (total > room) {
    let widest = -1;
    for (let i = 0; i < fitted.length; i += 1) {
      if (fitted[i]! > floors[i]! && (widest < 0 || fitted[i]! > fitted[widest]!)) widest = i;
    }
    if (widest < 0) break;
    fitted[widest] = fitted[widest]! - 1;
    total -= 1;
  }
  return fitted;
}

/**
 * Every table in `text` (a header, a line of dashes, rows up to a blank line) made to fit
 * `columns`: the widest columns are cut first, values marked with '…'; short columns
 * (names, versions, counts) are kept whole, so a table of many may still be wider. Text
 * that is not a table, and tables that fit, are left as they are.
 */
export function fitTablesToWidth(text: string, columns: number): string {
  const lines = text.split('\n');
  for (let at = 1; at < lines.length; at += 1) {
    const dashes = lines[at]!;
    if (!DASHES.test(dashes) || dashes.length <= columns) continue;
    const spans: Span[] = [...dashes.matchAll(/-+/g)].map((m) => ({ from: m.index, to: m.index + m[0].length }));
    const header = lines[at - 1]!;
    const floors = spans.map((span) => Math.min(span.to - span.from, Math.max(KEPT_WIDTH, displayWidth(sliceColumns(header, span.from, span.to).trim()))));
    const widths = fittedWidths(spans.map((span) => span.to - span.from), floors, columns);
    let end = at + 1;
    while (end < lines.length && lines[end]!.trim() !== '') end += 1;
    const refit = (line: string, ascii: boolean): string => spans.map((span, i) => {
      const cell = sliceColumns(line, span.from, span.to, ascii);
      const right = cell.startsWith(' ') && !cell.endsWith(' ');
      const value = cutToWidth(cell.trim(), widths[i]!);
      return padToWidth(value, widths[i]!, right ? 'right' : 'left');
    }).join(' '.repeat(GAP)).trimEnd();
    lines[at - 1] = refit(header, PRINTABLE_ASCII.test(header));
    lines[at] = widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP));
    for (let i = at + 1; i < end; i += 1) {
      // A note under the table ("(100 of 250; --offset to page)") is no row: it is only cut.
      const line = lines[i]!;
      const ascii = PRINTABLE_ASCII.test(line);
      lines[i] = isRow(line, spans, ascii) ? refit(line, ascii) : displayWidth(line) > columns ? cutToWidth(line, columns) : line;
    }
    at = end;
  }
  return lines.join('\n');
}
