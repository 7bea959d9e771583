/**
 * Stat calls that answer "nothing there" instead of throwing when a path is absent.
 *
 * Node's `throwIfNoEntry: false` covers only ENOENT. A path under a file that stands where
 * a folder should be (a version's data folder replaced by a file) fails with ENOTDIR, which
 * is also "no such entry" to every caller here: doctor, verify and the plans must report such
 * damage, not stop on it.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';

function absentCode(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** `lstat` of `abs` (a link itself), or undefined when no entry is there. */
export function lstatIfPresent(abs: string): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch (error) {
    if (absentCode(error)) return undefined;
    throw error;
  }
}

/** `stat` of `abs` (following links), or undefined when no entry is there. */
export function statIfPresent(abs: string): Stats | undefined {
  try {
    return statSync(abs);
  } catch (error) {
    if (absentCode(error)) return undefined;
    throw error;
  }
}
