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
 * Maps a requested sort key to its SQL column through an allow-list.
 *
 * Sort keys arrive from IPC, HTTP and the CLI, so they are never interpolated as given.
 */
export function orderBy<K extends string>(
  allowed: Readonly<Record<K, string>>,
  key: string | undefined,
  fallback: K,
  direction: SortDirection | undefined,
  tieBreak: string,
): string {
  const column = key === undefined ? allowed[fallback] : allowed[key as K];
  if (column === undefined) {
    throw new OntocatError('BAD_INPUT', `Cannot sort by '${key}'; choose one of: ${Object.keys(allowed).join(', ')}.`);
  }
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  return `${column} ${dir} NULLS LAST, ${tieBreak}`;
}

/** Escapes `%`, `_` and `\` so user text matches literally in LIKE/ILIKE … ESCAPE '\'. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
