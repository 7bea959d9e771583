import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { lstatIfPresent } from './stat-if-present.js';

/**
 * Checks a path relative to the storage root (or a version folder) and returns it
 * normalised with forward slashes.
 *
 * Paths arrive from IPC, HTTP, archives and manifests: anything absolute, with `..`, a
 * drive letter, a NUL or a backslash is rejected with a clear error, never "fixed".
 */
export function normaliseRelpath(input: string): string {
  if (typeof input !== 'string' || input.length === 0) throw new OntocatError('UNSAFE_PATH', 'An empty path is not allowed.');
  if (input.includes('\0')) throw new OntocatError('UNSAFE_PATH', `Path '${input.replace(/\0/g, '\\0')}' contains a NUL byte.`);
  if (input.includes('\\')) throw new OntocatError('UNSAFE_PATH', `Path '${input}' contains a backslash; use '/'.`);
  if (input.startsWith('/') || /^[A-Za-z]:/.test(input)) throw new OntocatError('UNSAFE_PATH', `Path '${input}' is absolute; only relative paths are allowed.`);
  const parts = input.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..')) throw new OntocatError('UNSAFE_PATH', `Path '${input}' uses '..' to leave its folder.`);
  if (parts.length === 0) throw new OntocatError('UNSAFE_PATH', `Path '${input}' names no file.`);
  return parts.join('/');
}

/** Anything `normaliseRelpath` would change or refuse, as one expression (besides ''). */
const NOT_NORMALISED = /(^|\/)\.{1,2}(\/|$)|^\/|\/\/|\/$|\\|^[A-Za-z]:|\0/;

/**
 * Whether a path is already what `normaliseRelpath` returns: one regular expression,
 * cheap enough for every row of a bulk insert or a scan.
 */
export function isNormalisedRelpath(relpath: string): boolean {
  return relpath !== '' && !NOT_NORMALISED.test(relpath);
}

/** A control character (C0, DEL or C1, Unicode category Cc): C0 cannot be framed in the tab-separated blocks bulk paths use, and U+0085 breaks lines in YAML and Unicode. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Resolves a relative path inside `root` by its text alone, refusing anything that would land outside it. */
function resolveLexically(root: string, relpath: string): { absoluteRoot: string; clean: string; resolved: string } {
  const clean = normaliseRelpath(relpath);
  const absoluteRoot = path.resolve(root);
  const resolved = path.resolve(absoluteRoot, ...clean.split('/'));
  // A root of `/` (or `C:\`) already ends with the separator.
  const prefix = absoluteRoot.endsWith(path.sep) ? absoluteRoot : absoluteRoot + path.sep;
  if (resolved !== absoluteRoot && !resolved.startsWith(prefix)) {
    throw new OntocatError('UNSAFE_PATH', `Path '${relpath}' resolves outside the storage root.`);
  }
  return { absoluteRoot, clean, resolved };
}

/**
 * The lstat every device and link check here uses. Production never changes it; tests
 * swap it to stand in a mount point, which they cannot make (bind mounts need privileges).
 */
export const deviceProbe = {
  lstat: (abs: string): Stats | undefined => lstatIfPresent(abs),
};

/** Where a path under the root stops being part of the root's own tree, and why. */
export interface PathBlock {
  /** The component (relative to the root) that is a link or a mount point. */
  readonly relpath: string;
  readonly reason: 'symlink' | 'mount';
}

/** Options of the no-follow checks. */
export interface NoFollowOptions {
  /**
   * Accept a symlink as the last component: for operations that act on the link itself
   * and never through it (rename, unlink), such as moving a stray link to the trash.
   */
  readonly allowLastLink?: boolean;
}

/**
 * Finds the first component of `relpath` that is a symbolic link or on another device
 * than the root (a mount point), checking each one with lstat so no link is followed.
 *
 * Components that do not exist yet are fine: folders created there are the root's own.
 * The root itself may be a link (macOS /tmp); only what is inside it is checked.
 */
