import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** What the files under `dir` take on disk, each inode counted once (du's way with hard links). */
export function bytesByInode(dir: string): number {
  const inodes = new Map<number, number>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const stat = lstatSync(full);
        inodes.set(stat.ino, stat.size);
      }
    }
  };
  walk(dir);
  return [...inodes.values()].reduce((sum, size) => sum + size, 0);
}
