import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { holderAlive, readLockHolder, type LockHolder } from '../catalog/writer-lock.js';

/** The Unix socket an owner listens on, in its storage root. */
export const SOCKET_FILE = '.ontocat.sock';

/**
 * Where the owner of `root` takes calls from other Ontocat processes: `<root>/.ontocat.sock`,
 * or on Windows (no sockets in folders) a named pipe named after the root's resolved path.
 */
export function endpointPathFor(root: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const id = createHash('sha256').update(path.win32.resolve(root).toLowerCase()).digest('hex').slice(0, 24);
    return `\\\\.\\pipe\\ontocat-${id}`;
  }
  return path.join(path.resolve(root), SOCKET_FILE);
}

/** A live Ontocat process that owns a root and says where it listens. */
export interface CatalogOwner {
  readonly holder: LockHolder;
  readonly endpoint: string;
}

/** Whether a lock holder is one of ours (`ontocat-web`, `ontocat-desktop`, …). */
export function isOntocatApp(app: string): boolean {
  return /^ontocat-[a-z]+$/.test(app);
}

/**
 * The Ontocat process that owns `root` and takes calls, or null: no lock, a lock of
 * something else (not Ontocat), of another host, of a dead process, or of a one-shot
 * command that serves nobody. Those cases keep the lock's own refusal or recovery.
 *
 * Whether the endpoint really answers is for the caller to find out by connecting: a
 * reused pid passes this check but has no socket.
 */
export function findCatalogOwner(root: string): CatalogOwner | null {
  const holder = readLockHolder(path.resolve(root));
  if (!holder || holder.endpoint === undefined) return null;
  if (!isOntocatApp(holder.app) || holder.host !== hostname() || holder.pid === process.pid || !holderAlive(holder)) return null;
  return { holder, endpoint: holder.endpoint };
}

/** How this process, the owner of `root`, names itself to its clients: `ontocat-web (pid 4242)`; null when it does not hold the lock. */
export function ownName(root: string): string | null {
  const holder = readLockHolder(path.resolve(root));
  return holder && holder.pid === process.pid && holder.host === hostname() ? `${holder.app} (pid ${holder.pid})` : null;
}
