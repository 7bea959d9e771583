import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh storage root in the system temp folder, removed by `cleanup()`. */
export function makeTempRoot(label = 'ontocat-test'): { root: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), `${label}-`));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
