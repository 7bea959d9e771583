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
