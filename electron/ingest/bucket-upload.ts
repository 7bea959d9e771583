import { referencedAmong } from '../catalog/bucket-queries.js';
import type { Catalog } from '../catalog/open-catalog.js';
import { OntocatError } from '../shared/errors.js';
import type { WorkControl } from '../shared/progress.js';
import { bucketOf } from '../storage/bucket-config.js';
import { claimContent, contentClaims, objectMoves, releaseContent } from '../storage/bucket-claims.js';
import { BucketStore, MULTIPART_THRESHOLD } from '../storage/bucket-store.js';

/** Objects uploaded at once (each large one also sends its parts four at a time). */
export const UPLOAD_PARALLEL = 8;

/** One distinct content to have in the bucket, and where its local copy is. */
export interface ContentToUpload {
  readonly sha256: string;
  readonly size: number;
  /** Absolute path of the local copy (the root's content store, which is the local cache). */
  readonly file: string;
}

/** What one ingest's uploads did. */
export interface UploadSummary {
  readonly uploaded: number;
  readonly bytes: number;
  /** Contents the catalog already references: in the bucket already, not sent again. */
  readonly already: number;
  /** Contents no row references that the bucket held already at their size: not sent again, never removed by this run. */
  readonly present: number;
}

/** What `discard` removed after a failed or refused ingest. */
export interface DiscardSummary {
  /** Objects this run uploaded that are gone again. */
  readonly removed: number;
  /** Objects this run uploaded that stay: a row references them by now, or another upload in this process claims them. */
  readonly kept: number;
}


/**
 * Uploads an ingest's new content objects while the ingest is still staging files.
 *
 * Ingest offers each batch of contents as soon as they are in the local store (the local
 * cache of a bucket root); contents some catalog row already references are in the bucket
 * (bucket doctor checks that) and are skipped, the rest go up `UPLOAD_PARALLEL` at a time,
 * each streamed while hashed, with its SHA-256 as the object checksum. `finish` waits for
 * the last of them: ingest commits the catalog rows that reference the objects only after
 * it returned, so a run killed half way leaves at worst complete objects that nothing
 * references yet (bucket prune collects them, a re-run reuses them), never a row pointing
 * at an object still being written.
 */
export class BucketUploader {
  private readonly store: BucketStore;
  private readonly seen = new Set<string>();
  /** Contents this uploader queued (and claims until `release` or `discard`). */
  private readonly claimed = new Set<string>();
  /** Contents that were absent from the bucket when this uploader started putting them. */
  private readonly attempted = new Set<string>();
  private presentBefore = 0;
  /** Listings of the key folders this run uploads into, made once each (`sizeInBucket`), with the GC moves count they were made after. */
  private readonly folders = new Map<string, { moves: number; listing: Promise<Map<string, number> | null> }>();
  private released = false;
  private queue: ContentToUpload[] = [];
  /** Next index of `queue` to start (no shift(), which is linear, per start). */
  private head = 0;
  private readonly cut = new AbortController();
  private readonly settledWaiters: (() => void)[] = [];
  /** The catalog look-ups of offered batches, one after another. */
  private checks: Promise<void> = Promise.resolve();
  private running = 0;
  private failure: unknown = null;
  private alreadyThere = 0;
  private queued = 0;
  private done = 0;
  private bytes = 0;
  private reporting = false;
  private lastReport = 0;
  private closed = false;

