/**
 * Human-readable numbers, bytes and dates for tables and cards.
 */
import { formatByteSize } from '../../../electron/shared/byte-size.js';
import { storedDay } from '../../../electron/shared/local-day.js';

/** 1536 → "1.54 KB", as the CLI shows it (shared/byte-size.ts). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  return formatByteSize(bytes, '−');
}

/** A signed byte delta: "+1.2 MB", "−300 B". */
export function formatBytesDelta(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

export { formatCount, formatCountOf } from '../../../electron/shared/count-noun.js';

/** ISO timestamp → "2024-05-01 12:34" in local time: for moments (ingested, events), not release days. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export { localDay } from '../../../electron/shared/local-day.js';

/** The calendar day of an ISO date (release days carry no meaningful time, so no time zone shift). */
export function formatDay(iso: string | null | undefined): string {
  return iso ? storedDay(iso) : '—';
}

/** First 12 hex digits of a hash, for dense tables (the full hash is in a title/tooltip). */
export function shortHash(sha256: string | null | undefined): string {
  return sha256 ? sha256.slice(0, 12) : '—';
}
