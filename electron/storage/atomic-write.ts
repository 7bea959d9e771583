import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';

/** Suffix of temp files; doctor treats leftovers with it as interrupted writes. */
export const TEMP_SUFFIX = '.ontocat-tmp';

/**
 * A name tempPathFor makes (`.<name>.<12 hex digits>.ontocat-tmp`): what doctor may delete
 * as a leftover. A curator's own `notes.ontocat-tmp` is no such name, and is kept.
 */
export const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.ontocat-tmp$/;

/** Makes a temp name beside `target`, in the same folder so the final rename is atomic. */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

/** Flushes a file's bytes to the disk, so renaming it into place never exposes a torn file after a crash. */
export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder's entry table so a rename in it survives a crash. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open folders; the rename is still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Writes a whole file atomically: temp file, fsync, rename over the target, fsync folder.
 *
 * Readers see the old content or the new one, never a half-written file.
 */
export function writeFileAtomicSync(target: string, data: string | Uint8Array, mode = 0o644): void {
  try {
    writeAtomically(target, data, mode);
  } catch (error) {
    const cause = error as NodeJS.ErrnoException;
    throw new OntocatError('IO_ERROR', `Could not write ${target}: ${cause.code ?? cause.message}.`);
  }
}

function writeAtomically(target: string, data: string | Uint8Array, mode: number): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  // The mode is set at creation, so a secret (mode 0600) is never readable by others.
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try { unlinkSync(temp); } catch { /* best effort */ }
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (error) {
    try { unlinkSync(temp); } catch { /* best effort */ }
    throw error;
  }
  fsyncDir(path.dirname(target));
}
