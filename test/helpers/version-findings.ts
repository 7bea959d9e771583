/**
 * A version's findings as sorted JSON lines, comparable across catalogs and versions: the
 * per-file timing left out, the finding ids and the storage checks' rows kept or not.
 */
import { versionId } from '../../electron/catalog/ids.js';
import type { Catalog } from '../../electron/catalog/open-catalog.js';
import type { VersionRef } from '../../electron/shared/version-ref.js';

export async function versionFindings(catalog: Catalog, ref: VersionRef, options: { ids: boolean; storage: boolean }): Promise<string[]> {
  const rows = await catalog.read((conn) => conn.all<Record<string, unknown> & { details_json: string | null }>(
    `SELECT ${options.ids ? 'v.validation_id::VARCHAR AS id, ' : ''}f.relpath, v.validator, v.rule, v.severity, v.passed, v.message, v.line, v.col, v.subject, v.details_json
     FROM validations v JOIN extracted_files f USING (file_id) WHERE v.version_id = $1${options.storage ? '' : " AND v.validator <> 'storage'"}`,
    [versionId(ref.service, ref.version)]));
  return rows.map(({ details_json: json, ...row }) => {
    const details = json === null ? null : (JSON.parse(json) as Record<string, unknown>);
    if (details) delete details.duration_ms;
    return JSON.stringify({ ...row, details });
  }).sort();
}
