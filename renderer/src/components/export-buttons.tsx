/**
 * "Export CSV / JSON" for a table: every row, written by the same export code as the CLI
 * (DuckDB's COPY), never the page on screen.
 */
import type { ReactNode } from 'react';
import { useApi } from '../api/api-context.js';
import { exportTableFile, type ExportTableName } from '../lib/downloads.js';
import { useToast } from './toast.js';

export function ExportButtons({ table, input, what, disabled = false }: {
  table: ExportTableName;
  input: Readonly<Record<string, unknown>>;
  /** What the table holds, for the buttons' accessible names ("findings"). */
  what: string;
  /**
   * While the table shows an older answer and `input` is not yet known (a search loading).
   * aria-disabled, not disabled: a catalog change re-asks the table, and focus on a button
   * that turns disabled is lost.
   */
  disabled?: boolean;
}): ReactNode {
  const { bridge } = useApi();
  const notify = useToast();
  const run = (format: 'csv' | 'json') => () => {
    if (disabled) return;
    // Undefined filters are left out, so the input is what the CLI would be given.
    const clean = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== ''));
    void exportTableFile(bridge, { table, format, input: clean }).then((outcome) => notify(outcome.message, outcome.ok ? 'info' : 'error'));
  };
  return (
    <span className="export-buttons" role="group" aria-label={`Export ${what}`}>
      <button type="button" onClick={run('csv')} aria-disabled={disabled || undefined} aria-label={`Export CSV of ${what}`}>Export CSV</button>
      <button type="button" onClick={run('json')} aria-disabled={disabled || undefined} aria-label={`Export JSON of ${what}`}>Export JSON</button>
    </span>
  );
}
