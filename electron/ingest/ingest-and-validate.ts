import type { Catalog } from '../catalog/open-catalog.js';
import { versionStats } from '../catalog/version-queries.js';
import type { IngestResult } from '../shared/contract/ingest.js';
import { ingest, type IngestOptions } from './ingest.js';
import { validateVersion } from './validate/validate-version.js';

/**
 * Ingests a source, then runs the validate boundary on the new version.
 *
 * Download/extract and validate stay separate boundaries (each its own transaction), so
 * a cancelled validation never loses an ingested version. Re-ingesting unchanged content
 * does not re-validate it: the recorded results still hold.
 */
export async function ingestAndValidate(catalog: Catalog, source: string, options: IngestOptions): Promise<IngestResult> {
  const summary = await ingest(catalog, source, options);
  const ref = { service: summary.service, version: summary.version };
  if (summary.status === 'unchanged') {
    const stats = await catalog.read((conn) => versionStats(conn, ref, 1));
    if (stats.health.files_checked > 0) return { ...summary, validation: stats.health };
  }
  const validated = await validateVersion(catalog, ref, {
    signal: options.signal,
    onProgress: options.onProgress ? (progress) => options.onProgress!({ ...progress, phase: 'validate' }) : undefined,
  });
  return { ...summary, validation: validated.health };
}
