import { createHash } from 'node:crypto';
import type { Catalog } from '../../electron/catalog/open-catalog.js';
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
