import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { fsyncDir } from './atomic-write.js';

let syncCommandWorks: boolean | null = null;

/** Runs `sync -f root` (syncfs) as a child process; true when it succeeded. */
function syncFilesystem(root: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('sync', ['-f', root], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/**
 * Makes everything written under `root` durable before a catalog commit.
 *
 * On Linux one `sync -f` (syncfs) flushes the whole filesystem: far cheaper than an
 * fsync per file when an ingest wrote a hundred thousand of them. Elsewhere, or when that
 * command is missing, every listed file and folder is fsynced one by one. Asynchronous,
 * so work on the event loop goes on while the disk flushes: a bucket root's uploads
 * (seconds of a 1 GB ingest stalled behind a blocking `sync`) and a window's progress.
 */
export async function makeDurable(root: string, files: Iterable<string>, dirs: Iterable<string>): Promise<void> {
  if (process.platform === 'linux' && syncCommandWorks !== false) {
    syncCommandWorks = await syncFilesystem(root);
    if (syncCommandWorks) return;
  }
  for (const file of files) {
    const handle = await open(file, 'r');
    try { await handle.sync(); } finally { await handle.close(); }
  }
  for (const dir of dirs) fsyncDir(dir);
}
