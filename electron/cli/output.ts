import { formatByteSize } from '../shared/byte-size.js';
import { displayWidth, padToWidth } from './display-width.js';

/** Formats a byte count for people: 1.5 MB, 320 B (as the app shows it). */
export function formatBytes(bytes: number): string {
  return Number.isFinite(bytes) ? formatByteSize(bytes) : '-';
}

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | null | undefined;
  readonly align?: 'left' | 'right';
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is shown
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from the catalog (labels, definitions, messages read from ontologies) with each
 * control character shown as \xNN: a newline would break a row in two, and an escape
 * sequence would reach the terminal. `--json` keeps the text exact.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Renders rows as an aligned plain-text table; numbers align right. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((column) => {
    const value = column.value(row);
    return value === null || value === undefined ? '' : printable(String(value));
  }));
  // A loop, not Math.max(...cells): spreading 134,544 failed files overflowed the stack.
  // Terminal columns, not string length: a Japanese label is twice as wide as its length.
  const widths = columns.map((column, i) => cells.reduce((width, row) => Math.max(width, displayWidth(row[i]!)), displayWidth(column.header)));
  // Once per column, not per cell: per cell, a table's time grew with the square of its rows.
  const aligns = columns.map((column) => column.align ?? (rows.every((row) => typeof column.value(row) === 'number') ? 'right' : 'left'));
  const line = (values: readonly string[]): string =>
    values.map((value, i) => padToWidth(value, widths[i]!, aligns[i] === 'right' ? 'right' : 'left')).join('  ').trimEnd();
  return [line(columns.map((column) => column.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Renders `key: value` lines with aligned keys. */
export function formatFields(fields: readonly (readonly [string, string | number | boolean | null | undefined])[]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${printable(String(value ?? ''))}`).join('\n');
}

/**
 * The hint under a page of rows: how many of how many it shows when more follow, or that
 * an offset ran past the end (a page of none is not a list of none). `command` is what
 * pages the rows when this command's --offset does not.
 */
export function pageNote(page: { readonly total: number; readonly offset: number; readonly items: readonly unknown[] }, command?: string): string {
  if (page.items.length === 0 && page.total > 0) return `\n(none past --offset ${page.offset}; ${page.total} in all)`;
  if (page.total <= page.offset + page.items.length) return '';
  const next = page.offset + page.items.length;
  return `\n(${page.items.length} of ${page.total}; ${command ? `the rest: ${command} --offset ${next}` : '--offset to page'})`;
}
