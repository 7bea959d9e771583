import { filesToVerify } from '../catalog/ingest-queries.js';
import type { Catalog } from '../catalog/open-catalog.js';
import type { VerifyMismatch, VerifyResult } from '../shared/contract/ingest.js';
import type { WorkControl } from '../shared/progress.js';
import type { VersionRef } from '../shared/version-ref.js';
import { requireVersionId } from '../catalog/version-queries.js';
import { FileWorkerPool, forEachBatch } from '../storage/file-worker-pool.js';
import { dataRelpath } from '../storage/layout.js';
import { tryResolveInsideRoot } from '../storage/safe-path.js';

/**
 * Re-hashes the files of one version (or of every version) on disk, and the downloaded
 * archives kept beside them, and lists each one whose bytes no longer match the catalog:
 * missing, wrong size or wrong SHA-256.
 */
export async function verifyStorage(catalog: Catalog, ref: VersionRef | undefined, control: WorkControl = {}): Promise<VerifyResult> {
  const rows = await catalog.read(async (conn) => {
    if (ref) await requireVersionId(conn, ref);
    return filesToVerify(conn, ref);
  });
  const mismatches: VerifyMismatch[] = [];
  const pool = new FileWorkerPool();
  let done = 0;
  let bytes = 0;
  // What was checked is the recorded files: their recorded size is what a curator reads
  // beside the count (the bytes read fall short of it by what is missing or cut).
  const recordedBytes = rows.reduce((sum, row) => sum + row.size_bytes, 0);
  try {
    await forEachBatch(rows, 64, pool.size, async (batch) => {
      // A file behind a symlink or mount point is not part of the root: it counts as missing, unread.
      const paths = batch.map((row) => tryResolveInsideRoot(catalog.root, row.fs_relpath ?? dataRelpath(row.service, row.version, row.relpath)));
      const readable = paths.filter((file): file is string => file !== null);
      const hashed = readable.length > 0 ? await pool.hash(readable) : [];
      let next = 0;
      const results = paths.map((file) => (file === null ? { sha256: null, size: null } : hashed[next++]!));
      results.forEach((result, i) => {
        const row = batch[i]!;
        bytes += result.size ?? 0;
        const problem = result.sha256 === null ? 'missing' : result.size !== row.size_bytes ? 'size' : result.sha256 !== row.sha256 ? 'sha256' : null;
        if (problem) {
          mismatches.push({
            service: row.service, version: row.version, relpath: row.relpath, kind: row.kind, problem, expected_sha256: row.sha256,
            actual_sha256: result.sha256, expected_size: row.size_bytes, actual_size: result.size,
          });
        }
      });
      done += batch.length;
      control.onProgress?.({ done, total: rows.length, bytes, current: batch.at(-1)?.relpath ?? null, phase: 'verify' });
    }, control.signal);
  } finally {
    await pool.close();
  }
  mismatches.sort((a, b) => `${a.service}/${a.version}/${a.relpath}`.localeCompare(`${b.service}/${b.version}/${b.relpath}`));
  return { checked: rows.length, bytes, recorded_bytes: recordedBytes, ok: rows.length - mismatches.length, mismatches };
}
