import { OntocatError } from '../shared/errors.js';
import type { VersionRef } from '../shared/version-ref.js';
import { versionId } from './ids.js';
import type { SqlConnection } from './sql.js';

/**
 * What a set-latest preview showed of one version, as a short text to send back on Confirm:
 * its release date (release order), its files (the file and term delta) and its findings
 * (health, new errors), each an order-free digest of the rows. Another client correcting
 * the date, replacing the files (`ingest --replace`) or validating again changes its part.
 */
export interface PreviewParts {
  readonly date: string;
  readonly files: string;
  readonly findings: string;
}

const PART_WORDS: Record<keyof PreviewParts, string> = { date: 'release date', files: 'files', findings: 'findings' };

/** The stamp of a version's preview parts, or null when the version is not in the catalog. */
export async function previewStamp(conn: SqlConnection, ref: VersionRef): Promise<string | null> {
  const row = await conn.one<{ present: boolean; date: string; files: string; findings: string }>(`
    SELECT EXISTS (SELECT 1 FROM versions WHERE version_id = $1) AS present,
      (SELECT COALESCE(hash(release_date, release_date_source), 0) FROM versions WHERE version_id = $1)::VARCHAR AS date,
      (SELECT count(*) || '.' || COALESCE(bit_xor(hash(relpath, sha256, size_bytes)), 0) FROM extracted_files WHERE version_id = $1) AS files,
      (SELECT count(*) || '.' || COALESCE(bit_xor(hash(file_id, validator, rule, severity, passed, message, line, col, subject)), 0)
       FROM validations WHERE version_id = $1) AS findings`,
  [versionId(ref.service, ref.version)]);
  if (!row?.present) return null;
  return `d${row.date}-f${row.files}-v${row.findings}`;
}

function partsOf(stamp: string): PreviewParts | null {
  const match = /^d(.+)-f(.+)-v(.+)$/.exec(stamp);
  return match ? { date: match[1]!, files: match[2]!, findings: match[3]! } : null;
}

/**
 * Refuses a set-latest whose preview no longer holds: `expected` are the stamps the preview
 * was made from (`to` the version made latest, `from` the latest it compared with, null for
 * none), checked against the catalog now, naming each part that changed.
 */
export async function checkPreviewStamps(
  conn: SqlConnection, to: VersionRef, from: VersionRef | null, expected: { readonly to: string; readonly from: string | null },
): Promise<void> {
  const changed: string[] = [];
  const compare = async (ref: VersionRef, stamp: string): Promise<void> => {
    const now = await previewStamp(conn, ref);
    const name = `${ref.service}/${ref.version}`;
    if (now === null) { changed.push(`${name} was removed from the catalog`); return; }
    if (now === stamp) return;
    const [was, is] = [partsOf(stamp), partsOf(now)];
    const parts = was && is ? (Object.keys(PART_WORDS) as (keyof PreviewParts)[]).filter((key) => was[key] !== is[key]) : [];
    changed.push(`${name}'s ${parts.length > 0 ? parts.map((key) => PART_WORDS[key]).join(' and ') : 'catalog rows'} changed`);
  };
  await compare(to, expected.to);
  if (from && expected.from !== null) await compare(from, expected.from);
  if (changed.length === 0) return;
  throw new OntocatError('CONFLICT', `${changed.join('; ')} since this preview was made (another client corrected, replaced or validated it); `
    + 'nothing was changed. Review the change again.', { changed });
}
