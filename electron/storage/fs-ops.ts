import { linkSync, mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync, copyFileSync, constants, type Dirent } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { fsyncDir, tempPathFor } from './atomic-write.js';
import { resolveInsideRoot, tryResolveInsideRoot } from './safe-path.js';
import { lstatIfPresent } from './stat-if-present.js';

/**
 * Size and whole-millisecond mtime of a path under the root, or null when it is gone.
 *
 * A path behind a symlinked folder or a mount point counts as gone: it is not part of the
 * root's tree, so no plan may act on it. A symlink as the last component is present (it
 * is an entry of the tree; moving it to the trash moves the link, not its target).
 */
export function statRelpath(root: string, relpath: string): { size: number; mtime_ms: number; ino: number; nlink: number } | null {
  const file = tryResolveInsideRoot(root, relpath, { allowLastLink: true });
  if (file === null) return null;
  const stat = lstatIfPresent(file);
  if (!stat || stat.isDirectory()) return null;
  return { size: stat.size, mtime_ms: Math.floor(stat.mtimeMs), ino: stat.ino, nlink: stat.nlink };
}

/**
 * Bytes the disk gets back once every one of `relpaths` is deleted: a file's bytes come
 * back only when all its hard links are among them (a version file and its content store
 * object; not one a linked checkout outside the root also holds), each inode counted once.
 */
export function bytesFreedByRemoving(root: string, relpaths: Iterable<string>): number {
  const seen = new Map<number, { links: number; nlink: number; size: number }>();
  for (const relpath of relpaths) {
    const stat = statRelpath(root, relpath);
    if (!stat) continue;
    const entry = seen.get(stat.ino) ?? { links: 0, nlink: stat.nlink, size: stat.size };
    entry.links += 1;
    seen.set(stat.ino, entry);
  }
  let freed = 0;
  for (const entry of seen.values()) if (entry.links >= entry.nlink) freed += entry.size;
  return freed;
}

/**
 * Moves a file from one path under the root to another, creating folders.
 *
 * Idempotent so that a boundary can be re-run after a crash: when the source is gone and
 * the target exists, the move already happened. A rename never overwrites a file. Neither
 * path may pass through a symlinked folder or a mount point; a link as the source's last
 * component is moved itself (rename never follows it).
 */
export function moveRelpath(root: string, from: string, to: string, options: { syncDirs?: Set<string> } = {}): 'moved' | 'already' {
  const source = resolveInsideRoot(root, from, { allowLastLink: true });
  const target = resolveInsideRoot(root, to);
  const sourceStat = lstatIfPresent(source);
  const targetStat = lstatIfPresent(target);
  if (!sourceStat) {
    if (targetStat) return 'already';
    throw new OntocatError('NOT_FOUND', `Cannot move '${from}': it is gone.`);
  }
  if (targetStat) throw new OntocatError('CONFLICT', `Cannot move '${from}' to '${to}': the target already exists.`);
  mkdirSync(path.dirname(target), { recursive: true });
  try {
    renameSync(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // Copying would read through a link; a link is only ever renamed.
    if (sourceStat.isSymbolicLink()) throw new OntocatError('UNSAFE_PATH', `Cannot move the symbolic link '${from}' across file systems.`);
    // Another file system: copy to a temp name beside the target, then rename into place.
    const temp = tempPathFor(target);
    copyFileSync(source, temp, constants.COPYFILE_EXCL);
    renameSync(temp, target);
    unlinkSync(source);
  }
  // Batch movers collect folders and flush each once; a single move flushes now.
  if (options.syncDirs) options.syncDirs.add(path.dirname(target));
  else fsyncDir(path.dirname(target));
  return 'moved';
}

/**
 * Makes `to` the same content as `from`: a hardlink, or a copy where links are impossible.
 *
 * Used to put a content store object back in place; the target must not exist. The
 * source must be a real file of the root's tree, never a link to one elsewhere.
 */
export function linkOrCopyRelpath(root: string, from: string, to: string): 'linked' | 'copied' {
  const source = resolveInsideRoot(root, from);
  const target = resolveInsideRoot(root, to);
  mkdirSync(path.dirname(target), { recursive: true });
  try {
    linkSync(source, target);
    fsyncDir(path.dirname(target));
    return 'linked';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new OntocatError('CONFLICT', `Cannot restore '${to}': it already exists.`);
    const temp = tempPathFor(target);
    copyFileSync(source, temp, constants.COPYFILE_EXCL);
    renameSync(temp, target);
    fsyncDir(path.dirname(target));
    return 'copied';
  }
}

/**
 * Replaces the file at `to` by a hard link of `from` in one rename: the link is made under
 * a temp name beside it, then renamed over the file, so the path always names a whole file.
 * For a copy whose bytes were checked to equal `from`'s: nothing else is kept.
 */
export function replaceWithLinkRelpath(root: string, from: string, to: string): void {
  const source = resolveInsideRoot(root, from);
  const target = resolveInsideRoot(root, to);
  const temp = tempPathFor(target);
  linkSync(source, temp);
  try {
    renameSync(temp, target);
  } catch (error) {
    try { unlinkSync(temp); } catch { /* already gone */ }
    throw error;
  }
  fsyncDir(path.dirname(target));
}

/** Deletes a file (or a link itself) under the root, never through a linked folder; a file already gone is fine. */
export function removeRelpath(root: string, relpath: string): void {
  const target = resolveInsideRoot(root, relpath, { allowLastLink: true });
  try {
    unlinkSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Whether a path under the root is a folder itself (not a link to one), never through a link. */
export function isFolderRelpath(root: string, relpath: string): boolean {
  const dir = tryResolveInsideRoot(root, relpath);
  return dir !== null && (lstatIfPresent(dir)?.isDirectory() ?? false);
}

/**
 * Every entry under a folder of the root that is not a folder (files, links, FIFOs), as
 * root relpaths, without following links; none when the folder is absent.
 */
export function filesUnder(root: string, relpath: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(resolveInsideRoot(root, rel), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) walk(`${rel}/${entry.name}`);
      else out.push(`${rel}/${entry.name}`);
    }
  };
  walk(relpath);
  return out;
}

/**
 * Removes a folder under the root that holds no files, only (nested) empty folders,
 * bottom-up. A file or link anywhere inside keeps it and the folders above it: this never
 * deletes a file and never follows a link. Returns whether the folder is gone.
 */
export function removeEmptyFolderTree(root: string, relpath: string): boolean {
  const dir = resolveInsideRoot(root, relpath);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  let empty = true;
  for (const entry of entries) {
    if (!entry.isDirectory() || !removeEmptyFolderTree(root, `${relpath}/${entry.name}`)) empty = false;
  }
  if (!empty) return false;
  try {
    rmdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
  return true;
}

/**
 * Removes the now-empty folders above a moved file, stopping at the first non-empty one
 * and never going above `stopAt` (relative to the root; '' means the root itself).
 */
export function removeEmptyParents(root: string, relpath: string, stopAt = ''): void {
  let dir = path.posix.dirname(relpath);
  while (dir !== '.' && dir !== '' && dir !== stopAt) {
    try {
      rmdirSync(resolveInsideRoot(root, dir));
    } catch {
      return;
    }
    dir = path.posix.dirname(dir);
  }
}
