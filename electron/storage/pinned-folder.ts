import { constants, existsSync } from 'node:fs';
import { mkdir, open, readlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const FD_DIR = '/proc/self/fd';

/**
 * Whether folders can be held open and written through (Linux's /proc/self/fd). Node has no
 * openat or linkat; a path through `/proc/self/fd/N/` is looked up in the very folder the
 * descriptor N holds, whatever its path now leads to, which is what they would give.
 */
export const canPinFolders = process.platform === 'linux' && existsSync(FD_DIR);

/** A folder held open; `at(name)` is a path to an entry of that folder, and of no other. */
export interface PinnedFolder {
  /** Where the folder was when it was opened. */
  readonly real: string;
  at(name: string): string;
  close(): Promise<void>;
}

const isWithin = (outer: string, inner: string): boolean => {
  const rel = path.relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
};

async function openFolder(at: string): Promise<FileHandle> {
  return open(at, constants.O_RDONLY | constants.O_DIRECTORY);
}

/**
 * Opens `parts` below `target` one folder at a time, each looked up in the one opened before
 * and made when missing, and checks where each opened folder really is: every one must be
 * `realTarget` or inside it. A folder that is (or became) a link leading out is not written
 * through: its relative path and real path are returned instead. A link to a folder inside
 * `realTarget` is followed, as mkdir -p would. Linux only (canPinFolders).
 */
export async function pinFolderInside(realTarget: string, target: string, parts: readonly string[]): Promise<PinnedFolder | { outside: string; real: string }> {
  let handle = await openFolder(target);
  let keep = false;
  try {
    let real = await readlink(`${FD_DIR}/${handle.fd}`);
    if (!isWithin(realTarget, real)) return { outside: '.', real };
    for (let depth = 0; depth < parts.length; depth += 1) {
      const next = `${FD_DIR}/${handle.fd}/${parts[depth]!}`;
      let opened: FileHandle;
      try {
        opened = await openFolder(next);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await mkdir(next).catch((made: NodeJS.ErrnoException) => { if (made.code !== 'EEXIST') throw made; });
        opened = await openFolder(next);
      }
      await handle.close();
      handle = opened;
      real = await readlink(`${FD_DIR}/${handle.fd}`);
      if (!isWithin(realTarget, real)) return { outside: parts.slice(0, depth + 1).join('/'), real };
    }
    keep = true;
    const held = handle;
    const at = `${FD_DIR}/${held.fd}`;
    return { real, at: (name) => `${at}/${name}`, close: () => held.close() };
  } finally {
    if (!keep) await handle.close();
  }
}
