import type { VersionRef } from '../shared/version-ref.js';
import { crashPoint } from '../storage/crash-point.js';
import { writeLatestFile } from '../storage/latest-file.js';
import type { WriteTx } from './open-catalog.js';
import { getLatest } from './version-queries.js';
import { setLatestPointer } from './write-records.js';

/**
 * The set-latest boundary inside a write transaction: the pointer row first, then
 * `LATEST.json` before the commit, so a failed file write rolls the pointer back.
 *
 * Shared by `latest:set` and ingest's `setLatest`, so both move the pointer the same way.
 */
export function setLatestInTx(tx: WriteTx, root: string, ref: VersionRef, by: string): Promise<{ previous: string | null }> {
  return setLatestPointer(tx, ref, by, async () => {
    // The pointer's own time, as doctor writes it back: the file and the catalog agree to the millisecond.
    const pointer = await getLatest(tx, ref.service);
    const updatedAt = pointer ? new Date(pointer.updated_at) : new Date();
    writeLatestFile(root, { service: ref.service, version: ref.version, updated_at: updatedAt.toISOString(), by });
    crashPoint('latest.after-file-write');
  });
}
