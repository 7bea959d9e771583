import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { normaliseRelpath } from '../storage/safe-path.js';
import type { IngestLimits } from './limits.js';

export interface FolderFile {
  readonly relpath: string;
  /** The file to read (a link inside the folder is read through its target). */
  readonly src: string;
}

/**
 * Lists every regular file under a source folder, sorted by path.
 *
 * Symbolic links are followed only when they stay inside the folder (links to folders are
 * skipped, which also rules out loops); one that leaves it, and any device, FIFO or socket,
 * refuses the folder with UNSAFE_PATH. Names that are not safe relative paths are refused.
 */
export async function walkFolder(folder: string, limits: IngestLimits, signal?: AbortSignal): Promise<{ files: FolderFile[]; skipped: number }> {
  const base = await realpath(folder);
  const files: FolderFile[] = [];
  let skipped = 0;
  const visit = async (dir: string, rel: string): Promise<void> => {
    if (signal?.aborted) throw new OntocatError('CANCELLED', 'Ingest cancelled.');
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(child, childRel);
        continue;
      }
      let src = child;
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(child);
        } catch {
          skipped += 1; // a dangling link has no bytes to keep
          continue;
        }
        if (target !== base && !target.startsWith(base + path.sep)) {
          throw new OntocatError('UNSAFE_PATH', `Refused ${folder}: '${childRel}' is a link pointing outside the folder.`);
        }
        const info = await stat(target);
        if (info.isDirectory()) { skipped += 1; continue; }
        if (!info.isFile()) throw new OntocatError('UNSAFE_PATH', `Refused ${folder}: '${childRel}' points at a device, FIFO or socket.`);
        src = target;
      } else if (!entry.isFile()) {
        const info = await lstat(child);
        if (!info.isFile()) throw new OntocatError('UNSAFE_PATH', `Refused ${folder}: '${childRel}' is a device, FIFO or socket.`);
      }
      files.push({ relpath: normaliseRelpath(childRel), src });
      if (files.length > limits.maxFiles) {
        throw new OntocatError('LIMIT_EXCEEDED', `Refused ${folder}: more than ${limits.maxFiles} files (limit maxFiles).`);
      }
    }
  };
  await visit(base, '');
  files.sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0));
  return { files, skipped };
}
