/**
 * Release dates and how they are known: the words people read next to a version's date.
 *
 * The order itself ("newer") lives in one place, migrations/0005_release_order.sql
 * (`v_release_order`); this module only names and checks dates.
 */
import { OntocatError } from './errors.js';
import { localDay } from './local-day.js';

/** Where a version's release date comes from, strongest first. */
export const RELEASE_DATE_SOURCES = ['curator', 'owl-version', 'obo-header', 'version-name', 'http-last-modified', 'ingest'] as const;
export type ReleaseDateSource = (typeof RELEASE_DATE_SOURCES)[number];

const SOURCE_LABELS: Readonly<Record<ReleaseDateSource, string>> = {
  curator: 'set by a curator',
  // A bundle of vocabularies states one date per member: the latest is a lower bound.
  'owl-version': 'from owl:versionIRI/versionInfo (the latest date its files state)',
  'obo-header': 'from the OBO header',
  // A bundle whose members state older dates of their own (version-name-date.ts).
  'version-name': 'from the version name (its files state only older days, one per member)',
  'http-last-modified': 'from HTTP Last-Modified',
  ingest: 'ingest date: no release date known, ordered by version string',
};

/** How a release date is known, in a few words ("from HTTP Last-Modified"). */
export function releaseSourceLabel(source: string | null | undefined): string {
  return SOURCE_LABELS[source as ReleaseDateSource] ?? 'source unknown';
}

/**
 * The release day of a version, "2024-05-01", or null when none is known: an ingest date
 * stands in for ordering (`release_date_source` 'ingest') but is not when it was released.
 */
export function knownReleaseDay(version: { readonly release_date: string | null; readonly release_date_source: string | null }): string | null {
  return version.release_date && version.release_date_source !== 'ingest' ? version.release_date.slice(0, 10) : null;
}

/** "2024-05-01, from HTTP Last-Modified": a date with where it comes from. */
export function describeReleaseDate(date: string | null | undefined, source: string | null | undefined): string {
  return date ? `${date.slice(0, 10)}, ${releaseSourceLabel(source)}` : 'no release date';
}

/** An instant's milliseconds, for a stored value (UTC, its Z perhaps left off) or an ISO text. */
export function instantMs(text: string): number {
  const iso = text.trim().replace(' ', 'T');
  return Date.parse(/T[\d:.]+$/.test(iso) ? `${iso}Z` : iso);
}

/**
 * The UTC times of day of two instants of one day, as few digits as tell them apart
 * ("09:00" against "18:00"), or null when they are the same instant (or not read).
 */
function timesOfDay(a: string, b: string): [string, string] | null {
  const [msA, msB] = [instantMs(a), instantMs(b)];
  if (!Number.isFinite(msA) || !Number.isFinite(msB) || msA === msB) return null;
  const [isoA, isoB] = [new Date(msA).toISOString(), new Date(msB).toISOString()];
  for (const end of [16, 19, 23]) {
    if (isoA.slice(11, end) !== isoB.slice(11, end)) return [isoA.slice(11, end), isoB.slice(11, end)];
  }
  return null;
}

/**
 * Why one version comes before another in release order, in words: their two dates, or, when
 * both are dated the same day, that their version strings decide (v_release_order's tie-break).
 */
