/**
 * The one rule for service and version names.
 *
 * Names become folders under the storage root (`<root>/<service>/<version>`), so a name
 * must not collide with the root's own files (a service named `catalog.duckdb.wal` would
 * put a folder where DuckDB writes its WAL and brick the catalog), must not be a name
 * Windows reserves, and must not hold a path separator. The contract's zod schemas, the
 * CLI, the renderer's ingest form and the ingest code all ask this module, so they agree.
 */

/** Letters, digits, `.`, `_`, `+`, `-`; starts with a letter or digit; at most 128. */
export const NAME_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

/** Names the storage root uses for itself (compared without case: Windows and macOS fold it). */
const ROOT_NAMES = ['latest.json', 'parquet', 'catalog.duckdb'];

/** Device names Windows reserves in any folder, with or without an extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i;

/** Text as quoted back in a message: control characters escaped, at most 40 characters. */
export function shown(value: string): string {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped.length > 40 ? `${escaped.slice(0, 40)}…` : escaped;
}

/**
 * Why `value` cannot be a service or version name, in plain words, or null when it can.
 *
 * The message names the rule so a curator knows what to change.
 */
export function nameProblem(kind: 'service' | 'version', value: string): string | null {
  if (typeof value !== 'string' || value.length === 0) return `A ${kind} name is required.`;
  if (value.length > 128) return `Invalid ${kind} name '${shown(value)}' (${value.length} characters): a name has max 128.`;
  if (value.includes('/') || value.includes('\\')) return `Invalid ${kind} name '${shown(value)}': a name cannot contain a path separator ('/' or '\\').`;
  if (value.startsWith('.')) return `Invalid ${kind} name '${shown(value)}': names starting with '.' are reserved for the storage root's own folders (.cas, .trash, .tmp, .backups, .ontocat*).`;
  if (!NAME_CHARACTERS.test(value)) {
    return `Invalid ${kind} name '${shown(value)}': use letters, digits, '.', '_', '+' or '-', starting with a letter or digit (max 128).`;
  }
  const lower = value.toLowerCase();
  if (ROOT_NAMES.includes(lower) || lower.startsWith('catalog.duckdb')) {
    return `Invalid ${kind} name '${shown(value)}': it is reserved for the storage root's own files (catalog.duckdb and its WAL, LATEST.json, parquet).`;
  }
  if (lower.endsWith('.')) return `Invalid ${kind} name '${shown(value)}': a name cannot end with '.' (Windows drops it, so two names would share a folder).`;
  if (WINDOWS_DEVICE.test(value)) return `Invalid ${kind} name '${shown(value)}': ${value.split('.')[0]!.toUpperCase()} is a device name Windows reserves (CON, PRN, AUX, NUL, COM1-9, LPT1-9).`;
  return null;
}

/** Whether `value` is an acceptable service or version name. */
export function isValidName(kind: 'service' | 'version', value: string): boolean {
  return nameProblem(kind, value) === null;
}
