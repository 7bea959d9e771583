import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A file system of its own, small enough to fill: a tmpfs mounted for one test, so that
 * writes into it fail with a real ENOSPC from the kernel (no fault injection).
 *
 * Mounting needs root, as the tests run in CI (and here); where it is refused,
 * `canMountSmallFs` is false and the tests that need it skip outside CI.
 */
export const canMountSmallFs = ((): boolean => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ontocat-tmpfs-probe-'));
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status !== 0) return false;
    spawnSync('umount', [dir]);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/** Skip a test that needs a small file system only where one cannot be mounted and this is not CI. */
export const noSmallFs = !canMountSmallFs && process.env.CI !== 'true';

export interface SmallFs {
  /** The mount point. */
  readonly dir: string;
  /** Fills the file system until `leaveBytes` (rounded down to its blocks) are left free. */
  fill(leaveBytes?: number): void;
  /** Deletes the filler: the space is back. */
  free(): void;
  /** Unmounts and removes the mount point. */
  cleanup(): void;
}

/** Mounts a tmpfs of `size` (as `mount -o size=` takes it: `48m`, `512k`). */
export function mountSmallFs(size: string, label = 'ontocat-small-fs'): SmallFs {
  const dir = mkdtempSync(path.join(tmpdir(), `${label}-`));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mount -t tmpfs ${dir} failed: ${mounted.stderr.toString()}`);
  }
  const filler = path.join(dir, '.filler');
  return {
    dir,
    fill(leaveBytes = 0) {
      rmSync(filler, { force: true });
      const stats = statfsSync(dir);
      const free = stats.bavail * stats.bsize;
      try {
        writeFileSync(filler, Buffer.alloc(Math.max(0, free - leaveBytes)));
      } catch (error) {
        // Block accounting may round: what fitted stays, and the disk is full.
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    cleanup() {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
