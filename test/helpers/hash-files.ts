/**
 * An independent record of a folder: relpath → SHA-256 of every regular file under it,
 * walked with plain fs calls and node:crypto (none of Ontocat's scan or hashing code).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** relpath (with `/`) → sha256 of every regular file under `dir`. */
export function hashFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out[path.relative(dir, full).split(path.sep).join('/')] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/**
 * coreutils' `sha256sum` of every regular file under `dir`, in byte order of their paths,
 * as `find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum` prints it.
 */
export function sha256sumWalk(dir: string): string {
  const run = spawnSync('sh', ['-c', 'find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`sha256sum walk of ${dir} failed: ${run.stderr}`);
  return run.stdout;
}
