/**
 * Plain words for the file-system errors a curator meets (full disk, permission denied,
 * read-only file system, …), with the errno and the kernel's own phrase kept after them,
 * because scripts grep for `ENOSPC` and the like.
 *
 * Plain TS so that every layer, and the renderer, can use the same words.
 */

/** What each errno means, said about `where` (a path) when there is one. */
const fsErrorWords: Readonly<Record<string, (where: string | null) => string>> = {
  ENOSPC: (where) => (where ? `the disk holding ${where} is full` : 'the disk is full'),
  EDQUOT: (where) => (where ? `the disk quota for ${where} is exceeded` : 'the disk quota is exceeded'),
  EACCES: (where) => (where ? `permission denied on ${where}` : 'permission denied'),
  EPERM: (where) => (where ? `the operation is not permitted on ${where}` : 'the operation is not permitted'),
  EROFS: (where) => (where ? `${where} is on a read-only file system` : 'the file system is read-only'),
  EMFILE: () => 'too many open files in this process',
  ENFILE: () => 'too many open files on this system',
  ENAMETOOLONG: (where) => (where ? `the file name ${where} is too long` : 'a file name is too long'),
  EIO: (where) => (where ? `the disk holding ${where} reported an input/output error` : 'the disk reported an input/output error'),
  ENOENT: (where) => (where ? `${where} does not exist` : 'a file or folder does not exist'),
  ENOTDIR: (where) => (where ? `a part of ${where} is not a folder` : 'a part of the path is not a folder'),
  EISDIR: (where) => (where ? `${where} is a folder` : 'a folder is in the way'),
  EBUSY: (where) => (where ? `${where} is busy` : 'a file is busy'),
  EMLINK: (where) => (where ? `${where} has too many links` : 'a file has too many links'),
  EXDEV: () => 'the move crosses file systems',
  ETXTBSY: (where) => (where ? `${where} is in use` : 'a file is in use'),
  EFBIG: (where) => (where ? `${where} is too large for its file system` : 'a file is too large for its file system'),
};

/**
 * The C library's words for the errnos above (strerror), as engines that do not give the
 * errno (DuckDB: 'Could not write file "…": No space left on device') print them.
 */
const strerrorWords: readonly (readonly [string, string])[] = [
  ['ENOSPC', 'No space left on device'], ['EDQUOT', 'Disk quota exceeded'], ['EACCES', 'Permission denied'],
  ['EPERM', 'Operation not permitted'], ['EROFS', 'Read-only file system'], ['EMFILE', 'Too many open files'],
  ['ENFILE', 'Too many open files in system'], ['ENAMETOOLONG', 'File name too long'], ['EIO', 'Input/output error'],
];

/**
 * A Node-like system error for a message that names the failure only in the C library's
 * words, so that `describeFsError` can say it plainly; null when it names none of them.
 */
export function errorFromStrerror(message: string): { code: string; message: string } | null {
  // The longest phrase first: "Too many open files in system" is not EMFILE.
  const found = [...strerrorWords].sort((a, b) => b[1].length - a[1].length).find(([, words]) => message.toLowerCase().includes(words.toLowerCase()));
  return found ? { code: found[0], message: `${found[0]}: ${found[1].toLowerCase()}` } : null;
}

/** `text` with its first letter upper-cased, to open a sentence. */
export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The errno of `error` (a Node system error's `code`, e.g. `ENOSPC`), or null. */
export function errnoOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : null;
}

/**
 * The kernel's phrase from a Node system error's message ("ENOSPC: no space left on
 * device, write" → "no space left on device"), or null when it has none.
 */
function kernelPhrase(code: string, message: string): string | null {
  const match = new RegExp(`^${code}: ([^,]+)`).exec(message);
  return match ? match[1]!.trim() : null;
}

/**
 * One phrase for a file-system error: plain words first, then the errno and the kernel's
 * phrase in parentheses ("the disk holding /x is full (ENOSPC: no space left on device)").
 * `where` names the file or folder when the error does not (a write has no path); null
 * names none (the caller has said where already).
 * An error with no errno gives its own first line.
 */
export function describeFsError(error: unknown, where?: string | null): string {
  const message = typeof (error as { message?: unknown } | null)?.message === 'string' ? (error as { message: string }).message : String(error);
  const code = errnoOf(error);
  if (!code) return message.split('\n')[0] ?? message;
  const place = where !== undefined ? where : typeof (error as { path?: unknown }).path === 'string' ? (error as { path: string }).path : null;
  const phrase = kernelPhrase(code, message);
  const words = fsErrorWords[code]?.(place);
  if (!words) return phrase ? `${code}: ${phrase}${place ? ` (${place})` : ''}` : message.split('\n')[0] ?? message;
  return `${words} (${phrase ? `${code}: ${phrase}` : code})`;
}

/**
 * What a file-system failure's OntocatError carries so that an outer step can say it
 * again with what that step did and did not change: the errno and the phrase above.
 */
export interface FsFailureDetails {
  readonly errno: string;
  readonly cause: string;
}

/**
 * The details above for `error`, or null when it is no file-system failure (a network
 * errno such as ECONNREFUSED is not one: its step says what failed in its own words).
 */
export function fsFailureDetails(error: unknown, where?: string | null): FsFailureDetails | null {
  const errno = errnoOf(error);
  if (errno) return errno in fsErrorWords ? { errno, cause: describeFsError(error, where) } : null;
  const details = (error as { details?: Partial<FsFailureDetails> } | null)?.details;
  return typeof details?.errno === 'string' && typeof details.cause === 'string' ? { errno: details.errno, cause: details.cause } : null;
}
