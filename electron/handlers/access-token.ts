import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../storage/atomic-write.js';
import { OntocatError } from '../shared/errors.js';
import { describeFsError } from '../shared/fs-error-words.js';

/** The root's access token, beside the lock: one per root, kept across restarts. */
export const TOKEN_FILE = '.ontocat.token';

const tokenShape = /^[A-Za-z0-9_-]{32,128}$/;

/** The token file of a root. */
export function tokenPath(root: string): string {
  return path.join(root, TOKEN_FILE);
}

/**
 * Reads a root's token, or null when there is none yet (or it is not ours to trust).
 *
 * A file others may read (not owner-only) or of the wrong shape is ignored: it is then
 * replaced by `loadOrCreateToken`, so a leaked token does not stay valid.
 */
export function readToken(root: string): string | null {
  const file = tokenPath(root);
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) return null;
    const token = readFileSync(file, 'utf8').trim();
    return tokenShape.test(token) ? token : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new OntocatError('IO_ERROR', `Could not read the access token ${file}: ${describeFsError(error, null)}.`);
  }
}

/**
 * Why a root's token file exists but is not trusted (others may read it, or it is not a
 * token), in words that say what to do; null when it is absent or trusted.
 */
export function untrustedTokenReason(root: string): string | null {
  const file = tokenPath(root);
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return null;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    return `its access token ${file} can be read by others (mode ${(mode & 0o777).toString(8)}), so Ontocat does not trust it: ` +
      `if you did not share it, run 'chmod 600 ${file}'; else restart the running Ontocat, which then makes a new one.`;
  }
  return readToken(root) === null ? `its access token ${file} is not a token Ontocat wrote; restart the running Ontocat, which then makes a new one.` : null;
}

/**
 * The root's token, made (random, owner-only 0600, written atomically) on first use.
 *
 * Keeping it means a restarted `ontocat serve` accepts the tabs and bookmarks of the last
 * run; deleting the file revokes them at the next start.
 */
export function loadOrCreateToken(root: string): string {
  const existing = readToken(root);
  if (existing !== null) return existing;
  const token = randomBytes(24).toString('base64url');
  writeFileAtomicSync(tokenPath(root), `${token}\n`, 0o600);
  return token;
}

/** Where the web host last listened for a root, so a restart comes back on the same port. */
export const PORT_FILE = '.ontocat.port';

/** The port the root's web host used last time, or null. */
export function lastWebPort(root: string): number | null {
  try {
    const port = Number(readFileSync(path.join(root, PORT_FILE), 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port <= 65535 ? port : null;
  } catch {
    return null;
  }
}

/** Records the web host's port (atomically); a failure only costs the next restart its port. */
export function rememberWebPort(root: string, port: number): void {
  try {
    writeFileAtomicSync(path.join(root, PORT_FILE), `${port}\n`);
  } catch {
    // Best effort: the next start picks a free port instead.
  }
}
