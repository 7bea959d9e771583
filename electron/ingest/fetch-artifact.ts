import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { previousArtifact, recordedArtifact } from '../catalog/ingest-queries.js';
import type { Catalog } from '../catalog/open-catalog.js';
import { refreshReleaseDate } from '../catalog/release-order.js';
import { upsertArtifact, upsertVersion, type NewArtifact } from '../catalog/write-records.js';
import type { FetchSummary } from '../shared/contract/ingest.js';
import { OntocatError } from '../shared/errors.js';
import { lastModifiedEvidence } from '../shared/http-date.js';
import type { WorkControl } from '../shared/progress.js';
import { NAME_CHARACTERS } from '../shared/name-rules.js';
import { assertNameSegment, type VersionRef } from '../shared/version-ref.js';
import { fsyncDir } from '../storage/atomic-write.js';
import { removeQuietly } from '../storage/content-store.js';
import { crashPoint } from '../storage/crash-point.js';
import { placeIntactCopy } from '../storage/intact-copy.js';
import { archiveRelpath, versionDir } from '../storage/layout.js';
import { resolveInsideRoot } from '../storage/safe-path.js';
import { downloadToFile, type DownloadOutcome } from './http-download.js';
import { resolveLimits, type IngestLimits } from './limits.js';
import { makeWorkDir } from './work-dir.js';
import { keepReplacedArtifact } from './replaced-artifact.js';

export interface FetchOptions extends WorkControl {
  readonly service: string;
  readonly version: string;
  /** File name under `archives/`; defaults to the URL's last path segment. */
  readonly name?: string;
  readonly limits?: Partial<IngestLimits>;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly backoffMs?: number;
  /**
   * Replace an artifact the version already records with different content. Without it
   * such a fetch is refused, as ingest refuses it: a release's files never change behind a
   * curator's back.
   */
  readonly replace?: boolean;
}

/** A download sitting in a work folder, not yet placed or recorded. */
export interface DownloadedArtifact {
  readonly name: string;
  readonly source_url: string;
  readonly file: string;
  readonly status: 'fresh' | 'cached';
  readonly sha256: string;
  readonly size_bytes: number;
  readonly etag: string | null;
  readonly last_modified: string | null;
  readonly content_type: string | null;
  readonly attempts: number;
}

/** A URL parsed, or BAD_INPUT naming it (a bare "Invalid URL" says not which). */
function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new OntocatError('BAD_INPUT', `Not a valid URL: ${url}`);
  }
}

/** A safe archive file name from a URL: its last path segment, odd characters replaced. */
export function artifactNameFromUrl(url: string): string {
  const raw = parseUrl(url).pathname.split('/').filter(Boolean).pop() ?? '';
  let segment = raw;
  try {
    segment = decodeURIComponent(raw);
  } catch {
    // An escape that is not UTF-8 (`caf%E9`, Latin-1) is still a URL a server answers:
    // name it from the raw segment, whose '%' becomes '_' below.
  }
  const cleaned = segment.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 128);
  return cleaned || 'download';
}

/**
 * Downloads into `workDir`, reusing the previous copy of the same service + name + URL when
 * the server answers 304 to a conditional GET (the artifact is then `cached`) and that copy
 * still holds the bytes the catalog recorded; otherwise the bytes are fetched again.
 */
