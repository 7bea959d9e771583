import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { fsyncDir } from './atomic-write.js';

let syncCommandWorks: boolean | null = null;

/**
 * Makes everything written under `root` durable before a catalog commit.
 *
 * On Linux one `sync -f` (syncfs) flushes the whole filesystem: far cheaper than an
 * fsync per file when an ingest wrote a hundred thousand of them. Elsewhere, or when that
 * command is missing, every listed file and folder is fsynced one by one.
 */
export function makeDurable(root: string, files: Iterable<string>, dirs: Iterable<string>): void {
  if (process.platform === 'linux' && syncCommandWorks !== false) {
    const result = spawnSync('sync', ['-f', root], { stdio: 'ignore' });
    syncCommandWorks = result.status === 0;
    if (syncCommandWorks) return;
  }
  for (const file of files) {
    const fd = openSync(file, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  }
  for (const dir of dirs) fsyncDir(dir);
}
