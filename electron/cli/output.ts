/** Formats a byte count for people: 1.5 MB, 320 B. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const text = unit === 0 ? String(value) : value.toFixed(value >= 100 ? 0 : 1);
  return `${bytes < 0 ? '-' : ''}${text} ${units[unit]}`;
}

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | null | undefined;
  readonly align?: 'left' | 'right';
}

/** Renders rows as an aligned plain-text table; numbers align right. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((column) => {
    const value = column.value(row);
    return value === null || value === undefined ? '' : String(value);
  }));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((row) => row[i]!.length)));
  const alignOf = (i: number): 'left' | 'right' => {
    const column = columns[i]!;
    if (column.align) return column.align;
    return rows.every((row) => typeof column.value(row) === 'number') ? 'right' : 'left';
  };
  const line = (values: readonly string[]): string =>
    values.map((value, i) => (alignOf(i) === 'right' ? value.padStart(widths[i]!) : value.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns.map((column) => column.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Renders `key: value` lines with aligned keys. */
export function formatFields(fields: readonly (readonly [string, string | number | boolean | null | undefined])[]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${value ?? ''}`).join('\n');
}
