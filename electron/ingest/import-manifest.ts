import { lstat, open, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { artifactId, versionId } from '../catalog/ids.js';
import { versionFileRows } from '../catalog/ingest-queries.js';
import type { Catalog } from '../catalog/open-catalog.js';
import { refreshReleaseDate } from '../catalog/release-order.js';
import { replaceVersionFiles, upsertArtifact, upsertVersion, type NewFile } from '../catalog/write-records.js';
import type { ManifestImportResult, ManifestLineError } from '../shared/contract/ingest.js';
import { OntocatError } from '../shared/errors.js';
import { describeFsError } from '../shared/fs-error-words.js';
import { nameSchema } from '../shared/contract/schemas.js';
import { FILE_FORMATS } from '../shared/formats.js';
import { formatVersionRef } from '../shared/version-ref.js';
import { sha256File } from '../storage/file-hash.js';
import { dataRelpath } from '../storage/layout.js';
import { normaliseRelpath, resolveInsideRoot } from '../storage/safe-path.js';
import { detectFormat, SNIFF_BYTES } from './detect-format.js';
import { artifactNameFromUrl } from './fetch-artifact.js';
import { assertPathAllowed } from './ingest-confinement.js';


/**
 * One line of a legacy download manifest (JSON Lines).
 *
 * `path` names a file already on disk: either relative to the storage root
 * (`<service>/<version>/data/<relpath>`) or relative to the version's `data/` folder.
 * Other fields a legacy tool wrote are ignored.
 */
export const manifestRecordSchema = z.object({
  path: z.string().min(1).max(4096),
  service: nameSchema('service'),
  version: nameSchema('version'),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex digits'),
  size: z.number().int().min(0),
  url: z.string().url().max(4096).nullish(),
  format: z.enum(FILE_FORMATS).nullish(),
  mtime: z.union([z.string().max(64), z.number()]).nullish(),
  etag: z.string().max(1024).nullish(),
  last_modified: z.string().max(256).nullish(),
}).passthrough();

export type ManifestRecord = z.infer<typeof manifestRecordSchema>;

/** At most this many line errors are returned (the count is always exact). */
const MAX_ERRORS = 1000;

function describe(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

async function headOf(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface Accepted {
  readonly line: number;
  readonly relpath: string;
  readonly record: ManifestRecord;
  readonly format: string;
  readonly sniffed: string | null;
  readonly mtime: number | null;
}

/**
 * Backfills the catalog from a legacy JSONL manifest of files already on disk.
 *
 * Each line is checked on its own (shape, safe path, a regular file of the version's data
 * folder reached without links, its size, and its SHA-256 hashed here, never taken on
 * trust); a file ingest recorded is never replaced. Bad lines are reported by number and
 * every valid line is imported, in one transaction, merged into the versions' file sets.
 */
export async function importManifest(catalog: Catalog, file: string): Promise<ManifestImportResult> {
  await assertPathAllowed(file, 'read manifests from');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new OntocatError('NOT_FOUND', `Cannot read the manifest ${file}.`);
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const errors: ManifestLineError[] = [];
  let failed = 0;
  const fail = (line: number, message: string): void => {
    failed += 1;
    if (errors.length < MAX_ERRORS) errors.push({ line, message });
  };
  const byVersion = new Map<string, Map<string, Accepted>>();
  const ingestedByVersion = new Map<string, Set<string>>();
  const ingestedRelpaths = async (key: string, ref: { service: string; version: string }): Promise<Set<string>> => {
    let known = ingestedByVersion.get(key);
    if (!known) {
      const rows = await catalog.read((conn) => versionFileRows(conn, ref));
      known = new Set(rows.filter((row) => row.cas_relpath !== null).map((row) => row.relpath));
      ingestedByVersion.set(key, known);
    }
    return known;
  };

  for (let i = 0; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      fail(lineNo, `not JSON: ${(error as Error).message}`);
      continue;
    }
    const parsed = manifestRecordSchema.safeParse(json);
    if (!parsed.success) {
      fail(lineNo, describe(parsed.error));
      continue;
    }
    const record = parsed.data;
    const ref = { service: record.service, version: record.version };
    let relpath: string;
    try {
      relpath = normaliseRelpath(record.path);
      const prefix = `${ref.service}/${ref.version}/data/`;
      if (relpath.startsWith(prefix)) relpath = relpath.slice(prefix.length);
    } catch (error) {
      fail(lineNo, (error as Error).message);
      continue;
    }
    // The file must be a regular file of the version's own data folder: no symlink, no
    // linked folder or mount point on the way (the path is already confined by its text).
    const shown = dataRelpath(ref.service, ref.version, relpath);
    let onDisk: string;
    try {
      onDisk = resolveInsideRoot(catalog.root, shown);
    } catch (error) {
      fail(lineNo, (error as Error).message);
      continue;
    }
    let size: number;
    let mtimeMs: number;
    try {
      const info = await lstat(onDisk);
      if (!info.isFile()) throw new Error('not a file');
      size = info.size;
      mtimeMs = info.mtimeMs;
    } catch {
      fail(lineNo, `no file at ${shown}; only regular files already under the root can be backfilled`);
      continue;
    }
    if (size !== record.size) {
      fail(lineNo, `size ${record.size} does not match the file on disk (${size} bytes)`);
      continue;
    }
    // What ingest recorded is the truth (hashed while stored, linked to the content store).
    const ingested = await ingestedRelpaths(formatVersionRef(ref), ref);
    if (ingested.has(relpath)) {
      fail(lineNo, `${shown} was recorded by ingest; a manifest cannot replace its row`);
      continue;
    }
    // Never record a hash on trust: the bytes must be what the manifest says.
    let actual: string;
    try {
      actual = await sha256File(onDisk);
    } catch (error) {
      fail(lineNo, `cannot read ${shown}: ${describeFsError(error, null)}`);
      continue;
    }
    if (actual !== record.sha256.toLowerCase()) {
      fail(lineNo, `sha256 of ${shown} is ${actual}, not ${record.sha256.toLowerCase()} as the manifest says; nothing recorded for it`);
      continue;
    }
    const key = formatVersionRef(ref);
    const files = byVersion.get(key) ?? new Map<string, Accepted>();
    const earlier = files.get(relpath);
    if (earlier) {
      fail(lineNo, `duplicate of line ${earlier.line} (${key} ${relpath})`);
      continue;
    }
    const mtime = record.mtime === null || record.mtime === undefined ? mtimeMs : new Date(record.mtime).getTime();
    // A format the manifest states is taken as is; the content is read only when it is absent.
    const { format, sniffed } = record.format ? { format: record.format, sniffed: null } : detectFormat(relpath, await headOf(onDisk));
    files.set(relpath, { line: lineNo, relpath, record, format, sniffed, mtime: Number.isFinite(mtime) ? mtime : null });
    byVersion.set(key, files);
  }

  let imported = 0;
  if (byVersion.size > 0) {
    await catalog.write(async (tx) => {
      for (const files of byVersion.values()) {
        const first = files.values().next().value as Accepted;
        const ref = { service: first.record.service, version: first.record.version };
        await upsertVersion(tx, ref);
        const vid = versionId(ref.service, ref.version);
        // One artifact per source URL.
        const byUrl = new Map<string, Accepted[]>();
        for (const accepted of files.values()) {
          if (!accepted.record.url) continue;
          byUrl.set(accepted.record.url, [...(byUrl.get(accepted.record.url) ?? []), accepted]);
        }
        const artifactOf = new Map<string, string>();
        for (const [url, from] of byUrl) {
          const artifactName = artifactNameFromUrl(url);
          const single = from.length === 1 ? from[0]! : null;
          await upsertArtifact(tx, {
            service: ref.service, version: ref.version, name: artifactName, source_url: url,
            etag: single?.record.etag ?? null, last_modified: single?.record.last_modified ?? null,
            size_bytes: from.reduce((sum, item) => sum + item.record.size, 0), sha256: single ? single.record.sha256.toLowerCase() : null,
            fs_relpath: null, status: 'fresh',
          });
          artifactOf.set(url, artifactId(vid, artifactName));
        }
        const merged = new Map<string, NewFile>();
        for (const row of await versionFileRows(tx, ref)) {
          merged.set(row.relpath, { relpath: row.relpath, format: row.format, sniffed_format: row.sniffed_format, size_bytes: row.size_bytes, sha256: row.sha256, mtime: row.mtime_ms, cas_relpath: row.cas_relpath, artifact_id: row.artifact_id });
        }
        for (const accepted of files.values()) {
          merged.set(accepted.relpath, {
            relpath: accepted.relpath, format: accepted.format, sniffed_format: accepted.sniffed, size_bytes: accepted.record.size, sha256: accepted.record.sha256.toLowerCase(),
            mtime: accepted.mtime, cas_relpath: null, artifact_id: accepted.record.url ? artifactOf.get(accepted.record.url) ?? null : null,
          });
          imported += 1;
        }
        await replaceVersionFiles(tx, ref, [...merged.values()]);
        await refreshReleaseDate(tx, ref);
      }
      await tx.event('manifest.imported', { file, lines: lines.length, imported, failed, versions: [...byVersion.keys()] }, failed > 0 ? 'warn' : 'info');
    });
  }
  return { lines: lines.length, imported, failed, versions: [...byVersion.keys()], errors };
}
