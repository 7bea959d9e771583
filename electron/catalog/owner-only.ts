/**
 * Owner-only modes for the catalog's own files: `catalog.duckdb`, its WAL and `.backups/`.
 *
 * The catalog holds the team server's password hashes and sources' webhook URLs, so only
 * its owner may read it (0600 files, 0700 folders), unlike the version data files beside
 * it, which curators open with their own tools and which are never touched here. DuckDB
 * creates its files with the process's umask (0644 as a rule), so: a new catalog is created
 * under umask 077; the WAL, which DuckDB deletes at every checkpoint and creates again at
 * the next commit, is created by us beforehand as an empty owner-only file that DuckDB
 * appends to; and whatever DuckDB created anyway (or an older Ontocat left) is chmodded.
 * A root the opener does not own, or cannot change (read-only), is left as it is.
 */
import { chmodSync, closeSync, lstatSync, openSync, readdirSync, rmSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

export const OWNER_FILE_MODE = 0o600;
export const OWNER_DIR_MODE = 0o700;

let warned = false;

/** One warning per process: a root that refuses chmod says so once, not at every commit. */
function warnOnce(target: string, error: unknown): void {
  if (warned) return;
  warned = true;
  console.warn(`[ontocat] could not make ${target} owner-only (${(error as Error).message}); the catalog holds password hashes and webhook URLs.`);
}

function statOf(target: string): Stats | null {
  try {
    return lstatSync(target);
  } catch {
    return null;
  }
}

/**
 * Takes group and other permissions off `target` when this process owns it and it has
 * some; true when it is owner-only (or absent) afterwards. Never throws.
 */
export function restrictToOwner(target: string, mode: number): boolean {
  const stats = statOf(target);
  if (!stats || stats.isSymbolicLink()) return stats === null;
  if ((stats.mode & 0o077) === 0) return true;
  // Someone else's root (a shared one opened by a curator): not ours to change, and chmod would fail.
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) return false;
  try {
    chmodSync(target, mode);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A read-only root (a mounted snapshot, a backup disk) cannot change and needs no word.
    if (code !== 'EROFS') warnOnce(target, error);
    return false;
  }
}

/** The WAL DuckDB writes beside `dbPath`. */
export function walPathOf(dbPath: string): string {
  return `${dbPath}.wal`;
}

/**
 * After every write of an open catalog: the WAL exists as an empty owner-only file for
 * DuckDB's next commit to append to (it deleted it at a checkpoint), and is owner-only
 * if DuckDB made it. Never throws.
 */
export function guardWal(dbPath: string): void {
  const wal = walPathOf(dbPath);
  if (statOf(wal)) {
    restrictToOwner(wal, OWNER_FILE_MODE);
    return;
  }
  try {
    closeSync(openSync(wal, 'wx', OWNER_FILE_MODE));
  } catch {
    // Made meanwhile, or the folder refuses it: the chmod after the next commit covers it.
  }
}

/** After the catalog is closed: the empty WAL made by guardWal is not left behind. */
export function dropEmptyWal(dbPath: string): void {
  const wal = walPathOf(dbPath);
  try {
    if (statSync(wal).size === 0) rmSync(wal, { force: true });
  } catch {
    // Absent, or not ours to remove.
  }
}

/** `.backups/` and everything in it (backup folders, copies, manifests, set-aside files) owner-only. */
export function restrictBackups(backupsDir: string): void {
  const stats = statOf(backupsDir);
  if (!stats?.isDirectory()) return;
  if (!restrictToOwner(backupsDir, OWNER_DIR_MODE) && (stats.mode & 0o077) !== 0) return;
  let entries: string[];
  try {
    entries = readdirSync(backupsDir);
  } catch {
    return;
  }
  for (const name of entries) {
    const target = path.join(backupsDir, name);
    const entry = statOf(target);
    if (entry?.isDirectory()) restrictBackups(target);
    else if (entry?.isFile()) restrictToOwner(target, OWNER_FILE_MODE);
  }
}

/**
 * Runs `create` (a DuckDB open that makes a new database file) with umask 077, so the new
 * file is owner-only from its first byte; the umask is the process's, so only for as long as
 * the open takes. Where umask cannot be set (a worker thread), the chmod after the open serves.
 */
export async function withOwnerOnlyUmask<T>(create: () => Promise<T>): Promise<T> {
  let previous: number | null;
  try {
    previous = process.umask(0o077);
  } catch {
    previous = null;
  }
  try {
    return await create();
  } finally {
    if (previous !== null) process.umask(previous);
  }
}
