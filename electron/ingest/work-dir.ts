import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { TEMP_DIR } from '../storage/layout.js';
import { resolveInsideRoot } from '../storage/safe-path.js';

/** Makes a fresh private folder under the root's `.tmp/` (never through a linked `.tmp`) for one operation. */
export async function makeWorkDir(root: string, label: string): Promise<string> {
  const dir = resolveInsideRoot(root, `${TEMP_DIR}/${label}-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * The path of a fresh private folder under the root's `.tmp/`, checked like makeWorkDir's
 * but not made yet: for work that often needs no folder at all (a check answered 304).
 * Whoever writes into it makes it first.
 */
export function workDirPath(root: string, label: string): string {
  return resolveInsideRoot(root, `${TEMP_DIR}/${label}-${randomUUID()}`);
}
