/**
 * Disk state of the rows a page shows: the catalog's listing, then an lstat of each row
 * through the storage layer, so a file deleted by hand shows as missing at once.
 */
import type { Catalog } from '../catalog/open-catalog.js';
import type { DirEntry, FileRecord, Page } from '../shared/models.js';
import type { VersionRef } from '../shared/version-ref.js';
import { checkPresence, MAX_PRESENCE_CHECKS } from '../storage/disk-presence.js';
import { LocalStorage } from '../storage/local-storage.js';

/** One folder level's page with each row's disk state (files doctor already marked damaged are not checked again). */
export async function withDiskState(catalog: Catalog, ref: VersionRef, page: Page<DirEntry>): Promise<Page<DirEntry>> {
  const rows = page.items.slice(0, MAX_PRESENCE_CHECKS);
  const toCheck = rows.map((entry, index) => ({ entry, index })).filter(({ entry }) => !entry.damage);
  const states = await checkPresence(new LocalStorage(catalog.root), catalog.root, ref.service, ref.version,
    toCheck.map(({ entry }) => ({ relpath: entry.relpath, kind: entry.kind, sha256: entry.sha256 })));
  const items = [...page.items];
  toCheck.forEach(({ entry, index }, i) => { items[index] = { ...entry, disk: states[i] ?? null }; });
  return { ...page, items };
}

/** One file with its disk state (a file doctor already marked damaged keeps that mark alone). */
export async function fileWithDiskState(catalog: Catalog, ref: VersionRef, file: FileRecord): Promise<FileRecord> {
  if (file.damage) return { ...file, disk: null };
  const [state] = await checkPresence(new LocalStorage(catalog.root), catalog.root, ref.service, ref.version,
    [{ relpath: file.relpath, kind: 'file', sha256: file.sha256 }]);
  return { ...file, disk: state ?? null };
}
