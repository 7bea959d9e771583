import { createHash } from 'node:crypto';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import {
  replaceVersionFiles, replaceVersionValidations, setLatestPointer, upsertVersion, type NewFile, type NewValidation,
} from '../../../electron/catalog/write-records.js';

/** A deterministic sha256 for a content label. */
export const sha = (label: string): string => createHash('sha256').update(label).digest('hex');

/** A file whose content is named by `content` (same label, same hash). */
export function f(relpath: string, content: string, size = content.length * 10, format = 'turtle'): NewFile {
  return { relpath, format, size_bytes: size, sha256: sha(content) };
}

export interface VersionFixture {
  readonly service: string;
  readonly version: string;
  readonly created_at?: string;
  readonly files: readonly NewFile[];
  readonly validations?: readonly NewValidation[];
  readonly latest?: boolean;
}

/** Records versions directly (as the ingest boundaries would) in a fresh catalog. */
export async function recordVersions(catalog: Catalog, versions: readonly VersionFixture[]): Promise<void> {
  for (const v of versions) {
    await catalog.write(async (tx) => {
      await upsertVersion(tx, { service: v.service, version: v.version, created_at: v.created_at });
      await replaceVersionFiles(tx, v, v.files);
      if (v.validations) await replaceVersionValidations(tx, v, v.validations);
      if (v.latest) await setLatestPointer(tx, v, 'test');
    });
  }
}

export async function catalogWith(root: string, versions: readonly VersionFixture[]): Promise<Catalog> {
  const catalog = await openCatalog({ root, threads: 1 });
  await recordVersions(catalog, versions);
  return catalog;
}

/** A failed validation finding. */
export function fail(relpath: string, rule: string, extra: Partial<NewValidation> = {}): NewValidation {
  return { relpath, validator: 'rdf-syntax', rule, severity: 'ERROR', passed: false, message: `${rule} in ${relpath}`, ...extra };
}