export async function downloadArtifact(catalog: Catalog, url: string, options: FetchOptions, workDir: string): Promise<DownloadedArtifact> {
  const limits = resolveLimits(options.limits);
  const name = options.name ?? artifactNameFromUrl(url);
  // Same characters as folder names; the root's reserved names do not apply inside archives/.
  if (!NAME_CHARACTERS.test(name.slice(0, 128))) throw new OntocatError('BAD_INPUT', `Invalid artifact name '${name}': use letters, digits, '.', '_', '+' or '-', starting with a letter or digit.`);
  // Validators belong to the URL they came from: another URL's date or ETag can earn a 304
  // that would put that URL's bytes under this one.
  const previous = await catalog.read((conn) => previousArtifact(conn, options.service, name, url));
  let previousFile: string | null = null;
  if (previous) {
    previousFile = resolveInsideRoot(catalog.root, previous.fs_relpath);
  }
  const file = path.join(workDir, name);
  const outcome = await downloadToFile(url, file, {
    maxBytes: limits.maxDownloadBytes,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    backoffMs: options.backoffMs,
    etag: previous?.etag,
    // A Last-Modified later than its retrieval is a wrong clock (RFC 9110 §8.8.2.1): sent back,
    // a server answered 304 to every release before that date.
    lastModified: previous && lastModifiedEvidence(previous.last_modified, new Date(previous.fetched_at)) ? previous.last_modified : null,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  if (outcome.status === 'downloaded') return freshArtifact(name, url, file, outcome, outcome.attempts);
  if (previous?.sha256 && previousFile && await placeIntactCopy(previousFile, file, { sha256: previous.sha256, size_bytes: previous.size_bytes })) {
    return {
      name, source_url: url, file, status: 'cached', sha256: previous.sha256, size_bytes: previous.size_bytes,
      etag: previous.etag, last_modified: previous.last_modified, content_type: previous.content_type, attempts: outcome.attempts,
    };
  }
  // The stored copy is gone or no longer holds what was recorded: a plain GET, without
  // validators, so the bytes and hash recorded are the server's own.
  const again = await downloadToFile(url, file, {
    maxBytes: limits.maxDownloadBytes, timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs,
    signal: options.signal, onProgress: options.onProgress,
  });
  if (again.status !== 'downloaded') throw new OntocatError('FETCH_FAILED', `${url} answered 304 to a plain GET.`);
  return freshArtifact(name, url, file, again, outcome.attempts + again.attempts);
}

/** A body this fetch downloaded, as the artifact it records. */
function freshArtifact(name: string, url: string, file: string, outcome: Extract<DownloadOutcome, { status: 'downloaded' }>, attempts: number): DownloadedArtifact {
  return {
    name, source_url: url, file, status: 'fresh', sha256: outcome.sha256, size_bytes: outcome.size,
    etag: outcome.etag, last_modified: outcome.lastModified, content_type: outcome.contentType, attempts,
  };
}

/** A file moved into place that can still be taken back if the commit fails. */
export interface Placement {
  readonly fs_relpath: string;
  readonly undo: () => Promise<void>;
  readonly finish: () => Promise<void>;
}

/** Renames a downloaded file into `<service>/<version>/archives/<name>` (keeping any old one aside). */
export async function placeArtifact(root: string, ref: VersionRef, downloaded: DownloadedArtifact, workDir: string): Promise<Placement> {
  const relpath = archiveRelpath(ref.service, ref.version, downloaded.name);
  const target = resolveInsideRoot(root, relpath);
  await mkdir(path.dirname(target), { recursive: true });
  const aside = path.join(workDir, `previous-${downloaded.name}`);
  let hadOld = false;
  try {
    await rename(target, aside);
    hadOld = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(downloaded.file, target);
  fsyncDir(path.dirname(target));
  return {
    fs_relpath: relpath,
    async undo() {
      await rm(target, { force: true });
      if (hadOld) await rename(aside, target).catch(() => undefined);
      fsyncDir(path.dirname(target));
    },
    async finish() {
      if (hadOld) await keepReplacedArtifact(root, relpath, aside, downloaded.sha256);
    },
  };
}

/** The artifact row of a placed download. */
export function artifactRow(ref: VersionRef, downloaded: DownloadedArtifact, fsRelpath: string | null): NewArtifact {
  return {
    service: ref.service, version: ref.version, name: downloaded.name, source_url: downloaded.source_url, etag: downloaded.etag,
    last_modified: downloaded.last_modified, content_type: downloaded.content_type, size_bytes: downloaded.size_bytes,
    sha256: downloaded.sha256, fs_relpath: fsRelpath, status: downloaded.status,
  };
}

/**
 * The download boundary: stream to a temp file while hashing, fsync, rename into
 * `archives/`, then one transaction upserting the version and the artifact row.
 */
export async function fetchArtifact(catalog: Catalog, url: string, options: FetchOptions): Promise<FetchSummary> {
  const ref = { service: assertNameSegment('service', options.service), version: assertNameSegment('version', options.version) };
  // Refuse a linked service, version or archives folder before downloading anything.
  resolveInsideRoot(catalog.root, `${versionDir(ref.service, ref.version)}/archives`);
  const workDir = await makeWorkDir(catalog.root, 'fetch');
  let placement: Placement | null = null;
  try {
    const downloaded = await downloadArtifact(catalog, url, options, workDir);
    if (!options.replace) {
      const recorded = await catalog.read((conn) => recordedArtifact(conn, ref, downloaded.name));
      if (recorded?.sha256 && recorded.sha256 !== downloaded.sha256) {
        throw new OntocatError('CONFLICT', `${ref.service}/${ref.version} already records ${downloaded.name} with different content `
          + `(sha256 ${recorded.sha256.slice(0, 12)}…, ${recorded.size_bytes} bytes; downloaded ${downloaded.sha256.slice(0, 12)}…, ${downloaded.size_bytes} bytes); `
          + 'nothing was changed. Fetch it into a new version, or pass --replace to replace it.');
      }
    }
    placement = await placeArtifact(catalog.root, ref, downloaded, workDir);
    crashPoint('fetch:after-fs-before-commit');
    const fsRelpath = placement.fs_relpath;
    const artifactId = await catalog.write(async (tx) => {
      await upsertVersion(tx, ref);
      const id = await upsertArtifact(tx, artifactRow(ref, downloaded, fsRelpath));
      await refreshReleaseDate(tx, ref);
      await tx.event('fetch.completed', { service: ref.service, version: ref.version, url, name: downloaded.name, status: downloaded.status, bytes: downloaded.size_bytes, attempts: downloaded.attempts });
      return id;
    });
    await placement.finish();
    return {
      service: ref.service, version: ref.version, artifact_id: artifactId, name: downloaded.name, source_url: url, status: downloaded.status,
      size_bytes: downloaded.size_bytes, sha256: downloaded.sha256, fs_relpath: fsRelpath, attempts: downloaded.attempts,
    };
  } catch (error) {
    await placement?.undo();
    await catalog.write((tx) => tx.event('fetch.failed', {
      service: ref.service, version: ref.version, url, code: (error as OntocatError).code ?? 'INTERNAL', message: (error as Error).message,
    }, 'error')).catch(() => undefined);
    throw error;
  } finally {
    await removeQuietly(workDir);
  }
}
