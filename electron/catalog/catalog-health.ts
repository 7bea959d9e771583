import { readdirSync } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { describeFsError, errorFromStrerror } from '../shared/fs-error-words.js';
import { BACKUPS_DIR, CAS_DIR, TRASH_DIR } from '../storage/layout.js';
import { restoreHint } from './backup-manifest.js';
import { describeHolder, readLockHolder } from './writer-lock.js';

/** Whether `dir` looks like a service folder: a LATEST.json, or a version folder with `data/` or `archives/`. */
function looksLikeService(dir: string): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  if (entries.some((entry) => entry.isFile() && entry.name === 'LATEST.json')) return true;
  return entries.some((entry) => {
    if (!entry.isDirectory()) return false;
    try {
      return readdirSync(path.join(dir, entry.name)).some((name) => name === 'data' || name === 'archives');
    } catch {
      return false;
    }
  });
}

/**
 * Whether a root holds stored data: the content store, backups, trash, or service folders
 * with versions in them (other folders a user keeps there do not count).
 *
 * Such a root without its catalog file lost its catalog; it is not a new root, and
 * creating an empty catalog there would make every stored file look like an orphan.
 */
export function rootHasStorage(root: string): boolean {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return false;
  }
  const kept = new Set([CAS_DIR.split('/')[0], BACKUPS_DIR, TRASH_DIR]);
  return entries.some((entry) => entry.isDirectory()
    && (kept.has(entry.name) || (!entry.name.startsWith('.') && looksLikeService(path.join(root, entry.name)))));
}

/** The refusal for a root whose catalog file is gone while its data is still there. */
export function missingCatalogError(root: string, dbPath: string): OntocatError {
  return new OntocatError('NOT_FOUND',
    `The catalog ${dbPath} is missing, but ${root} holds stored versions or backups: nothing was created or changed. ${restoreHint(root)}`,
    { catalog: 'missing' });
}

// DuckDB's own words for a file that is not a database, or a damaged one.
const corruptPatterns = [/not a valid DuckDB database file/i, /Could not read enough bytes/i, /corrupt/i, /checksum/i, /invalid (block|header|database)/i, /INTERNAL Error/i, /Serialization Error/i];
// DuckDB's words when another process holds the file's OS lock.
const lockPatterns = [/Could not set lock on file/i, /Conflicting lock is held/i];

/**
 * Turns DuckDB's failure to open the catalog into an error a user can act on.
 *
 * A lock is reported only when DuckDB says so (naming the holder from our lock file when
 * it is there); a file that is not a DuckDB database or is damaged is reported as such,
 * with the newest backup and the restore command. Matching a bare "lock" would take
 * DuckDB's "block" checksum errors for a lock.
 */
export function openFailureError(root: string, dbPath: string, error: unknown): OntocatError {
  const message = (error as Error).message ?? String(error);
  const first = message.split('\n')[0]!;
  if (lockPatterns.some((pattern) => pattern.test(message))) {
    const holder = readLockHolder(root);
    const who = holder ? `open for writing by ${describeHolder(holder)}` : 'in use by another process';
    return new OntocatError('LOCKED', `The catalog ${dbPath} is ${who}; close it there first.`, holder ? { holder } : undefined);
  }
  if (corruptPatterns.some((pattern) => pattern.test(message))) {
    return new OntocatError('IO_ERROR',
      `The catalog file ${dbPath} cannot be opened: it is not a valid DuckDB file or it is damaged (${first.replace(/^IO Error: /, '')}). Nothing was changed. ${restoreHint(root)}`,
      { catalog: 'corrupt' });
  }
  // A file the user may not open, too many open files: said plainly, DuckDB's text after.
  const system = errorFromStrerror(first);
  if (system) {
    const where = /"([^"]+)"/.exec(first)?.[1] ?? dbPath;
    return new OntocatError('IO_ERROR', `Could not open the catalog ${dbPath}: ${describeFsError(system, where)}. Nothing was changed. DuckDB said: ${first}`,
      { errno: system.code, cause: describeFsError(system, where) });
  }
  return new OntocatError('IO_ERROR', `Could not open the catalog ${dbPath}: ${first}`);
}

/**
 * The one-line report of a COMMIT that DuckDB refused (a full disk while writing the WAL):
 * DuckDB rolls the transaction back, so the catalog is as it was; said plainly first, with
 * the cause in plain words where DuckDB names one, and DuckDB's own text after it.
 */
export function commitFailureError(dbPath: string, error: unknown): OntocatError {
  const first = ((error as Error).message ?? String(error)).split('\n')[0]!;
  const system = errorFromStrerror(first);
  const cause = system ? `: ${describeFsError(system, path.dirname(dbPath))}` : '';
  return new OntocatError('IO_ERROR', `Could not save the change to the catalog ${dbPath}${cause}. The catalog was not changed. DuckDB said: ${first}`,
    { catalog_unchanged: true, ...(system ? { errno: system.code, cause: describeFsError(system, path.dirname(dbPath)) } : {}) });
}

/**
 * The one-line report of a CHECKPOINT that DuckDB could not write (a full disk), run before
 * `doing` (a backup, a compact): a checkpoint writes the file's header last, so the catalog
 * is as it was and the changes are still in the WAL, replayed on the next open.
 */
export function checkpointFailureError(dbPath: string, doing: string, error: unknown): OntocatError {
  const first = ((error as Error).message ?? String(error)).split('\n')[0]!;
  const system = errorFromStrerror(first);
  const cause = system ? `: ${describeFsError(system, path.dirname(dbPath))}` : '';
  return new OntocatError('IO_ERROR', `Could not ${doing}: DuckDB could not first write the changes kept in its write-ahead log into the catalog file${cause}. `
    + `The catalog was not changed; those changes stay in the log. DuckDB said: ${first}`,
  { catalog_unchanged: true, ...(system ? { errno: system.code, cause: describeFsError(system, path.dirname(dbPath)) } : {}) });
}

/** Whether DuckDB gave up on the database instance (it refuses every statement after that). */
export function isFatalDuckDbError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /FATAL Error|database has been invalidated/i.test(message);
}

/**
 * The one-line report of a DuckDB fatal error inside a write: what happened, that nothing
 * of it was committed (DuckDB replays only committed work on the next open) and what to run next.
 */
export function fatalWriteError(root: string, dbPath: string, error: unknown): OntocatError {
  const first = ((error as Error).message ?? String(error)).split('\n')[0]!;
  return new OntocatError('IO_ERROR',
    `DuckDB stopped with a fatal error while writing the catalog ${dbPath} (${first}); nothing of this operation was committed. `
    + `Run the command again; if the catalog then does not open, ${restoreHint(root).replace(/^The newest/, 'the newest')}`,
    { catalog: 'fatal' });
}
