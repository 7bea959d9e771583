import { createHash } from 'node:crypto';
import { open, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import type { WorkControl } from '../shared/progress.js';
import { normaliseRelpath } from '../storage/safe-path.js';
import { readArchive, type ArchiveEntry, type ArchiveKind } from './archive-readers.js';
import { SNIFF_BYTES } from './detect-format.js';
import type { IngestLimits } from './limits.js';

/** One extracted file, hashed, waiting in the work folder. */
export interface ExtractedBlob {
  readonly relpath: string;
  /** Absolute temp path; null for a link that reuses another entry's bytes. */
  readonly blob: string | null;
  readonly sha256: string;
  readonly size: number;
  readonly mtimeMs: number | null;
  readonly head: Buffer;
}

export interface ExtractResult {
  readonly files: readonly ExtractedBlob[];
  /** Entries left out: links to nothing or to folders, unknown entry types. */
  readonly skipped: number;
  readonly bytes: number;
}

const formatBytes = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${(n / 1e6).toFixed(1)} MB`);

/** Counts what extraction produced and refuses the archive the moment a limit is passed. */
class Budget {
  bytes = 0;
  files = 0;
  constructor(private readonly limits: IngestLimits, private readonly archiveName: string, private readonly archiveBytes: number) {}

  addFile(): void {
    this.files += 1;
    if (this.files > this.limits.maxFiles) {
      throw new OntocatError('LIMIT_EXCEEDED', `Refused ${this.archiveName}: more than ${this.limits.maxFiles} files (limit maxFiles).`);
    }
  }

  addBytes(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxBytes) {
      throw new OntocatError('LIMIT_EXCEEDED', `Refused ${this.archiveName}: it expands past ${formatBytes(this.limits.maxBytes)} (limit maxBytes).`);
    }
    if (this.bytes > this.limits.ratioFloorBytes && this.bytes > this.archiveBytes * this.limits.maxRatio) {
      throw new OntocatError(
        'LIMIT_EXCEEDED',
        `Refused ${this.archiveName}: compression ratio above ${this.limits.maxRatio}:1 (${formatBytes(this.bytes)} from ${this.archiveBytes} bytes); it looks like an archive bomb.`,
      );
    }
  }
}

/**
 * Checks an archive entry's name: relative, normalised, inside the archive.
 *
 * Anything else (absolute, `..`, a drive letter, NUL, backslash) refuses the whole
 * archive: an archive that tries to escape is not trusted for its other entries either.
 */
function entryRelpath(archiveName: string, name: string): string {
  try {
    return normaliseRelpath(name.replace(/\/+$/, ''));
  } catch (error) {
    throw new OntocatError('UNSAFE_PATH', `Refused ${archiveName}: entry '${name}' ${(error as OntocatError).message.replace(/^Path '.*?' /, '')}`);
  }
}

/** Resolves a link target against the link's folder; null when it leaves the archive. */
function resolveLinkTarget(relpath: string, target: string, hard: boolean): string | null {
  if (target === '' || target.startsWith('/') || /^[A-Za-z]:/.test(target) || target.includes('\\') || target.includes('\0')) return null;
  // Hard links in tar name their target from the archive root; symlinks from their folder.
  const joined = hard ? target : path.posix.join(path.posix.dirname(relpath), target);
  const normal = path.posix.normalize(joined);
  if (normal === '..' || normal.startsWith('../') || normal.startsWith('/') || normal === '.') return null;
  return normal;
}

/**
 * Extracts an archive into `workDir` securely, hashing every file while it is written.
 *
 * Refuses (UNSAFE_PATH) absolute names, `..`, links that point outside the archive and
 * device or FIFO entries; refuses (LIMIT_EXCEEDED) archives past the byte, file-count or
 * compression-ratio limits. Files land under flat numbered names, so no archive name ever
 * becomes a path on disk here; links inside the archive become copies of their target's
 * content. The caller removes `workDir` on failure.
 */
export async function extractArchive(
  archive: string,
  kind: ArchiveKind,
  workDir: string,
  limits: IngestLimits,
  control: WorkControl = {},
): Promise<ExtractResult> {
  const archiveName = path.basename(archive);
  const archiveBytes = (await stat(archive)).size;
  const budget = new Budget(limits, archiveName, archiveBytes);
  const files = new Map<string, ExtractedBlob>();
  const links: { relpath: string; target: string; name: string }[] = [];
  let skipped = 0;
  let counter = 0;
  let lastProgress = 0;

  const report = (current: string): void => {
    const now = Date.now();
    if (now - lastProgress < 100) return;
    lastProgress = now;
    control.onProgress?.({ done: budget.files, total: null, bytes: budget.bytes, current, phase: 'extract' });
  };

  const writeBlob = async (relpath: string, entry: ArchiveEntry): Promise<ExtractedBlob> => {
    const blob = path.join(workDir, `e${counter++}`);
    const hash = createHash('sha256');
    const headParts: Buffer[] = [];
    let headLength = 0;
    let size = 0;
    const handle = await open(blob, 'wx', 0o444);
    try {
      const stream = await entry.open();
      for await (const raw of stream) {
        if (control.signal?.aborted) throw new OntocatError('CANCELLED', 'Ingest cancelled.');
        const chunk = raw as Buffer;
        budget.addBytes(chunk.length);
        size += chunk.length;
        hash.update(chunk);
        if (headLength < SNIFF_BYTES) {
          const part = chunk.subarray(0, SNIFF_BYTES - headLength);
          headParts.push(Buffer.from(part));
          headLength += part.length;
        }
        await handle.write(chunk);
      }
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(blob).catch(() => undefined);
      throw error;
    }
    await handle.close();
    report(relpath);
    return { relpath, blob, sha256: hash.digest('hex'), size, mtimeMs: entry.mtimeMs, head: Buffer.concat(headParts) };
  };

  await readArchive(archive, kind, async (entry) => {
    if (control.signal?.aborted) throw new OntocatError('CANCELLED', 'Ingest cancelled.');
    if (entry.type === 'device') {
      throw new OntocatError('UNSAFE_PATH', `Refused ${archiveName}: entry '${entry.name}' is a device or FIFO, which archives of data never need.`);
    }
    if (entry.type === 'dir') {
      entryRelpath(archiveName, entry.name);
      return;
    }
    if (entry.type === 'other') {
      skipped += 1;
      return;
    }
    const relpath = entryRelpath(archiveName, entry.name);
    if (entry.type === 'symlink' || entry.type === 'hardlink') {
      const target = resolveLinkTarget(relpath, entry.linkTarget ?? '', entry.type === 'hardlink');
      if (target === null) {
        throw new OntocatError('UNSAFE_PATH', `Refused ${archiveName}: link '${entry.name}' points outside the archive ('${entry.linkTarget ?? ''}').`);
      }
      budget.addFile();
      links.push({ relpath, target, name: entry.name });
      return;
    }
    budget.addFile();
    const previous = files.get(relpath);
    // A later entry of the same name replaces the earlier one, as tar itself does.
    if (previous?.blob) await unlink(previous.blob).catch(() => undefined);
    files.set(relpath, await writeBlob(relpath, entry));
  });

  // Links become entries sharing their target's content (chains resolved a few levels).
  for (let round = 0; round < 8 && links.length > 0; round += 1) {
    for (let i = links.length - 1; i >= 0; i -= 1) {
      const link = links[i]!;
      const target = files.get(link.target);
      if (!target) continue;
      files.set(link.relpath, { ...target, relpath: link.relpath, blob: null });
      links.splice(i, 1);
    }
  }
  skipped += links.length;
  budget.files -= links.length;
  control.onProgress?.({ done: budget.files, total: budget.files, bytes: budget.bytes, current: null, phase: 'extract' });
  return { files: [...files.values()], skipped, bytes: budget.bytes };
}
