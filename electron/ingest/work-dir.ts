import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_DIR } from '../storage/layout.js';

/** Makes a fresh private folder under the root's `.tmp/` for one operation. */
export async function makeWorkDir(root: string, label: string): Promise<string> {
  const dir = path.join(path.resolve(root), TEMP_DIR, `${label}-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  return dir;
}
