import { createHash } from 'node:crypto';
import type { Catalog } from '../../electron/catalog/open-catalog.js';
import { insertCandidate } from '../../electron/catalog/source-queries.js';
import { replaceVersionFiles, replaceVersionValidations, upsertVersion, type NewFile, type NewValidation } from '../../electron/catalog/write-records.js';

/** A deterministic fake sha256 for test content. */
export function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Records a version with files (and optional validations) in one transaction. */
export async function recordVersion(
  catalog: Catalog,
  service: string,
  version: string,
  files: readonly (Partial<NewFile> & { relpath: string })[],
  options: { created_at?: string; validations?: readonly NewValidation[] } = {},
): Promise<void> {
  await catalog.write(async (tx) => {
    await upsertVersion(tx, { service, version, created_at: options.created_at });
    await replaceVersionFiles(tx, { service, version }, files.map((file) => ({
      format: 'turtle',
      size_bytes: 100,
      sha256: sha(`${service}/${version}/${file.relpath}`),
      ...file,
    })));
    if (options.validations) await replaceVersionValidations(tx, { service, version }, options.validations);
  });
}

/**
 * Versions of `service` with no files, each a pending candidate of one source, in one
 * transaction: `versions[i]` created i minutes after 2024-01-01, so later ones are newer.
 */
export async function recordCandidates(catalog: Catalog, service: string, versions: readonly string[]): Promise<void> {
  await catalog.write(async (tx) => {
    for (const [i, version] of versions.entries()) {
      await upsertVersion(tx, { service, version, created_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() });
      await insertCandidate(tx, { service, version, source_id: 'nightly', run_id: 'run-1' });
    }
  });
}
