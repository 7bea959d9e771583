/**
 * Release dates of versions: recording the evidence, curator corrections, and the
 * neighbours a version has in its service's release order (`v_release_order`).
 */
import { OntocatError } from '../shared/errors.js';
import { lastModifiedEvidence } from '../shared/http-date.js';
import { describeReleaseDate, instantMs, type ReleaseDateSource, type ReleaseMove, type ReleasePlace } from '../shared/release-order.js';
import type { VersionRef } from '../shared/version-ref.js';
import { versionNameDate } from '../shared/version-name-date.js';
import { versionId } from './ids.js';
import type { WriteTx } from './open-catalog.js';
import type { SqlConnection } from './sql.js';

/** A date a version's own files state about it (OBO header, owl:versionIRI/versionInfo). */
export interface HeaderEvidence {
  readonly date: string;
  readonly source: Extract<ReleaseDateSource, 'owl-version' | 'obo-header'>;
  /** Which file and field said so, for the event. */
  readonly detail: string;
  /** Set when the files state more than one day (a bundle of members dated on their own): the earliest, and how many days. */
  readonly spread?: { readonly earliest: string; readonly days: number };
}

/** A version's release date as stored. */
export interface ReleaseDate {
  readonly service: string;
  readonly version: string;
  readonly release_date: string | null;
  readonly release_date_source: ReleaseDateSource | null;
}

/**
 * Sets a version's release date from the best evidence there is.
 *
 * A curator's date is never overwritten. A date from the version's own files wins over
 * its artifacts' Last-Modified (mirrors re-upload; the header is the release's own word),
 * and one recorded earlier stays when this run brings none; else the latest
 * Last-Modified of its artifacts; else the ingest date.
 */
export async function refreshReleaseDate(tx: WriteTx, ref: VersionRef, header: HeaderEvidence | null = null): Promise<ReleaseDate> {
  const id = versionId(ref.service, ref.version);
  const before = await tx.one<{ release_date: string | null; release_date_source: ReleaseDateSource | null }>(
    'SELECT release_date, release_date_source FROM versions WHERE version_id = $1', [id],
  );
  if (!before) throw new OntocatError('NOT_FOUND', `Unknown version ${ref.service}/${ref.version}.`);
  const next = await bestEvidence(tx, ref, before.release_date_source, header);
  if (next) {
    await tx.run('UPDATE versions SET release_date = $1::TIMESTAMP, release_date_source = $2 WHERE version_id = $3', [next.date, next.source, id]);
  }
  const after = await releaseDateOf(tx, ref);
  if (after.release_date !== before.release_date || after.release_date_source !== before.release_date_source) {
    await tx.event('version.release_date', {
      service: ref.service, version: ref.version, release_date: after.release_date, source: after.release_date_source,
      previous: before.release_date, previous_source: before.release_date_source, detail: next?.detail ?? header?.detail ?? null,
    });
  }
  return after;
}

/** The date to record under the rule of refreshReleaseDate, or null to keep the stored one. */
async function bestEvidence(
  tx: WriteTx, ref: VersionRef, current: ReleaseDateSource | null, header: HeaderEvidence | null,
): Promise<{ date: string; source: ReleaseDateSource; detail?: string } | null> {
  if (current === 'curator') return null;
  const id = versionId(ref.service, ref.version);
  const row = await tx.one<{ created_at: string }>('SELECT created_at FROM versions WHERE version_id = $1', [id]);
  if (header) return bundleNamedDay(ref, header, row?.created_at ?? null) ?? { date: header.date, source: header.source };
  if (current === 'owl-version' || current === 'obo-header' || current === 'version-name') return null;
  if (!row) return null;
  // Read in TS by the parser the version rule uses, so a version named after its
  // Last-Modified day is dated that day, and one whose header was passed over is not. A
  // date after now was after its retrieval too (this runs as the bytes are recorded; an
  // artifact fetched into an older version is not bounded by that version's creation).
  const now = new Date();
  const headers = await tx.all<{ last_modified: string }>('SELECT last_modified FROM artifacts WHERE version_id = $1 AND last_modified IS NOT NULL', [id]);
  const latest = headers
    .map((header) => lastModifiedEvidence(header.last_modified, now))
    .reduce<Date | null>((best, at) => (at && (!best || at > best) ? at : best), null);
  return latest ? { date: latest.toISOString(), source: 'http-last-modified' } : { date: row.created_at, source: 'ingest' };
}

/**
 * A bundle's release day as its name spells it (2021.9.22), when its files state several
 * days of their own (each member vocabulary its last change) and the name's day is after the
 * latest of them and not after the version was recorded: the latest member date
 * is only a lower bound (the 2021 bundle of @zazuko/rdf-vocabularies, tagged 2021-09-22,
 * read 2019-01-16). A single file's or agreeing files' date stays the release's own word.
 */
