import { createHash } from 'node:crypto';

/** A UUID as text (any letter case): what may be written into SQL as `'…'::UUID`. */
export const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Deterministic id from a natural key, as a UUID.
 *
 * Parts are joined with NUL (never part of a name or path) and hashed with MD5: the id
 * is a key, not a security boundary, and DuckDB computes the very same value in SQL
 * (`md5(kind || chr(0) || …)::UUID`) for bulk inserts. UUID keys index about twice as
 * fast as VARCHAR ones. Re-running a boundary yields the same ids, so writes are upserts.
 */
export function naturalId(kind: string, ...parts: readonly string[]): string {
  const hex = createHash('md5').update([kind, ...parts].join('\0')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const versionId = (service: string, version: string): string => naturalId('version', service, version);
export const artifactId = (versionId: string, name: string): string => naturalId('artifact', versionId, name);
export const fileId = (versionId: string, relpath: string): string => naturalId('file', versionId, relpath);
export const validationId = (fileId: string, validator: string, rule: string, subject: string): string =>
  naturalId('validation', fileId, validator, rule, subject);

/** The SQL twin of `fileId`, for bulk inserts; `vid` and `relpath` are SQL expressions. */
export const fileIdSql = (vid: string, relpath: string): string => `md5('file' || chr(0) || ${vid} || chr(0) || ${relpath})::UUID`;

/** SQL for `content_key`: the first 64 bits of a sha256 hex expression, as UBIGINT. */
export const contentKeySql = (sha256: string): string => `('0x' || ${sha256}[:16])::UBIGINT`;

/** SQL for the four content keys (`content_key` … `content_key_4`): the four 64-bit quarters of a sha256 hex expression, as UBIGINT. */
export const contentKeysSql = (sha256: string): string =>
  [1, 17, 33, 49].map((from) => `('0x' || ${sha256}[${from}:${from + 15}])::UBIGINT`).join(', ');
