import { readdirSync } from 'node:fs';
import { lstat, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CAS_DIR, casRelpath } from './layout.js';
import { blockedPathError, resolveInsideRoot } from './safe-path.js';

/** The absolute folder of the content store under a root. */
export function casRootOf(root: string): string {
  return path.join(path.resolve(root), ...CAS_DIR.split('/'));
}

/** The absolute path of one stored content. */
export function casPathOf(root: string, sha256: string): string {
  return path.join(path.resolve(root), ...casRelpath(sha256).split('/'));
}

/**
 * Refuses (UNSAFE_PATH) a content store that is, or holds in its fan-out folders, a
 * symlink or a mount point: objects written there would land outside the root.
 *
 * Called before an operation writes objects; workers then use plain absolute paths.
 */
export function assertCasInsideRoot(root: string): void {
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
  walk(CAS_DIR, 2);
}

/** Whether the store holds this content. */
export async function casHas(root: string, sha256: string): Promise<boolean> {
  try {
    return (await lstat(casPathOf(root, sha256))).isFile();
  } catch {
    return false;
  }
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