export function describeOrderBetween(
  older: { readonly release_date: string | null; readonly release_date_source: string | null },
  newer: { readonly release_date: string | null; readonly release_date_source: string | null },
): string {
  const day = (date: string | null): string | null => date?.slice(0, 10) ?? null;
  if (day(older.release_date) !== null && day(older.release_date) === day(newer.release_date)) {
    // v_release_order orders by the instant: two times of one day (HTTP Last-Modified, an OBO
    // date's HH:mm) order the versions themselves, whatever their version strings say.
    const times = timesOfDay(older.release_date!, newer.release_date!);
    if (times !== null) {
      const [olderTime, newerTime] = times;
      const sources = older.release_date_source === newer.release_date_source
        ? `both ${releaseSourceLabel(older.release_date_source)}`
        : `${releaseSourceLabel(older.release_date_source)}, against ${releaseSourceLabel(newer.release_date_source)}`;
      return `both dated ${day(older.release_date)}, at ${olderTime} against ${newerTime} UTC, ${sources}`;
    }
    return `both dated ${describeReleaseDate(older.release_date, older.release_date_source)}: their version strings decide`;
  }
  // One source said once: the version-name label twice in one parenthesis read as a loop.
  if (older.release_date && newer.release_date && older.release_date_source === newer.release_date_source) {
    return `${day(older.release_date)} against ${day(newer.release_date)}, both ${releaseSourceLabel(older.release_date_source)}`;
  }
  return `${describeReleaseDate(older.release_date, older.release_date_source)}, against ${describeReleaseDate(newer.release_date, newer.release_date_source)}`;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Checks a release date typed by a person: `YYYY-MM-DD` or an ISO date-time.
 *
 * Returns it as an ISO instant (UTC, to the millisecond); a day that does not exist (2023-02-30) is refused,
 * as is a date after tomorrow (a release cannot be in the future; a day of slack covers
 * time zones).
 */
export function parseReleaseDate(text: string, now: Date = new Date()): string {
  const match = datePattern.exec(text.trim());
  if (!match) throw new OntocatError('BAD_INPUT', `Expected a release date such as 2024-05-01 or 2024-05-01T12:00:00Z, got '${text}'.`);
  const [, y, m, d, hh, mm, ss, fraction, zone] = match;
  // The fraction of a second is kept to the millisecond (what a JS Date and an ISO instant
  // carry): two releases of one second (npm's registry times, GitHub's published_at) keep their order.
  const millis = fraction ? `.${fraction.slice(0, 3).padEnd(3, '0')}` : '';
  const iso = `${y}-${m}-${d}T${hh ?? '00'}:${mm ?? '00'}:${ss ?? '00'}${millis}${zone ?? 'Z'}`;
  const ms = Date.parse(iso);
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (!Number.isFinite(ms) || day.getUTCMonth() !== Number(m) - 1 || day.getUTCDate() !== Number(d) || Number(y) < 1900) {
    throw new OntocatError('BAD_INPUT', `'${text}' is not a real date.`);
  }
  if (ms > now.getTime() + 86_400_000) throw new OntocatError('BAD_INPUT', `A release date cannot be in the future (${text}).`);
  return new Date(ms).toISOString();
}

/** How prune and the lists order versions, in one sentence for previews. */
export const RELEASE_ORDER_TEXT = 'release date (from the source or a curator), then the version string; ingest order never decides';

/** What a keep reason needs to say why, in words. */
export interface KeepExplained {
  readonly release_date: string | null;
  readonly release_date_source: string | null;
  readonly created_at: string;
}

/**
 * Why prune keeps a version, naming the order it used:
 * "within the last 1 by release date (2024-05-01, from HTTP Last-Modified)".
 */
export function explainKeep(
  reason: 'latest' | 'pinned' | 'within_last_n' | 'newer_than',
  version: KeepExplained,
  policy: { readonly keep_last: number | null; readonly newer_than_days: number | null },
  ownDateRecent = true,
): string {
  const dated = version.release_date_source !== null && version.release_date_source !== 'ingest';
  const when = dated
    ? `by release date (${describeReleaseDate(version.release_date, version.release_date_source)})`
    : `by release order (no release date known: placed by its version string; ingested ${localDay(new Date(version.created_at))})`;
  switch (reason) {
    case 'latest': return 'the latest of its service';
    case 'pinned': return 'pinned';
    case 'within_last_n': return `within the last ${policy.keep_last ?? 'N'} ${when}`;
    // Newer-than keeps what comes after, in release order, every version dated before the
    // cut-off; an ingest date is no release date, so a version known only by it is kept by
    // its place, not by its date.
    case 'newer_than': return ownDateRecent && dated
      ? `released within the last ${policy.newer_than_days ?? 'D'} days (${describeReleaseDate(version.release_date, version.release_date_source)})`
      : `after, in release order, every version released more than ${policy.newer_than_days ?? 'D'} days ago` +
        (dated ? '' : ` (no release date known; ingested ${localDay(new Date(version.created_at))})`);
  }
}

/** A version's place in its service's release order (1 = oldest), and its latest's. */
export interface ReleasePlace {
  readonly rank: number;
  readonly versions: number;
  /** The service's latest version (null: none), and its rank. */
  readonly latest: string | null;
  readonly latest_rank: number | null;
}

/** A version's place before and after its release date was corrected. */
export interface ReleaseMove {
  readonly before: ReleasePlace;
  readonly after: ReleasePlace;
}

/** A release newer than the one a preview would make latest: its name and dates. */
export interface NewerRelease {
  readonly version: string;
  readonly release_date: string | null;
  readonly release_date_source: string | null;
}

/**
 * The service's newest release and how many come after `target`, from the first row and
 * total of its versions listed newest first by release order; null when `target` is newest.
 */
export function newerReleaseThan(
  target: { readonly release_rank: number },
  newestFirst: { readonly items: readonly NewerRelease[]; readonly total: number },
): (NewerRelease & { readonly newer: number }) | null {
  const top = newestFirst.items[0];
  const newer = newestFirst.total - target.release_rank;
  return top && newer > 0 ? { version: top.version, release_date: top.release_date, release_date_source: top.release_date_source, newer } : null;
}

/**
 * The note a set-latest preview gives when the version is not its service's newest release
 * (and not older than the current latest, which has its own warning): pipelines following
 * latest would not get the newer ones. `newest.newer` counts the releases after the target.
 */
export function describeNewerRelease(
  version: string,
  target: { readonly release_date: string | null; readonly release_date_source: string | null },
  newest: NewerRelease & { readonly newer: number },
): string {
  const more = newest.newer > 1 ? `, and ${newest.newer - 1} more between them` : '';
  return `${version} is not the newest release: ${newest.version} is newer by release order (${describeOrderBetween(target, newest)})${more}; ` +
    'latest would not follow to it.';
}

/** 2 → '2nd', 11 → '11th', 23 → '23rd'. */
function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/**
 * What a corrected release date did to the release order, in one sentence: whether the
 * version now comes after (or before) the latest, whether the latest stopped (or became)
 * being the newest, else its move, or that its place stayed.
 */
export function describeReleaseMove(ref: string, move: ReleaseMove): string {
  const { before, after } = move;
  // Named, not numbered, at either end: lists show the newest first, so a bare '1 of 2'
  // (counted from the oldest) read as the top row, the opposite place.
  const of = (place: ReleasePlace): string => place.rank === place.versions ? `the newest of ${place.versions}`
    : place.rank === 1 ? `the oldest of ${place.versions}` : `the ${ordinal(place.rank)} oldest of ${place.versions}`;
  const version = ref.slice(ref.indexOf('/') + 1);
  if (after.latest !== null && after.latest === version) {
    const wasNewest = before.rank === before.versions;
    const isNewest = after.rank === after.versions;
    if (wasNewest && !isNewest) return `${ref}, the latest, is no longer the newest release by release order (now ${of(after)}): pipelines following latest are a release behind.`;
    if (!wasNewest && isNewest) return `${ref}, the latest, is now the newest release by release order.`;
  } else if (after.latest !== null && before.latest_rank !== null && after.latest_rank !== null) {
    const wasNewer = before.rank > before.latest_rank;
    const isNewer = after.rank > after.latest_rank;
    if (!wasNewer && isNewer) return `${ref} now comes after the latest (${after.latest}) by release order: it is newer than the latest, which stays until set.`;
    if (wasNewer && !isNewer) return `${ref} now comes before the latest (${after.latest}) by release order.`;
  }
  return before.rank === after.rank ? `Its place in release order is unchanged (${of(after)}).` : `In release order it moved from ${of(before)} to ${of(after)}.`;
}
