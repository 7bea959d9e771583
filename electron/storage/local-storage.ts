import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OntocatError } from '../shared/errors.js';
import { fsyncDir, tempPathFor } from './atomic-write.js';
import { normaliseRelpath, resolveInsideRoot } from './safe-path.js';
import type { StorageBackend, StoredEntry, StoredStat } from './storage-backend.js';

async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try { await handle.sync(); } finally { await handle.close(); }
}

function kindOf(stats: { isFile(): boolean; isDirectory(): boolean }): StoredStat['kind'] {
  return stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : 'other';
}

/** The storage backend on a local folder. */
export class LocalStorage implements StorageBackend {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  resolve(relpath: string): string {
    return resolveInsideRoot(this.root, relpath);
  }

  /** Writes through a temp file beside the target, then fsync + rename + fsync folder. */
  private async writeAtomically(relpath: string, write: (temp: string) => Promise<void>): Promise<StoredStat> {
    const target = this.resolve(relpath);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = tempPathFor(target);
    try {
      await write(temp);
      await fsyncPath(temp);
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    fsyncDir(path.dirname(target));
    return (await this.stat(relpath))!;
  }

  putFile(relpath: string, source: string | Readable): Promise<StoredStat> {
    return this.writeAtomically(relpath, async (temp) => {
      const input = typeof source === 'string' ? createReadStream(source) : source;
      await pipeline(input, createWriteStream(temp, { flags: 'wx' }));
    });
  }

  putBytes(relpath: string, bytes: Uint8Array | string): Promise<StoredStat> {
    return this.writeAtomically(relpath, async (temp) => {
      const handle = await open(temp, 'wx');
      try { await handle.writeFile(bytes); } finally { await handle.close(); }
    });
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.resolve(from);
    const target = this.resolve(to);
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new OntocatError('NOT_FOUND', `Cannot move '${from}': it does not exist.`);
      throw error;
    }
    fsyncDir(path.dirname(target));
    if (path.dirname(source) !== path.dirname(target)) fsyncDir(path.dirname(source));
  }

  async delete(relpath: string): Promise<void> {
    const target = this.resolve(relpath);
    await rm(target, { recursive: true, force: true });
    fsyncDir(path.dirname(target));
  }

  async exists(relpath: string): Promise<boolean> {
    return (await this.stat(relpath)) !== null;
  }

  async stat(relpath: string): Promise<StoredStat | null> {
    const clean = normaliseRelpath(relpath);
    try {
      const stats = await lstat(this.resolve(clean));
      return { relpath: clean, kind: kindOf(stats), size_bytes: stats.size, mtime_ms: stats.mtimeMs, links: stats.nlink, inode: stats.ino };
    } catch (error) {
      // ENOTDIR: a file stands where a folder on the way should be; nothing is at the path.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw error;
    }
  }

  /** Lists a folder; `''` or `'.'` lists the root itself. */
  async list(relpath: string, options: { recursive?: boolean } = {}): Promise<StoredEntry[]> {
    const base = relpath === '' || relpath === '.' ? '' : normaliseRelpath(relpath);
    const out: StoredEntry[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(rel === '' ? this.root : this.resolve(rel), { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && rel === base) return;
        throw error;
      }
      for (const entry of entries) {
        const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          out.push({ relpath: child, kind: 'dir', size_bytes: 0 });
          if (options.recursive) await walk(child);
        } else {
          const size = entry.isFile() ? (await lstat(this.resolve(child))).size : 0;
          out.push({ relpath: child, kind: entry.isFile() ? 'file' : 'other', size_bytes: size });
        }
      }
    };
    await walk(base);
    return out.sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0));
  }
}
