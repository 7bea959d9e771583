import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from '../storage/file-hash.js';

/** A catalogued file of the version whose data folder is about to be replaced. */
export interface CataloguedFile {
  readonly relpath: string;
  readonly sha256: string;
  readonly size_bytes: number;
}

/**
 * The paths under a version's data folder that replacing the folder would lose: anything
 * holding other bytes than both the catalog's file at that path (none when the catalog
 * does not list it: a curator's own file, one left behind by a prune) and the file the new
 * version puts there (`incoming`: a folder a killed ingest of the same source left is not
 * lost). `rows` is null when the catalog has no such version.
 *
 * A file that is the store object of one of those contents (same inode) holds it; any
 * other of the right size is hashed, so a copy made where links are impossible still
 * counts as the same content. No folder, nothing lost.
 */
export async function filesReplacingWouldLose(
  dataDir: string,
  rows: readonly CataloguedFile[] | null,
  incoming: readonly CataloguedFile[],
  storeObjectOf: (sha256: string) => string,
): Promise<string[]> {
  // No folder (a new version), nothing lost: the paths are not even indexed.
  if (!(await lstat(dataDir).then(() => true, (error: NodeJS.ErrnoException) => { if (error.code === 'ENOENT') return false; throw error; }))) return [];
  const kept = new Map<string, CataloguedFile[]>();
  for (const file of [...(rows ?? []), ...incoming]) kept.set(file.relpath, [...(kept.get(file.relpath) ?? []), file]);
  const lost: string[] = [];
  const holdsOneOf = async (file: string, candidates: readonly CataloguedFile[]): Promise<boolean> => {
    const info = await lstat(file);
    const sized = candidates.filter((candidate) => candidate.size_bytes === info.size);
    for (const candidate of sized) {
      const object = await lstat(storeObjectOf(candidate.sha256)).catch(() => null);
      if (object && object.ino === info.ino && object.dev === info.dev) return true;
    }
    if (sized.length === 0) return false;
    const sha256 = await sha256File(file);
    return sized.some((candidate) => candidate.sha256 === sha256);
  };
  const visit = async (dir: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(child, childRel);
        continue;
      }
      const candidates = kept.get(childRel);
      if (!candidates || !entry.isFile() || !(await holdsOneOf(child, candidates))) lost.push(childRel);
    }
  };
  await visit(dataDir, '');
  return lost.sort();
}
