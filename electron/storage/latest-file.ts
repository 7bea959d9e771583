import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from './atomic-write.js';

/** The on-disk mirror of a service's latest pointer: `<root>/<service>/LATEST.json`. */
export interface LatestFile {
  readonly service: string;
  readonly version: string;
  readonly updated_at: string;
  readonly by: string;
}

export function latestFilePath(root: string, service: string): string {
  return path.join(root, service, 'LATEST.json');
}

/** Writes `LATEST.json` atomically. */
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
