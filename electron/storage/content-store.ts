import { readdirSync } from 'node:fs';
import { lstat, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CAS_DIR, casRelpath, legacyCasRelpath } from './layout.js';
import { blockedPathError, resolveInsideRoot } from './safe-path.js';

/** The absolute folder of the content store under a root. */
export function casRootOf(root: string): string {
  return path.join(path.resolve(root), ...CAS_DIR.split('/'));
}

/** The absolute path of one stored content (where new objects go). */
export function casPathOf(root: string, sha256: string): string {
  return path.join(path.resolve(root), ...casRelpath(sha256).split('/'));
}

/**
 * Refuses (UNSAFE_PATH) a content store that is, or holds in its fan-out folders, a
 * symlink or a mount point: objects written there would land outside the root.
 *
 * Called before an operation writes objects; workers then use plain absolute paths. With
 * `legacy` (the store still has objects in the older two-level layout, which ingest reads
 * from) the second level is checked too; otherwise only the `ab/` folders, so a check
 * never lists every object of a one-level store.
 */
export function assertCasInsideRoot(root: string, legacy = true): void {
  resolveInsideRoot(root, CAS_DIR);
  const walk = (relpath: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(resolveInsideRoot(root, relpath), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      const child = `${relpath}/${entry.name}`;
      if (entry.isSymbolicLink()) throw blockedPathError(child, { relpath: child, reason: 'symlink' });
      if (entry.isDirectory() && depth > 1) walk(child, depth - 1);
    }
  };
  walk(CAS_DIR, legacy ? 2 : 1);
}

/** Where the store holds this content (its relative path, in either layout), or null. */
export async function casLocate(root: string, sha256: string): Promise<string | null> {
  for (const relpath of [casRelpath(sha256), legacyCasRelpath(sha256)]) {
    try {
      if ((await lstat(path.join(path.resolve(root), ...relpath.split('/')))).isFile()) return relpath;
    } catch {
      // Not in this layout.
    }
  }
  return null;
}

/**
 * Removes store objects an interrupted ingest added, unless something links to them now.
 *
 * An object with more than one link is in use by a version folder and stays.
 */
export async function removeUnlinkedCasObjects(root: string, sha256s: Iterable<string>): Promise<number> {
  let removed = 0;
  for (const sha of sha256s) {
    const file = casPathOf(root, sha);
    try {
      if ((await lstat(file)).nlink <= 1) {
        await unlink(file);
        removed += 1;
      }
    } catch {
      // Already gone.
    }
  }
  return removed;
}

/** Removes a temp work folder, never failing. */
export async function removeQuietly(target: string): Promise<void> {
  await rm(target, { recursive: true, force: true }).catch(() => undefined);
}
