import { getFile } from '../catalog/file-queries.js';
import type { Catalog } from '../catalog/open-catalog.js';
import type { Channel } from '../shared/contract.js';
import type { FileLines, readingContract } from '../shared/contract/reading.js';
import { parseVersionRef } from '../shared/version-ref.js';
import { readLinesAround } from '../storage/file-lines.js';
import { locateIntactStoredFile, type StoredFileLocation } from '../storage/stored-file.js';
import type { HandlerGroup } from './handler-types.js';

type ReadingChannel = keyof typeof readingContract & Channel;

/** Lines kept of one line, and bytes scanned at most to reach the asked one. */
const MAX_LINE_BYTES = 2000;
const MAX_SCAN_BYTES = 1024 * 1024 * 1024;

/** The bytes of a catalogued file of a version: the catalog says which, storage finds an intact copy. */
export async function storedFileOf(catalog: Catalog, ref: string, relpath: string): Promise<StoredFileLocation & { name: string }> {
  const versionRef = parseVersionRef(ref);
  const file = await catalog.read((conn) => getFile(conn, versionRef, relpath));
  const location = await locateIntactStoredFile(catalog.root, { ...file, mtime_ms: file.mtime === null ? null : Date.parse(file.mtime) });
  return { ...location, name: file.relpath.split('/').pop() ?? file.relpath };
}

/** Handlers of the reading channels. */
export const readingHandlers: HandlerGroup<ReadingChannel> = {
  'files:lines': async ({ ref, relpath, line, context }, { catalog }): Promise<FileLines> => {
    const stored = await storedFileOf(catalog, ref, relpath);
    const around = readLinesAround(stored.path, line, { context: context ?? 3, maxLineBytes: MAX_LINE_BYTES, maxScanBytes: MAX_SCAN_BYTES });
    return { ref, relpath, line, ...around, from: stored.from, size_bytes: stored.size };
  },
};
