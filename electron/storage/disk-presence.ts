/**
 * Disk presence: whether the files a page shows are still where the catalog says.
 *
 * The version tree and file details mark a file that has gone from its version folder
 * before any doctor run recorded it. Only the rows of one page are checked (an lstat
 * each, a few at a time), never a whole version, so a page costs the same in a version
 * of ten files and of a million.
 */
import { casLocate } from './content-store.js';
import { dataRelpath } from './layout.js';
import { OntocatError } from '../shared/errors.js';
import type { DiskState } from '../shared/models.js';
import type { StorageBackend } from './storage-backend.js';

/** Most paths checked for one page (the largest page a listing hands out). */
export const MAX_PRESENCE_CHECKS = 1000;
/** lstat calls in flight at once. */
const CONCURRENCY = 16;

/** A stored path of a version to check: a file (with its content hash) or a folder. */
export interface PresenceItem {
  readonly relpath: string;
  readonly kind: 'file' | 'dir';
  readonly sha256?: string | null;
}

/** What the disk holds at one catalogued path; `null` means as expected. */
export type PresenceResult = DiskState | null;

async function stateOf(storage: StorageBackend, root: string, service: string, version: string, item: PresenceItem): Promise<PresenceResult> {
  let stat;
  try {
    stat = await storage.stat(dataRelpath(service, version, item.relpath));
  } catch (error) {
    // A link or mount point on the way: Ontocat never reads through one, so the file is not there for it.
    if (error instanceof OntocatError && error.code === 'UNSAFE_PATH') return { state: 'unsafe', in_store: null };
    throw error;
  }
  if (stat !== null) {
    if (stat.kind === (item.kind === 'dir' ? 'dir' : 'file')) return null;
    return { state: 'not_a_file', in_store: null };
  }
  const inStore = item.kind === 'file' && item.sha256 ? (await casLocate(root, item.sha256)) !== null : null;
  return { state: 'missing', in_store: inStore };
}

/**
 * Checks each item of one page against the disk: `missing` (nothing at the path; for a
 * file, whether the content store still holds its bytes), `not_a_file` (something else is
 * there), `unsafe` (a link or mount point on the way). At most MAX_PRESENCE_CHECKS items.
 */
export async function checkPresence(
  storage: StorageBackend,
  root: string,
  service: string,
  version: string,
  items: readonly PresenceItem[],
): Promise<PresenceResult[]> {
  if (items.length > MAX_PRESENCE_CHECKS) {
    throw new OntocatError('BAD_INPUT', `At most ${MAX_PRESENCE_CHECKS} paths are checked on disk at once, got ${items.length}.`);
  }
  const out: PresenceResult[] = new Array<PresenceResult>(items.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await stateOf(storage, root, service, version, items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}
