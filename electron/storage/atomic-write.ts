import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { describeFsError, fsFailureDetails } from '../shared/fs-error-words.js';

/** Suffix of temp files; doctor treats leftovers with it as interrupted writes. */
export const TEMP_SUFFIX = '.ontocat-tmp';

/**
 * A name tempPathFor makes (`.<name>.<12 hex digits>.ontocat-tmp`): what doctor may delete
 * as a leftover. A curator's own `notes.ontocat-tmp` is no such name, and is kept.
 */
export const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.ontocat-tmp$/;

/** Longest file name Linux, macOS and Windows file systems take, in bytes (NAME_MAX). */
const NAME_MAX = 255;

/** `name` cut to at most `bytes` bytes of UTF-8, at a character boundary. */
function fitBytes(name: string, bytes: number): string {
  if (Buffer.byteLength(name) <= bytes) return name;
  let out = '';
  let used = 0;
  for (const char of name) {
    used += Buffer.byteLength(char);
    if (used > bytes) break;
    out += char;
  }
  return out;
}

/**
 * Makes a temp name beside `target`, in the same folder so the final rename is atomic. A
 * target name near NAME_MAX (ingest takes 255 bytes) is cut in the temp name, which would
 * otherwise be 26 bytes too long to create (ENAMETOOLONG); the random part keeps it unique.
 */
export function tempPathFor(target: string): string {
  const suffix = `.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  return path.join(path.dirname(target), `.${fitBytes(path.basename(target), NAME_MAX - 1 - suffix.length)}${suffix}`);
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
    // The temp file is gone and the target was not replaced.
    throw new OntocatError('IO_ERROR', `Could not write ${target}: ${describeFsError(error, path.dirname(target))}; nothing was written to it.`, { ...fsFailureDetails(error, path.dirname(target)) });
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

/**
 * Writes `target` through a temp file beside it, which `write` fills (a stream, a copy),
 * then fsync and rename over it: a failed or cut write leaves what was there before, and
 * no temp file.
 */
export async function saveAtomically<T>(target: string, write: (temp: string) => Promise<T>): Promise<T> {
  const temp = tempPathFor(target);
  try {
    const result = await write(temp);
    fsyncFile(temp);
    renameSync(temp, target);
    fsyncDir(path.dirname(target));
    return result;
  } catch (error) {
    try { unlinkSync(temp); } catch { /* never made, or gone */ }
    throw error;
  }
}
