import { OntocatError } from '../shared/errors.js';
import { dataRelpath } from './layout.js';
import { compareWithRecord, rewrittenWords, type RecordedBytes } from './recorded-bytes.js';
import { normaliseRelpath, tryResolveInsideRoot } from './safe-path.js';
import { statIfPresent } from './stat-if-present.js';

/** What the catalog knows of a stored file: enough to find its bytes. */
export interface StoredFileRef {
  readonly service: string;
  readonly version: string;
  readonly relpath: string;
  readonly cas_relpath: string | null;
}

/** Where a stored file's bytes were found. */
export interface StoredFileLocation {
  /** Absolute path, inside the root, reached without following a link. */
  readonly path: string;
  /** The path relative to the root. */
  readonly relpath: string;
  /** `version`: the version's own copy; `cas`: the content store (the version copy is missing). */
  readonly from: 'version' | 'cas';
  readonly size: number;
}

/** Where a catalogued file's bytes may be, in the order they are looked for: its version's copy, then its store object. */
function copiesOf(file: StoredFileRef): { relpath: string; from: 'version' | 'cas' }[] {
  const copies: { relpath: string; from: 'version' | 'cas' }[] = [
    { relpath: normaliseRelpath(dataRelpath(file.service, file.version, file.relpath)), from: 'version' },
  ];
  if (file.cas_relpath) copies.push({ relpath: normaliseRelpath(file.cas_relpath), from: 'cas' });
  return copies;
}

/**
 * Finds the bytes of a catalogued file: its copy in the version folder, else its
 * content-store object. Paths come from the catalog, are checked again here and are
 * resolved inside the root without following a link (safe-path.ts); a file that is in
 * neither place is NOT_FOUND with a hint to run doctor.
 */
export function locateStoredFile(root: string, file: StoredFileRef): StoredFileLocation {
  for (const candidate of copiesOf(file)) {
    const absolute = tryResolveInsideRoot(root, candidate.relpath);
    if (absolute === null) continue;
    const stat = statIfPresent(absolute);
    if (stat?.isFile()) return { path: absolute, relpath: candidate.relpath, from: candidate.from, size: stat.size };
  }
  throw new OntocatError('NOT_FOUND',
    `The bytes of '${file.relpath}' in ${file.service}/${file.version} are not on disk (neither in its version folder nor in the content store); run doctor.`);
}

/**
 * Like `locateStoredFile`, for bytes handed to a curator as the version's (a download, the
 * lines shown around a finding): the first copy that still holds the recorded content
 * (recorded-bytes.ts: size, then mtime, the hash only where it moved). A version copy
 * edited in place is passed over for an intact store copy; when no copy is intact, the
 * answer is an error naming what changed, never the changed bytes.
 */
export async function locateIntactStoredFile(root: string, file: StoredFileRef & RecordedBytes): Promise<StoredFileLocation> {
  let changed: string | null = null;
  for (const candidate of copiesOf(file)) {
    const absolute = tryResolveInsideRoot(root, candidate.relpath);
    if (absolute === null) continue;
    const stat = statIfPresent(absolute);
    if (!stat?.isFile()) continue;
    const agreement = await compareWithRecord(absolute, stat, file);
    if (agreement.state === 'as-recorded') return { path: absolute, relpath: candidate.relpath, from: candidate.from, size: stat.size };
    if (agreement.state === 'resized') changed ??= `it holds ${agreement.size} bytes, not the ${file.size_bytes} recorded`;
    if (agreement.state === 'rewritten') changed ??= rewrittenWords(agreement.sha256, file.sha256);
  }
  if (changed === null) return locateStoredFile(root, file);
  throw new OntocatError('CONFLICT',
    `The bytes of '${file.relpath}' in ${file.service}/${file.version} were changed on disk since they were stored (${changed}), and no intact copy is left; run doctor.`);
}
