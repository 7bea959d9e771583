import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { removeQuietly } from '../storage/content-store.js';
import { TEMP_DIR } from '../storage/layout.js';
import { resolveInsideRoot } from '../storage/safe-path.js';

/** Makes a fresh private folder under the root's `.tmp/` (never through a linked `.tmp`) for one operation. */
export async function makeWorkDir(root: string, label: string): Promise<string> {
  const dir = resolveInsideRoot(root, `${TEMP_DIR}/${label}-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A private folder under the root's `.tmp/` that exists only once something is written into it. */
export interface LazyWorkDir {
  /** Where the folder is or will be (joined from the absolute root: no lookup). */
  readonly path: string;
  /** Checks the path like makeWorkDir (no link or mount point on the way) and makes the folder, once. */
  readonly make: () => Promise<string>;
  /** Removes the folder and what is in it, when it was made; otherwise touches nothing. */
  readonly remove: () => Promise<void>;
}

/**
 * A work folder for work that often needs none (a source check answered 304): naming it
 * costs no system call, and the path-safety lookups and the mkdir happen in `make`, when
 * the first body arrives. A check that never calls `make` touches no disk, on the way in or out.
 */
export function lazyWorkDir(root: string, label: string): LazyWorkDir {
  const relpath = `${TEMP_DIR}/${label}-${randomUUID()}`;
  const dir = path.join(path.resolve(root), ...relpath.split('/'));
  let made: Promise<string> | null = null;
  return {
    path: dir,
    make: () => {
      made ??= (async () => {
        const checked = resolveInsideRoot(root, relpath);
        await mkdir(checked, { recursive: true });
        return checked;
      })();
      return made;
    },
    remove: async () => {
      // A folder refused by the check was never made: nothing to remove, and its path may lead through a link.
      if (made) await made.then(removeQuietly, () => undefined);
    },
  };
}
