import { OntocatError } from '../shared/errors.js';
import type { SortDirection } from '../shared/models.js';

export const MAX_PAGE = 1000;

/** Offset and limit checked and clamped; the UI and CLI page, they never pull whole tables. */
export function pageWindow(offset: number | undefined, limit: number | undefined, defaultLimit = 100): { offset: number; limit: number } {
  const off = offset ?? 0;
  const lim = limit ?? defaultLimit;
  if (!Number.isInteger(off) || off < 0) throw new OntocatError('BAD_INPUT', `Offset must be a whole number ≥ 0, got ${off}.`);
  if (!Number.isInteger(lim) || lim < 1 || lim > MAX_PAGE) {
    throw new OntocatError('BAD_INPUT', `Limit must be a whole number from 1 to ${MAX_PAGE}, got ${lim}.`);
  }
  return { offset: off, limit: lim };
}

/**
 * How a list is ordered: the sort keys a caller may choose, the default one and a unique key.
 *
 * `unique` names columns that identify one row of the list. It ends every ORDER BY built
 * from this, so rows that tie on the chosen key (same severity, size, date; NULL lines)
 * still have one order, and OFFSET/LIMIT pages never repeat or drop a row.
 */
export interface ListOrder<K extends string> {
  readonly sorts: Readonly<Record<K, string>>;
  readonly fallback: K;
  /** Readable tie-breakers tried before the unique key (e.g. path, then rule). */
  readonly then?: string;
  readonly unique: string;
}

/**
 * The ORDER BY of a list sorted by a requested key, always ending with its unique key.
 *
 * Sort keys arrive from IPC, HTTP and the CLI, so they map to SQL through the allow-list
 * and are never interpolated as given.
 */
export function orderBy<K extends string>(order: ListOrder<K>, key: string | undefined, direction: SortDirection | undefined): string {
  const name = key ?? order.fallback;
  if (!Object.hasOwn(order.sorts, name)) {
    throw new OntocatError('BAD_INPUT', `Cannot sort by '${key}'; choose one of: ${Object.keys(order.sorts).join(', ')}.`);
  }
  const column = order.sorts[name as K];
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  return fixedOrder({ keys: `${column} ${dir} NULLS LAST${order.then ? `, ${order.then}` : ''}`, unique: order.unique });
}

/** The ORDER BY of a list without a choice of sort: its keys, if any, then its unique key. */
export function fixedOrder(order: { readonly keys?: string; readonly unique: string }): string {
  return order.keys ? `${order.keys}, ${order.unique}` : order.unique;
}

/** Escapes `%`, `_` and `\` so user text matches literally in LIKE/ILIKE … ESCAPE '\'. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * A page of rows that carry their query's `count(*) OVER () AS total`, as a Page.
 *
 * A page past the last row has no row to carry the total, so `firstRow` (the same query at
 * offset 0, one row) is asked for it: a page past the end still says how many rows there are.
 */
export async function pageWithTotal<T>(
  rows: readonly (T & { total: number | bigint })[],
  window: { offset: number; limit: number },
  firstRow: () => Promise<readonly { total: number | bigint }[]>,
): Promise<{ items: T[]; total: number; offset: number; limit: number }> {
  const total = rows.length > 0 ? rows[0]!.total : window.offset > 0 ? (await firstRow())[0]?.total ?? 0 : 0;
  return { items: rows.map(({ total: _total, ...row }) => row as T), total: Number(total), offset: window.offset, limit: window.limit };
}