  private constructor(private readonly catalog: Catalog, store: BucketStore, private readonly control: WorkControl) {
    this.store = store;
    control.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** An uploader for a bucket root, or null for a root on local disk. */
  static forRoot(catalog: Catalog, control: WorkControl = {}): BucketUploader | null {
    const config = bucketOf(catalog.root);
    return config ? new BucketUploader(catalog, new BucketStore(config), control) : null;
  }

  private readonly onAbort = (): void => { this.cut.abort(); };

  /**
   * Offers contents now in the local store; their uploads start in the background.
   * Throws the first upload failure so far, so a failing bucket stops the ingest early.
   */
  offer(items: readonly ContentToUpload[]): void {
    this.rethrow();
    const fresh: ContentToUpload[] = [];
    for (const item of items) {
      if (this.seen.has(item.sha256)) continue;
      this.seen.add(item.sha256);
      fresh.push(item);
    }
    if (fresh.length === 0) return;
    this.checks = this.checks.then(async () => {
      if (this.failure !== null || this.closed) return;
      const known = await this.catalog.read((conn) => referencedAmong(conn, fresh.map((item) => item.sha256)));
      for (const item of fresh) {
        // Claimed either way: a prune meanwhile may leave a referenced one unreferenced, and bucket GC must not take it.
        this.claim(item.sha256);
        if (known.has(item.sha256)) { this.alreadyThere += 1; continue; }
        this.queue.push(item);
        this.queued += 1;
      }
      this.pump();
    }).catch((error: unknown) => { this.fail(error); });
  }

  private rethrow(): void {
    if (this.failure !== null) throw this.failure instanceof Error ? this.failure : new OntocatError('IO_ERROR', String(this.failure));
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.cut.abort();
    this.notify();
  }

  private pump(): void {
    while (this.running < UPLOAD_PARALLEL && this.head < this.queue.length && this.failure === null && !this.cut.signal.aborted) {
      const item = this.queue[this.head++]!;
      if (this.head === this.queue.length) { this.queue = []; this.head = 0; }
      this.running += 1;
      void this.upload(item)
        .then(() => { this.done += 1; this.report(item.sha256); }, (error: unknown) => {
          this.fail(this.cut.signal.aborted && this.control.signal?.aborted ? new OntocatError('CANCELLED', 'Ingest cancelled.') : error);
        })
        .finally(() => {
          this.running -= 1;
          this.pump();
          this.notify();
        });
    }
  }

  /**
   * Puts one content unless the bucket has it already at its size. The look-up first is
   * what lets a failed ingest remove exactly what it added: an object that was there before
   * (a killed run's, or one the catalog lost track of) is reused, never sent again and never
   * removed by this run; one of the wrong size is replaced but not counted as this run's.
   */
  private async upload(item: ContentToUpload): Promise<void> {
    const before = await this.sizeInBucket(item);
    if (before === item.size) { this.presentBefore += 1; return; }
    if (before === null) this.attempted.add(item.sha256);
    await this.store.put(item.sha256, item.file, item.size, (n) => { this.bytes += n; this.report(item.sha256); }, this.cut.signal);
  }

  /**
   * The size of a content's object in the bucket now, or null when absent. A large object
   * is looked up alone (one HEAD next to a multipart upload costs nothing); small ones by
   * one listing of their key folder, shared by every content of this run in that folder,
   * so many small uploads do not pay a HEAD each (that halved the throughput of 10,000
   * small files against s3rver). A folder of more than 1,000 objects (a bucket of more
   * than about 256,000) falls back to a HEAD each. Objects that appear in a folder after
   * its listing are another upload's: claims (same process) and one catalog per prefix
   * keep them out of this run's `attempted`.
   */
  private async sizeInBucket(item: ContentToUpload): Promise<number | null> {
    if (item.size >= MULTIPART_THRESHOLD) return this.store.head(item.sha256);
    const ab = item.sha256.slice(0, 2);
    // A listing made before bucket GC moved objects may show one that is gone: listed again.
    let folder = this.folders.get(ab);
    if (!folder || folder.moves !== objectMoves()) {
      folder = { moves: objectMoves(), listing: this.store.contentFolder(ab, this.cut.signal) };
      this.folders.set(ab, folder);
    }
    const found = await folder.listing;
    if (folder.moves !== objectMoves()) return this.store.head(item.sha256);
    return found ? (found.get(item.sha256) ?? null) : this.store.head(item.sha256);
  }

  private claim(sha256: string): void {
    if (this.claimed.has(sha256)) return;
    this.claimed.add(sha256);
    claimContent(this.store.config, sha256);
  }

  private releaseClaims(): void {
    if (this.released) return;
    this.released = true;
    for (const sha256 of this.claimed) releaseContent(this.store.config, sha256);
  }

  private notify(): void {
    if (this.running > 0) return;
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  /** Resolves once nothing is uploading and, unless it failed or was cut, nothing is queued. */
  private async settled(): Promise<void> {
    for (;;) {
      await this.checks;
      const idle = this.running === 0 && (this.head >= this.queue.length || this.failure !== null || this.cut.signal.aborted);
      if (idle) return;
      await new Promise<void>((resolve) => this.settledWaiters.push(resolve));
    }
  }

  /** Upload progress is shown only once staging is over (phase `upload`), so two phases never interleave. */
  private report(current: string | null, force = false): void {
    if (!this.reporting) return;
    const now = Date.now();
    if (!force && now - this.lastReport < 100) return;
    this.lastReport = now;
    this.control.onProgress?.({ done: this.done, total: this.queued, bytes: this.bytes, current, phase: 'upload' });
  }

  /**
   * Offers `all` (whatever was not offered yet), waits for every upload to complete, and
   * throws the first failure. Only after it returned may the catalog reference the objects;
   * then the caller commits and calls `release`, or fails and calls `discard`.
   */
  async finish(all: readonly ContentToUpload[]): Promise<UploadSummary> {
    this.offer(all);
    this.reporting = true;
    this.report(null, true);
    await this.settled();
    if (this.failure === null && this.cut.signal.aborted) this.failure = new OntocatError('CANCELLED', 'Ingest cancelled.');
    this.rethrow();
    this.report(null, true);
    return { uploaded: this.queued - this.presentBefore, bytes: this.bytes, already: this.alreadyThere, present: this.presentBefore };
  }

  /** After the commit that references the uploaded objects: lets go of them and closes the client. */
  release(): void {
    this.releaseClaims();
    this.close();
  }

  /**
   * After an ingest failed, was refused or found nothing new: stops every upload, waits for
   * them to end, and removes the objects this run put that were absent before it, no
   * catalog row references, and no other running upload of this process claims. The
   * reference check and the deletes run inside the catalog's write serialisation, so no
   * commit lands between them. Objects that existed before this run are never touched.
   */
  async discard(): Promise<DiscardSummary> {
    this.cut.abort();
    this.failure ??= new OntocatError('CANCELLED', 'Uploads cancelled.');
    await this.settled().catch(() => undefined);
    try {
      const candidates = [...this.attempted].filter((sha256) => contentClaims(this.store.config, sha256) <= 1);
      if (candidates.length === 0) return { removed: 0, kept: this.attempted.size };
      const removed = await this.catalog.write(async (tx) => {
        const referenced = await referencedAmong(tx, candidates);
        const victims = candidates.filter((sha256) => !referenced.has(sha256));
        await this.store.deleteKeys(victims.map((sha256) => this.store.keyOf(sha256)));
        return victims.length;
      });
      return { removed, kept: this.attempted.size - removed };
    } finally {
      this.release();
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.control.signal?.removeEventListener('abort', this.onAbort);
    this.store.close();
  }
}

