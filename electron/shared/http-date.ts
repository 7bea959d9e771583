/**
 * HTTP dates (Last-Modified) read by the grammar of RFC 9110 §5.6.7, the one parser the
 * version rule and the release date share.
 *
 * `new Date(text)` is no such parser: it takes "0" for 2000-01-01 and "garbage 12" for
 * 2001-12-01, and reads the asctime form in the local time zone; a header it misreads
 * named releases after days no server said.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^(?:mon|tue|wed|thu|fri|sat|sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} gmt$`, 'i');
const RFC850_DATE = new RegExp(`^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} gmt$`, 'i');
const ASCTIME_DATE = new RegExp(`^(?:mon|tue|wed|thu|fri|sat|sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');

/** The instant, or null when the fields name no real date and time. */
function instant(year: number, month: string, day: number, hour: number, minute: number, second: number): Date | null {
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  // 60 is a leap second (RFC 9110 allows it); it is read as the last second of its minute.
  const at = new Date(Date.UTC(year, monthIndex, day, hour, minute, Math.min(second, 59)));
  if (at.getUTCMonth() !== monthIndex || at.getUTCDate() !== day || hour > 23 || minute > 59 || second > 60) return null;
  return at;
}

/**
 * The instant an HTTP date names (IMF-fixdate, or the obsolete rfc850 and asctime forms
 * recipients must still accept, all in UTC), or null for any other text.
 *
 * rfc850's two-digit year is the most recent year with those digits that is not more
 * than 50 years after `now` (RFC 9110 §5.6.7).
 */
export function parseHttpDate(text: string, now: Date = new Date()): Date | null {
  const value = text.trim();
  let match = IMF_FIXDATE.exec(value);
  if (match) return instant(Number(match[3]), match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
  match = RFC850_DATE.exec(value);
  if (match) {
    const twoDigits = Number(match[3]);
    const thisYear = now.getUTCFullYear();
    let year = thisYear - (thisYear % 100) + twoDigits;
    if (year > thisYear + 50) year -= 100;
    return instant(year, match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
  }
  match = ASCTIME_DATE.exec(value);
  if (match) return instant(Number(match[6]), match[1]!, Number(match[2]!.trim()), Number(match[3]), Number(match[4]), Number(match[5]));
  return null;
}

/**
 * A Last-Modified as a release's evidence: the instant it names, or null when it names
 * none or one after `receivedAt` (an origin never sends a future one, RFC 9110 §8.8.2.1:
 * such a date is a wrong clock, not a release).
 */
export function lastModifiedEvidence(text: string | null | undefined, receivedAt: Date): Date | null {
  if (!text) return null;
  const at = parseHttpDate(text, receivedAt);
  return at && at.getTime() <= receivedAt.getTime() ? at : null;
}

/** The longest Retry-After a fetch waits out; a longer one fails the attempt saying so. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After in ms (delay-seconds or an HTTP date, RFC 9110 §10.2.3), or null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: Date = new Date()): number | null {
  if (value === null || value === undefined) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = parseHttpDate(value, now);
  return at ? Math.max(0, at.getTime() - now.getTime()) : null;
}
