import path from 'node:path';
import { OntocatError } from '../shared/errors.js';

/**
 * Checks a path relative to the storage root (or a version folder) and returns it
 * normalised with forward slashes.
 *
 * Paths arrive from IPC, HTTP, archives and manifests: anything absolute, with `..`, a
 * drive letter, a NUL or a backslash is rejected with a clear error, never "fixed".
 */
export function normaliseRelpath(input: string): string {
  if (typeof input !== 'string' || input.length === 0) throw new OntocatError('UNSAFE_PATH', 'An empty path is not allowed.');
  if (input.includes('\0')) throw new OntocatError('UNSAFE_PATH', `Path '${input.replace(/\0/g, '\\0')}' contains a NUL byte.`);
  if (input.includes('\\')) throw new OntocatError('UNSAFE_PATH', `Path '${input}' contains a backslash; use '/'.`);
  if (input.startsWith('/') || /^[A-Za-z]:/.test(input)) throw new OntocatError('UNSAFE_PATH', `Path '${input}' is absolute; only relative paths are allowed.`);
  const parts = input.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..')) throw new OntocatError('UNSAFE_PATH', `Path '${input}' uses '..' to leave its folder.`);
  if (parts.length === 0) throw new OntocatError('UNSAFE_PATH', `Path '${input}' names no file.`);
  return parts.join('/');
}

/** Anything `normaliseRelpath` would change or refuse, as one expression (besides ''). */
const NOT_NORMALISED = /(^|\/)\.{1,2}(\/|$)|^\/|\/\/|\/$|\\|^[A-Za-z]:|\0/;

/**
 * Whether a path is already what `normaliseRelpath` returns: one regular expression,
 * cheap enough for every row of a bulk insert or a scan.
 */
export function isNormalisedRelpath(relpath: string): boolean {
  return relpath !== '' && !NOT_NORMALISED.test(relpath);
}

/** A control character: it cannot be framed in the tab-separated blocks bulk paths use. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Resolves a relative path inside `root`, refusing anything that would land outside it. */
export function resolveInsideRoot(root: string, relpath: string): string {
  const clean = normaliseRelpath(relpath);
  const absoluteRoot = path.resolve(root);
  const resolved = path.resolve(absoluteRoot, ...clean.split('/'));
  if (resolved !== absoluteRoot && !resolved.startsWith(absoluteRoot + path.sep)) {
    throw new OntocatError('UNSAFE_PATH', `Path '${relpath}' resolves outside the storage root.`);
  }
  return resolved;
}
