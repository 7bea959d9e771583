import { createHash } from 'node:crypto';
import { open, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import type { WorkControl } from '../shared/progress.js';
import { EntryRules, entryRelpath, resolveLinkTarget } from './archive-entry-rules.js';
import { precheckArchive } from './archive-precheck.js';
import { readArchive, type ArchiveEntry, type ArchiveKind } from './archive-readers.js';
import { SNIFF_BYTES } from './detect-format.js';
import type { IngestLimits } from './limits.js';
import { writeFully } from '../storage/write-fully.js';

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
  /** Folder entries with nothing beneath them (a version holds none); null past counting. */
  readonly emptyFolders: number | null;
  readonly bytes: number;
  /** Paths that differ only in letter case: kept (Linux tells them apart), but reported. */
  readonly caseOnlyDuplicates: number;
  readonly caseExamples: readonly string[];
}

/**
 * Extracts an archive into `workDir` securely, hashing every file while it is written.
 *
 * First the headers alone are judged (`precheckArchive`), so a refusal comes before the
 * first write. Refuses (UNSAFE_PATH) absolute names, `..`, links that point outside the
 * archive and device or FIFO entries; (LIMIT_EXCEEDED) archives past the byte, file-count,
 * compression-ratio, path-length or depth limits; (BAD_INPUT) a path that appears twice,
 * whatever the entries' types, since which one wins would be a guess. The same rules run
 * again while extracting. Files land under flat numbered names, so no archive name ever
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
  const checked = await precheckArchive(archive, kind, limits, control);
  const rules = new EntryRules(limits, archiveName, archiveBytes);
  const total = kind === 'gz' ? 1 : checked.files;
  // Said before the first write, so a watcher knows the header checks all passed.
  control.onProgress?.({ done: 0, total, bytes: 0, current: null, phase: 'extract' });
  const files = new Map<string, ExtractedBlob>();
  const links: { relpath: string; target: string; name: string }[] = [];
  const folders: string[] = [];
  let skipped = 0;
  let counter = 0;
  let lastProgress = 0;

  const report = (current: string): void => {
    const now = Date.now();
    if (now - lastProgress < 100) return;
    lastProgress = now;
    control.onProgress?.({ done: rules.files, total, bytes: rules.declaredBytes, current, phase: 'extract' });
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
        rules.addDeclared(chunk.length);
        size += chunk.length;
        hash.update(chunk);
        if (headLength < SNIFF_BYTES) {
          const part = chunk.subarray(0, SNIFF_BYTES - headLength);
          headParts.push(Buffer.from(part));
          headLength += part.length;
        }
        await writeFully(handle, chunk);
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
    const relpath = rules.admit({ ...entry, linkTarget: entry.type === 'symlink' || entry.type === 'hardlink' ? entry.linkTarget ?? '' : undefined });
    if (relpath === null) {
      if (entry.type === 'other') skipped += 1;
      // The rules passed its name; the archive's own root (`./`) is no folder in it.
      if (entry.type === 'dir' && !/^\.(\/\.)*\/?$/.test(entry.name)) folders.push(entryRelpath(archiveName, entry.name));
      return;
    }
    if (entry.type === 'symlink' || entry.type === 'hardlink') {
      links.push({ relpath, target: resolveLinkTarget(relpath, entry.linkTarget ?? '', entry.type === 'hardlink')!, name: entry.name });
      return;
    }
    files.set(relpath, await writeBlob(relpath, entry));
  }, control.signal);

  // Links become entries sharing their target's content (chains resolved a few levels). A
  // target reached through a link to a folder (`via -> current/f.owl`, `current -> v2`) is
  // read through it, as tar -x and unzip resolve it; links to folders stay left out.
  const linkTargets = new Map(links.map((link) => [link.relpath, link.target]));
  for (let round = 0; round < 8 && links.length > 0; round += 1) {
    for (let i = links.length - 1; i >= 0; i -= 1) {
      const link = links[i]!;
      const target = files.get(link.target) ?? files.get(throughFolderLinks(link.target, linkTargets));
      if (!target) continue;
      files.set(link.relpath, { ...target, relpath: link.relpath, blob: null });
      links.splice(i, 1);
    }
  }
  skipped += links.length;
  const kept = rules.files - links.length;
  control.onProgress?.({ done: kept, total: kept, bytes: rules.declaredBytes, current: null, phase: 'extract' });
  const emptyFolders = folders.length === 0 ? 0 : countEmptyFolders(folders, [...files.keys(), ...links.map((link) => link.relpath)]);
  return { files: [...files.values()], skipped, emptyFolders, bytes: rules.declaredBytes, caseOnlyDuplicates: rules.caseOnlyDuplicates, caseExamples: rules.caseExamples };
}

/** Most folders `countEmptyFolders` keeps in memory; past it, it does not count. */
const MAX_COUNTED_FOLDERS = 4_000_000;

/**
 * How many folder entries have nothing beneath them (no file, link or folder), as
 * `find -type d -empty` counts them after `tar -x`. Every entry notes its folders up to the
 * first one already noted, so the work is one step a distinct folder; null when an archive
 * has more distinct folders than are worth holding in memory.
 */
function countEmptyFolders(folders: readonly string[], paths: readonly string[]): number | null {
  const occupied = new Set<string>();
  const note = (relpath: string): boolean => {
    for (let slash = relpath.lastIndexOf('/'); slash > 0; slash = relpath.lastIndexOf('/', slash - 1)) {
      const folder = relpath.slice(0, slash);
      if (occupied.has(folder)) return true;
      occupied.add(folder);
    }
    return occupied.size <= MAX_COUNTED_FOLDERS;
  };
  for (const relpath of paths) if (!note(relpath)) return null;
  for (const relpath of folders) if (!note(relpath)) return null;
  const empty = new Set(folders.filter((folder) => !occupied.has(folder)));
  // A folder entry a file of the same path follows is that file once extracted (tar -x).
  if (empty.size > 0) for (const relpath of paths) empty.delete(relpath);
  return empty.size;
}

/**
 * A link target with every leading folder that is itself a link replaced by that link's
 * target, a few hops deep. Targets are normalised archive paths (no `..`, checked to stay
 * inside when admitted), so the result stays inside the archive too.
 */
function throughFolderLinks(target: string, linkTargets: ReadonlyMap<string, string>): string {
  let current = target;
  for (let hop = 0; hop < 8; hop += 1) {
    const parts = current.split('/');
    let replaced = false;
    for (let k = 1; k < parts.length; k += 1) {
      const folderLink = linkTargets.get(parts.slice(0, k).join('/'));
      if (folderLink === undefined) continue;
      current = path.posix.normalize(`${folderLink}/${parts.slice(k).join('/')}`);
      replaced = true;
      break;
    }
    if (!replaced) return current;
  }
  return current;
}
