import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempRoot } from './temp-root.js';

/**
 * Makes single files refuse to move, for failure-mid-way tests.
 *
 * The tests run as root, and root ignores folder permissions (a read-only parent does not
 * stop a rename), so a file gets the immutable attribute instead (`chattr +i`: rename and
 * unlink fail with EPERM, as on any protected file). Where the file system or the
 * process's capabilities do not allow it, `canMakeImmutable` is false and those tests skip.
 */
export const canMakeImmutable = ((): boolean => {
  const { root, cleanup } = makeTempRoot('ontocat-chattr');
  try {
    const file = path.join(root, 'probe');
    writeFileSync(file, '');
    const set = spawnSync('chattr', ['+i', file]);
    spawnSync('chattr', ['-i', file]);
    return set.status === 0;
  } finally {
    cleanup();
  }
})();

const pinned: string[] = [];

/** Makes one file immutable until `clearImmutable()`. */
export function makeImmutable(file: string): void {
  const run = spawnSync('chattr', ['+i', file]);
  if (run.status !== 0) throw new Error(`chattr +i ${file} failed: ${run.stderr.toString()}`);
  pinned.push(file);
}

/** Clears every attribute set by `makeImmutable` (call it before removing the temp root). */
export function clearImmutable(): void {
  for (const file of pinned.splice(0)) spawnSync('chattr', ['-i', file]);
}
