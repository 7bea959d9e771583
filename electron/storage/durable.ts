import { spawn } from 'node:child_process';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from './atomic-write.js';

let syncCommandWorks: boolean | null = null;

/** What one write step put on disk, for a platform that must fsync it piece by piece. */
export interface WrittenPaths {
  /** Files whose bytes are new (each inode once: a hardlink's data is its object's). */
  readonly files: readonly string[];
  /** Folders that gained or lost entries. */
  readonly dirs: readonly string[];
}

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
 * command is missing, `written` lists what the step wrote and every file and folder of it
 * is fsynced one by one (listed only then: the list costs a walk of the new tree).
 * Asynchronous, so work on the event loop goes on while the disk flushes: a bucket
 * root's uploads (seconds of a 1 GB ingest stalled behind a blocking `sync`) and a
 * window's progress.
 */
export async function makeDurable(root: string, written: () => Promise<WrittenPaths>): Promise<void> {
  if (process.platform === 'linux' && syncCommandWorks !== false) {
    syncCommandWorks = await syncFilesystem(root);
    if (syncCommandWorks) return;
  }
  const { files, dirs } = await written();
  for (const file of files) {
    const handle = await open(file, 'r');
    try { await handle.sync(); } finally { await handle.close(); }
  }
  for (const dir of new Set(dirs)) fsyncDir(dir);
}

/** `dir` and every folder below it (links are not followed). */
export async function foldersUnder(dir: string): Promise<string[]> {
  const out = [dir];
  for (let i = 0; i < out.length; i += 1) {
    for (const entry of await readdir(out[i]!, { withFileTypes: true })) {
      if (entry.isDirectory()) out.push(path.join(out[i]!, entry.name));
    }
  }
  return out;
}