export function findBlockedComponent(root: string, relpath: string, options: NoFollowOptions = {}): PathBlock | null {
  const { absoluteRoot, clean } = resolveLexically(root, relpath);
  const parts = clean.split('/');
  let start = 0;
  let current = absoluteRoot;
  let rootDev: number;
  const parentKey = parts.length > 1 ? `${absoluteRoot}\0${parts.slice(0, -1).join('/')}` : null;
  const memo = parentKey === null ? undefined : recentDirs.get(parentKey);
  const parentAbs = path.join(absoluteRoot, ...parts.slice(0, -1));
  const parentStat = memo && Date.now() - memo.at < RECENT_DIR_MS ? deviceProbe.lstat(parentAbs) : undefined;
  if (memo && parentStat?.isDirectory() && parentStat.dev === memo.dev && parentStat.ino === memo.ino) {
    // The same folder (device and inode) was walked to moments ago: only the last component is left.
    start = parts.length - 1;
    current = parentAbs;
    rootDev = memo.rootDev;
  } else {
    const rootStat = statSync(absoluteRoot, { throwIfNoEntry: false });
    if (!rootStat) return null;
    rootDev = rootStat.dev;
  }
  for (let i = start; i < parts.length; i += 1) {
    current = path.join(current, parts[i]!);
    const stat = deviceProbe.lstat(current);
    if (!stat) return null;
    const last = i === parts.length - 1;
    const here = parts.slice(0, i + 1).join('/');
    if (stat.isSymbolicLink()) {
      if (last && options.allowLastLink) return null;
      return { relpath: here, reason: 'symlink' };
    }
    if (stat.dev !== rootDev) return { relpath: here, reason: 'mount' };
    // A file in the middle: the rest cannot exist; the operation fails on its own (ENOTDIR).
    if (!last && !stat.isDirectory()) return null;
    if (i === parts.length - 2 && parentKey !== null) rememberDir(parentKey, { dev: stat.dev, ino: stat.ino, rootDev, at: Date.now() });
  }
  return null;
}

/**
 * Folders walked to without a link or mount moments ago (root + relpath → device, inode).
 *
 * Batch work (a prune moving a million files, a verify) touches many files of one folder
 * in a row; re-walking every component for each costs several lstat calls per file. A
 * folder that still has the same device and inode is the same folder, wherever a link
 * might now route its path, so its walk is reused for at most RECENT_DIR_MS.
 */
const recentDirs = new Map<string, { dev: number; ino: number; rootDev: number; at: number }>();
const RECENT_DIR_MS = 1000;
const MAX_RECENT_DIRS = 4096;

function rememberDir(key: string, entry: { dev: number; ino: number; rootDev: number; at: number }): void {
  if (recentDirs.size >= MAX_RECENT_DIRS) recentDirs.clear();
  recentDirs.set(key, entry);
}

/**
 * The first folder anywhere under `relpath` (itself included) that sits on another device
 * than the root: a mount point a recursive delete would descend into. Links are not
 * followed (a recursive delete removes the link itself). Null when the tree is all the
 * root's own or absent.
 */
export function findForeignDevice(root: string, relpath: string): string | null {
  const block = findBlockedComponent(root, relpath, { allowLastLink: true });
  if (block) return block.reason === 'mount' ? block.relpath : null;
  const rootDev = statSync(path.resolve(root)).dev;
  const walk = (rel: string): string | null => {
    const abs = path.resolve(root, ...rel.split('/'));
    const stat = deviceProbe.lstat(abs);
    if (!stat || !stat.isDirectory()) return null;
    if (stat.dev !== rootDev) return rel;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const found = walk(`${rel}/${entry.name}`);
      if (found) return found;
    }
    return null;
  };
  return walk(normaliseRelpath(relpath));
}

/** The plain-words refusal for a blocked path. */
export function blockedPathError(relpath: string, block: PathBlock): OntocatError {
  const what = block.reason === 'symlink' ? 'a symbolic link' : 'a mount point (another file system)';
  return new OntocatError('UNSAFE_PATH',
    `Refused '${relpath}': '${block.relpath}' is ${what} inside the storage root, and Ontocat never reads, writes or deletes through one. Run doctor to review it.`,
    { blocked: block.relpath, reason: block.reason });
}

/**
 * Resolves a relative path inside `root`, refusing anything that would land outside it,
 * by its text (`..`, absolute) or on disk (a symlink or mount point on the way; a symlink
 * as the last component too, unless `allowLastLink`).
 *
 * Every filesystem operation on a root path goes through this, so none follows a link
 * out of the root. A link swapped in between this check and the operation is not caught:
 * Node has no openat, and this closes the window a curator or a stray tool leaves open.
 */
export function resolveInsideRoot(root: string, relpath: string, options: NoFollowOptions = {}): string {
  const { resolved } = resolveLexically(root, relpath);
  const block = findBlockedComponent(root, relpath, options);
  if (block) throw blockedPathError(relpath, block);
  return resolved;
}

/**
 * Resolves many files under the root for reading with one lstat each: each folder on the
 * way is checked once per walk (as `resolveInsideRoot` would: no link, no other device),
 * then each file itself with one lstat, which both refuses a link or mount point there
 * and gives its size.
 *
 * A folder is checked from its parent's check: one lstat, not a walk from the root (a
 * package of 77,779 files in 6,858 folders paid several lstat calls and path joins a
 * folder). For one pass over a version's files (validation reads 100,000 of them); a
 * folder swapped for a link after its check is not caught, as with `resolveInsideRoot`.
 */
