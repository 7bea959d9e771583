import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from './atomic-write.js';
import { latestRelpath } from './layout.js';
import { resolveInsideRoot } from './safe-path.js';

/** The on-disk mirror of a service's latest pointer: `<root>/<service>/LATEST.json`. */
export interface LatestFile {
  readonly service: string;
  readonly version: string;
  readonly updated_at: string;
  readonly by: string;
}

/**
 * Where a service's `LATEST.json` is; refuses (UNSAFE_PATH) when the service folder or the
 * file is a symlink or a mount point, so the pointer is never written or read elsewhere.
 */
export function latestFilePath(root: string, service: string): string {
  return resolveInsideRoot(root, latestRelpath(service));
}

/** Writes `LATEST.json` atomically, inside the root's own tree only. */
export function writeLatestFile(root: string, latest: LatestFile): void {
  writeFileAtomicSync(latestFilePath(root, latest.service), `${JSON.stringify(latest, null, 2)}\n`);
}

/** Reads `LATEST.json`, or null when it is missing or unreadable. */
export function readLatestFile(root: string, service: string): LatestFile | null {
  try {
    return JSON.parse(readFileSync(latestFilePath(root, service), 'utf8')) as LatestFile;
  } catch {
    return null;
  }
}
