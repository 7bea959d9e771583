import { referencedAmong } from '../catalog/bucket-queries.js';
import type { Catalog } from '../catalog/open-catalog.js';
import type { WorkControl } from '../shared/progress.js';
import { bucketOf } from '../storage/bucket-config.js';
import { BucketStore, mapBounded } from '../storage/bucket-store.js';

/** Objects uploaded at once (each large one also sends its parts four at a time). */
export const UPLOAD_PARALLEL = 8;

/** One distinct content to have in the bucket, and where its local copy is. */
export interface ContentToUpload {
  readonly sha256: string;
  readonly size: number;
  /** Absolute path of the local copy (the root's content store, which is the local cache). */
  readonly file: string;
}

/** What one upload step did. */
export interface UploadSummary {
  readonly uploaded: number;
  readonly bytes: number;
  /** Contents the catalog already references: in the bucket already, not sent again. */
  readonly already: number;
}

/**
 * Uploads the contents of an ingest that the bucket does not hold yet, before the
 * catalog commit that references them (a no-op on a local-disk root).
 *
 * Contents some catalog row already references are in the bucket (bucket doctor checks
 * that) and are skipped; the rest go up `UPLOAD_PARALLEL` at a time, each streamed while
 * hashed, with its SHA-256 as the object checksum. Only when every upload has completed
 * does ingest commit: a run killed half way leaves, at worst, complete objects that
 * nothing references yet (bucket prune collects them, a re-run reuses them).
 */
export async function uploadToBucket(catalog: Catalog, contents: readonly ContentToUpload[], control: WorkControl = {}): Promise<UploadSummary | null> {
  const config = bucketOf(catalog.root);
  if (!config) return null;
  const distinct = [...new Map(contents.map((item) => [item.sha256, item])).values()];
  const known = await catalog.read((conn) => referencedAmong(conn, distinct.map((item) => item.sha256)));
  const todo = distinct.filter((item) => !known.has(item.sha256));
  const total = todo.reduce((sum, item) => sum + item.size, 0);
  const store = new BucketStore(config);
  let bytes = 0;
  let done = 0;
  let lastReport = 0;
  const report = (current: string | null, force = false): void => {
    const now = Date.now();
    if (!force && now - lastReport < 100) return;
    lastReport = now;
    control.onProgress?.({ done, total: todo.length, bytes, current, phase: 'upload' });
  };
  try {
    report(null, true);
    await mapBounded(todo, UPLOAD_PARALLEL, async (item) => {
      await store.put(item.sha256, item.file, item.size, (n) => { bytes += n; report(item.sha256); }, control.signal);
      done += 1;
      report(item.sha256);
    }, control.signal);
    report(null, true);
  } finally {
    store.close();
  }
  return { uploaded: todo.length, bytes: total, already: distinct.length - todo.length };
}