export class RootFileProbe {
  private readonly folders = new Map<string, { prefix: string; dev: number | null }>();

  constructor(private readonly root: string) {}

  /** The file's absolute path and its lstat (undefined when absent); throws UNSAFE_PATH where `resolveInsideRoot` would. */
  probe(relpath: string): { abs: string; stat: Stats | undefined } {
    // Catalog paths are stored normalised: one regular expression instead of a split and join a file.
    const clean = isNormalisedRelpath(relpath) ? relpath : normaliseRelpath(relpath);
    const slash = clean.lastIndexOf('/');
    const folderRel = slash < 0 ? '' : clean.slice(0, slash);
    const folder = this.folders.get(folderRel) ?? this.checkFolder(folderRel, folderRel);
    // A normalised name has no separator, '.' or '..': appending it to the checked folder is exact.
    const abs = folder.prefix + clean.slice(slash + 1);
    const stat = deviceProbe.lstat(abs);
    if (stat?.isSymbolicLink()) throw blockedPathError(relpath, { relpath: clean, reason: 'symlink' });
    if (stat && folder.dev !== null && stat.dev !== folder.dev) throw blockedPathError(relpath, { relpath: clean, reason: 'mount' });
    return { abs, stat };
  }

  /**
   * Checks a folder (normalised, '' for the root) after its parent: the root as given (it
   * may be a link), every folder below with one lstat. An absent folder is fine (its files
   * are absent); a file where a folder should be fails on its files' lstat (ENOTDIR), as
   * a walk would. `asked` is the folder a file was probed in, named in the refusal.
   */
  private checkFolder(folderRel: string, asked: string): { prefix: string; dev: number | null } {
    const known = this.folders.get(folderRel);
    if (known) return known;
    let folder: { prefix: string; dev: number | null };
    if (folderRel === '') {
      const abs = path.resolve(this.root);
      // A root of `/` (or `C:\`) already ends with the separator.
      folder = { prefix: abs.endsWith(path.sep) ? abs : abs + path.sep, dev: statSync(abs, { throwIfNoEntry: false })?.dev ?? null };
    } else {
      const slash = folderRel.lastIndexOf('/');
      const parent = this.checkFolder(slash < 0 ? '' : folderRel.slice(0, slash), asked);
      const abs = parent.prefix + folderRel.slice(slash + 1);
      const stat = deviceProbe.lstat(abs);
      if (stat?.isSymbolicLink()) throw blockedPathError(asked, { relpath: folderRel, reason: 'symlink' });
      if (stat && parent.dev !== null && stat.dev !== parent.dev) throw blockedPathError(asked, { relpath: folderRel, reason: 'mount' });
      folder = { prefix: abs + path.sep, dev: parent.dev };
    }
    this.folders.set(folderRel, folder);
    return folder;
  }
}

/** Like `resolveInsideRoot`, but null where the path is behind a link or mount point: for reads that treat it as absent. */
export function tryResolveInsideRoot(root: string, relpath: string, options: NoFollowOptions = {}): string | null {
  try {
    return resolveInsideRoot(root, relpath, options);
  } catch (error) {
    if (error instanceof OntocatError && error.details?.blocked !== undefined) return null;
    throw error;
  }
}

/** Whether a regular file is at `relpath` inside the root (not behind a link or mount point). */
export function isFileInsideRoot(root: string, relpath: string): boolean {
  const resolved = tryResolveInsideRoot(root, relpath);
  return resolved !== null && (lstatIfPresent(resolved)?.isFile() ?? false);
}

/** A path with its links resolved, or as written (absolute) when it does not exist. */
export function realOrResolved(p: string): string {
  try { return realpathSync.native(p); } catch { return path.resolve(p); }
}

/**
 * How a path outside Ontocat's control relates to the storage root, by real paths (links
 * resolved): `inside` (the root itself or under it), `contains` (the root is under it), or
 * `apart`. A path that does not exist is compared by its text.
 */
export function relationToRoot(root: string, candidate: string): 'inside' | 'contains' | 'apart' {
  const rootReal = realOrResolved(root);
  const other = realOrResolved(candidate);
  const within = (child: string, parent: string): boolean => {
    const rel = path.relative(parent, child);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
  };
  if (within(other, rootReal)) return 'inside';
  if (within(rootReal, other)) return 'contains';
  return 'apart';
}
