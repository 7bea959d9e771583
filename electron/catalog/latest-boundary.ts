import { OntocatError } from '../shared/errors.js';
import { fsFailureDetails } from '../shared/fs-error-words.js';
import type { VersionRef } from '../shared/version-ref.js';
import { crashPoint } from '../storage/crash-point.js';
import { latestRelpath } from '../storage/layout.js';
import { writeLatestFile } from '../storage/latest-file.js';
import type { WriteTx } from './open-catalog.js';
import { checkPreviewStamps } from './preview-stamp.js';
import { getLatest } from './version-queries.js';
import { setLatestPointer } from './write-records.js';

/**
 * The set-latest boundary inside a write transaction: the pointer row first, then
 * `LATEST.json` before the commit, so a failed file write rolls the pointer back.
 *
 * Shared by `latest:set` and ingest's `setLatest`, so both move the pointer the same way.
 * With `expected` (the latest a preview compared with, null for none), it refuses when the
 * pointer is elsewhere now: another client moved it after the preview was shown. With
 * `stamps` (previewStamp of both, as the preview read them), it refuses when either version's
 * release date, files or findings changed since.
 */
export async function setLatestInTx(
  tx: WriteTx, root: string, ref: VersionRef, by: string, expected?: string | null, stamps?: { readonly to: string; readonly from: string | null },
): Promise<{ previous: string | null; changed: boolean }> {
  if (expected !== undefined) {
    const now = (await getLatest(tx, ref.service))?.version ?? null;
    if (now !== expected) {
      throw new OntocatError('CONFLICT', `The latest ${ref.service} is ${now ?? 'none'} now, not ${expected ?? 'none'} as this change was based on (another client moved it since); `
        + 'nothing was changed. Review the change again.', { service: ref.service, latest: now, expected });
    }
  }
  // The versions themselves must still be as the preview showed them (date, files, findings).
  if (stamps) {
    const latest = expected !== undefined ? expected : (await getLatest(tx, ref.service))?.version ?? null;
    await checkPreviewStamps(tx, ref, latest === null || latest === ref.version ? null : { service: ref.service, version: latest }, stamps);
  }
  const before = (await getLatest(tx, ref.service))?.version ?? null;
  return setLatestPointer(tx, ref, by, async () => {
    // The pointer's own time, as doctor writes it back: the file and the catalog agree to the millisecond.
    const pointer = await getLatest(tx, ref.service);
    const updatedAt = pointer ? new Date(pointer.updated_at) : new Date();
    try {
      writeLatestFile(root, { service: ref.service, version: ref.version, updated_at: updatedAt.toISOString(), by });
    } catch (error) {
      // The pointer row rolls back with the transaction and the old file stays: say so.
      const failure = fsFailureDetails(error);
      if (!failure) throw error;
      throw new OntocatError('IO_ERROR', `Could not set the latest ${ref.service} to ${ref.version}: could not write ${latestRelpath(ref.service)}: ${failure.cause}. `
        + `Nothing was changed: the latest ${ref.service} is ${before === null ? 'still unset' : `still ${before}`}.`, { ...failure });
    }
    crashPoint('latest.after-file-write');
  });
}