function bundleNamedDay(ref: VersionRef, header: HeaderEvidence, recordedAt: string | null): { date: string; source: ReleaseDateSource; detail: string } | null {
  if (!header.spread) return null;
  const named = versionNameDate(ref.version);
  // The same day as the latest file states: that file is the better word (and no day is "only older").
  if (!named || named.slice(0, 10) <= header.date.slice(0, 10)) return null;
  if (recordedAt !== null && named.slice(0, 10) > recordedAt.slice(0, 10)) return null;
  return {
    date: named, source: 'version-name',
    detail: `${ref.version} names that day; its files state ${header.spread.days} days, ${header.spread.earliest.slice(0, 10)} to ${header.date.slice(0, 10)}, the latest in ${header.detail}`,
  };
}

/** Whether two release dates name the same instant (stored values are UTC; text may lack its Z). */
function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return instantMs(a) === instantMs(b);
}

/** The stored release date of a version. */
export async function releaseDateOf(conn: SqlConnection, ref: VersionRef): Promise<ReleaseDate> {
  const row = await conn.one<ReleaseDate>(
    'SELECT service, version, release_date, release_date_source FROM versions WHERE version_id = $1', [versionId(ref.service, ref.version)],
  );
  if (!row) throw new OntocatError('NOT_FOUND', `Unknown version ${ref.service}/${ref.version}.`);
  return row;
}

/**
 * A curator corrects a version's release date (source 'curator'; evidence never
 * overwrites it again). `date` is an ISO instant (shared/release-order.ts parseReleaseDate).
 */
export async function setReleaseDate(
  tx: WriteTx, ref: VersionRef, date: string, by: string, expected?: string | null,
): Promise<ReleaseDate & { previous: string | null; previous_source: ReleaseDateSource | null; order: ReleaseMove }> {
  const before = await releaseDateOf(tx, ref);
  const placeBefore = await releasePlace(tx, ref);
  // A correction typed against one date must not silently replace another client's since.
  if (expected !== undefined && !sameInstant(before.release_date, expected)) {
    throw new OntocatError('CONFLICT', `The release date of ${ref.service}/${ref.version} is now ${describeReleaseDate(before.release_date, before.release_date_source)}; `
      + `this correction was based on ${expected === null ? 'no release date' : expected.slice(0, 10)} (another client changed it since), so nothing was changed. `
      + 'Review it and save again to replace it.', { ref: `${ref.service}/${ref.version}`, release_date: before.release_date, expected });
  }
  await tx.run(
    `UPDATE versions SET release_date = $1::TIMESTAMP, release_date_source = 'curator' WHERE version_id = $2`,
    [date, versionId(ref.service, ref.version)],
  );
  const after = await releaseDateOf(tx, ref);
  const placeAfter = await releasePlace(tx, ref);
  await tx.event('version.release_date', {
    service: ref.service, version: ref.version, release_date: after.release_date, source: 'curator', by,
    previous: before.release_date, previous_source: before.release_date_source,
  });
  return { ...after, previous: before.release_date, previous_source: before.release_date_source, order: { before: placeBefore, after: placeAfter } };
}

/** Where a version stands in its service's release order, and where its latest stands. */
async function releasePlace(conn: SqlConnection, ref: VersionRef): Promise<ReleasePlace> {
  const row = await conn.one<{ rank: number; versions: number; latest: string | null; latest_rank: number | null }>(
    `SELECT t.release_rank AS rank, (SELECT count(*) FROM v_release_order o WHERE o.service = t.service)::INTEGER AS versions,
            l.version AS latest, l.release_rank AS latest_rank
     FROM v_release_order t
     LEFT JOIN latest_pointer lp ON lp.slot = t.service
     LEFT JOIN v_release_order l ON l.version_id = lp.version_id
     WHERE t.version_id = $1`,
    [versionId(ref.service, ref.version)],
  );
  if (!row) throw new OntocatError('NOT_FOUND', `Unknown version ${ref.service}/${ref.version}.`);
  return { rank: Number(row.rank), versions: Number(row.versions), latest: row.latest, latest_rank: row.latest_rank === null ? null : Number(row.latest_rank) };
}

/** The version just before `ref` in release order, or null when it is the first. */
export async function previousRelease(conn: SqlConnection, ref: VersionRef): Promise<string | null> {
  const row = await conn.one<{ version: string }>(
    `SELECT p.version FROM v_release_order p JOIN v_release_order t ON p.service = t.service AND p.release_rank = t.release_rank - 1
     WHERE t.version_id = $1`,
    [versionId(ref.service, ref.version)],
  );
  return row?.version ?? null;
}

/** Whether `ref` comes before `other` (a version of the same service) in release order. */
export async function releasedBefore(conn: SqlConnection, ref: VersionRef, other: VersionRef): Promise<boolean> {
  const row = await conn.one<{ before: boolean }>(
    `SELECT a.release_rank < b.release_rank AS before FROM v_release_order a JOIN v_release_order b ON a.service = b.service
     WHERE a.version_id = $1 AND b.version_id = $2`,
    [versionId(ref.service, ref.version), versionId(other.service, other.version)],
  );
  return row?.before === true;
}
