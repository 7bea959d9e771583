import type { Catalog } from '../catalog/open-catalog.js';
import { versionStats } from '../catalog/version-queries.js';
import type { IngestResult, IngestSummary } from '../shared/contract/ingest.js';
import { isOntocatError, OntocatError } from '../shared/errors.js';
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
  let validated: Awaited<ReturnType<typeof validateVersion>>;
  try {
    validated = await validateVersion(catalog, ref, {
      signal: options.signal,
      onProgress: options.onProgress ? (progress) => options.onProgress!({ ...progress, phase: 'validate' }) : undefined,
    });
  } catch (error) {
    throw validationFailedAfterIngest(summary, error);
  }
  return { ...summary, validation: validated.health };
}

/**
 * The failure of the validate boundary after the ingest committed (a full disk, a cancel):
 * the version is recorded (and latest, if asked) whatever validation did, so the error says
 * so. Said as the bare cause, the ingest read as failed while LATEST.json named the version.
 */
function validationFailedAfterIngest(summary: IngestSummary, error: unknown): OntocatError {
  const name = `${summary.service}/${summary.version}`;
  const done = summary.status === 'ingested'
    ? `Ingested ${name} (${summary.files === 1 ? '1 file' : `${summary.files} files`})${summary.set_latest ? ', now the latest' : ''}`
    : `${name} was already recorded with the same content${summary.set_latest ? ' and is the latest' : ''}`;
  const cause = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
  const what = isOntocatError(error, 'CANCELLED') ? 'its validation was cancelled' : `validating it failed (${cause.replace(/\.$/, '')})`;
  const code = isOntocatError(error) ? error.code : typeof (error as NodeJS.ErrnoException)?.code === 'string' ? 'IO_ERROR' : 'INTERNAL';
  return new OntocatError(code, `${done}, but ${what}. It is recorded without validation results: run 'ontocat validate ${name}' (doctor lists it too).`, {
    service: summary.service, version: summary.version, ingested: true,
  });
}
