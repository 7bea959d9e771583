/**
 * Housekeeping on a bucket root: the doctor (list → DuckDB → compare in SQL, `--deep`
 * re-hash), `push` (upload referenced contents the bucket lacks from the local cache),
 * and GC of unreferenced objects (plan → preview → apply into a restorable trash prefix).
 */
import { OntocatError } from '../shared/errors.js';
import type { BucketDoctorReport, BucketGcPlan, BucketGcResult, BucketPushResult, BucketStatus, BucketTrashEntry, BucketTrashResult, BucketCorruptObject } from '../shared/contract/bucket.js';
import type { WorkControl } from '../shared/progress.js';
import { bucketOf, parseBucketUrl, readStorageConfig, STORAGE_CONFIG_FILE, writeStorageConfig, type BucketConfig } from '../storage/bucket-config.js';
import { contentClaims, noteObjectsMoved } from '../storage/bucket-claims.js';
import { BucketStore, CAS_AREA, mapBounded, TRASH_AREA } from '../storage/bucket-store.js';
import { casLocate } from '../storage/content-store.js';
import path from 'node:path';
import {
  BUCKET_LISTING_COLUMNS, clearBucketListing, compareBucketListing, referencedAmong, referencedObjects, referencedSample, referencedWithExample, unreferencedListed,
} from './bucket-queries.js';
import type { Catalog, WriteTx } from './open-catalog.js';
import { catalogFingerprint, loadPlanForApply, markPlanApplied, storePlan, type PlanBody } from './plans.js';
import { EmptyingRegistry } from './emptying-registry.js';

/** Examples of each finding kind a report carries (the counts are always complete). */
const EXAMPLES = 50;
/** Objects re-hashed at once by `--deep`. */
const DEEP_PARALLEL = 8;

/** `s3://bucket/prefix` */
export function bucketUrl(config: BucketConfig): string {
  return `s3://${config.bucket}${config.prefix ? `/${config.prefix}` : ''}`;
}

/** The root's storage configuration as the UI and CLI show it. */
export function bucketStatus(root: string): BucketStatus {
  const config = readStorageConfig(root);
  const file = path.join(root, STORAGE_CONFIG_FILE);
  if (config.kind === 'local') return { kind: 'local', url: null, endpoint: null, region: null, path_style: false, profile: null, config_file: file };
  return { kind: 's3', url: bucketUrl(config), endpoint: config.endpoint, region: config.region, path_style: config.path_style, profile: config.profile, config_file: file };
}

/**
 * Points the root at a bucket after checking it can be reached with these settings and
 * the credentials the SDK's chain finds. Objects already catalogued are not moved here:
 * `bucket push` uploads them from the local store.
 */
export async function configureBucket(catalog: Catalog, input: { url: string; endpoint?: string | null; region?: string | null; path_style?: boolean; profile?: string | null }): Promise<BucketStatus> {
  const config = parseBucketUrl(input.url, input);
  const store = new BucketStore(config);
  try {
    await store.check();
  } finally {
    store.close();
  }
  writeStorageConfig(catalog.root, config);
  await catalog.write((tx) => tx.event('storage.configured', { kind: 's3', url: bucketUrl(config), endpoint: config.endpoint, region: config.region, path_style: config.path_style }));
  return bucketStatus(catalog.root);
}

/** The root's bucket, or a clear refusal on a local-disk root. */
export function requireBucket(root: string): BucketStore {
  const config = bucketOf(root);
  if (!config) throw new OntocatError('BAD_INPUT', `The root ${root} keeps its objects on local disk; configure a bucket with 'ontocat init --s3 s3://BUCKET/PREFIX …' first.`);
  return new BucketStore(config);
}

/**
 * Uploads every referenced content the bucket lacks, from the local store (after `init --s3`
 * on a root with versions, or to repair `missing`). With `deep`, the objects the bucket holds
 * at their size are re-hashed too, and those that hold other bytes (what `bucket doctor
 * --deep` calls corrupt) are sent again: a size alone does not show them.
 */
export async function pushToBucket(catalog: Catalog, control: WorkControl = {}, options: { deep?: boolean } = {}): Promise<BucketPushResult> {
  const store = requireBucket(catalog.root);
  try {
    const referenced = await catalog.read((conn) => referencedObjects(conn));
    const present = new Map<string, number>();
    for await (const page of store.pages(CAS_AREA, control.signal)) {
      for (const item of page) {
        const sha = store.shaOfKey(item.key);
        if (sha) present.set(sha, item.size);
      }
    }
    const todo = referenced.filter((item) => present.get(item.sha256) !== item.size_bytes);
    const corrupt: string[] = [];
    let rehashed: number | null = null;
    if (options.deep) {
      const sized = referenced.filter((item) => present.get(item.sha256) === item.size_bytes);
      rehashed = 0;
      await mapBounded(sized, DEEP_PARALLEL, async (item) => {
        const got = await store.rehash(item.sha256, undefined, control.signal);
        rehashed! += 1;
        control.onProgress?.({ done: rehashed!, total: sized.length, bytes: 0, current: item.sha256, phase: 'rehash' });
        if (!got || got.sha256 !== item.sha256 || got.size !== item.size_bytes) corrupt.push(item.sha256);
      }, control.signal);
      corrupt.sort();
      todo.push(...referenced.filter((item) => corrupt.includes(item.sha256)));
    }
    const notCached: string[] = [];
    const badLocal: { sha256: string; message: string }[] = [];
    let uploaded = 0;
    let bytes = 0;
    await mapBounded(todo, 8, async (item) => {
      const local = await casLocate(catalog.root, item.sha256);
      if (!local) { notCached.push(item.sha256); return; }
      try {
        await store.put(item.sha256, path.join(catalog.root, ...local.split('/')), item.size_bytes, (n) => { bytes += n; }, control.signal);
      } catch (error) {
        // One bad local copy is that object's problem: the other missing objects still go up.
        if (!(error instanceof OntocatError) || error.details?.bad_local_copy !== item.sha256) throw error;
        badLocal.push({ sha256: item.sha256, message: error.message });
        return;
      }
      uploaded += 1;
      control.onProgress?.({ done: uploaded, total: todo.length, bytes, current: item.sha256, phase: 'upload' });
    }, control.signal);
    const problems = notCached.length + badLocal.length;
    await catalog.write((tx) => tx.event('bucket.pushed', {
      uploaded, bytes, not_cached: notCached.length, bad_local: badLocal.length, ...(rehashed === null ? {} : { rehashed, corrupt: corrupt.length }),
    }, problems > 0 ? 'warn' : 'info'));
    return {
      referenced: referenced.length, uploaded, bytes, not_cached: notCached.sort(), bad_local: badLocal.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1)),
      rehashed, corrupt,
    };
  } finally {
    store.close();
  }
}

/**
 * Lists the bucket's content area into `staging_bucket_listing`, page by page: each page
 * goes through DuckDB's appender while the next one is being fetched.
 */
export async function loadBucketListing(catalog: Catalog, store: BucketStore, control: WorkControl = {}): Promise<number> {
  return catalog.write(async (tx) => {
    await clearBucketListing(tx);
    let listed = 0;
    for await (const page of store.pages(`${CAS_AREA}/`, control.signal)) {
      await tx.append('staging_bucket_listing', BUCKET_LISTING_COLUMNS, page.map((item) => [item.key, store.shaOfKey(item.key), item.size]));
      listed += page.length;
      control.onProgress?.({ done: listed, total: null, bytes: 0, current: page.at(-1)?.key ?? null, phase: 'list' });
    }
    return listed;
  });
}

/**
 * The bucket doctor: compares a fresh listing with the catalog in SQL; with `deep`,
 * re-downloads and re-hashes every referenced object (or a random `sample` of them).
 */
export async function bucketDoctor(catalog: Catalog, options: { deep?: boolean; sample?: number }, control: WorkControl = {}): Promise<BucketDoctorReport> {
  const started = Date.now();
  const store = requireBucket(catalog.root);
  try {
    await loadBucketListing(catalog, store, control);
    const found = await catalog.read((conn) => compareBucketListing(conn, EXAMPLES));
    let deep: BucketDoctorReport['deep'] = null;
    if (options.deep) {
      const objects = await catalog.read((conn) => referencedSample(conn, options.sample ?? null));
      const corrupt: BucketCorruptObject[] = [];
      let checked = 0;
      let bytes = 0;
      await mapBounded(objects, DEEP_PARALLEL, async (item) => {
        const got = await store.rehash(item.sha256, (n) => { bytes += n; }, control.signal);
        if (!got || got.sha256 !== item.sha256 || got.size !== item.size_bytes) {
          corrupt.push({ sha256: item.sha256, expected_size: item.size_bytes, actual_sha256: got?.sha256 ?? null, actual_size: got?.size ?? null });
        }
        checked += 1;
        control.onProgress?.({ done: checked, total: objects.length, bytes, current: item.sha256, phase: 'rehash' });
      }, control.signal);
      corrupt.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
      deep = { checked, bytes, corrupt };
    }
    const ok = found.missing_count === 0 && found.size_mismatch_count === 0 && (deep === null || deep.corrupt.length === 0);
    const report: BucketDoctorReport = { url: bucketUrl(store.config), ...found, deep, ok, duration_ms: Date.now() - started };
    await catalog.write((tx) => tx.event('bucket.doctor', {
      listed: found.listed, missing: found.missing_count, unreferenced: found.unreferenced_count, size_mismatches: found.size_mismatch_count,
      strays: found.stray_count, deep_checked: deep?.checked ?? null, corrupt: deep?.corrupt.length ?? null,
    }, ok ? 'info' : 'warn'));
    return report;
  } finally {
    store.close();
  }
}

interface BucketGcBody extends PlanBody {
  readonly kind: 'bucketgc';
  readonly url: string;
  readonly victims: readonly { readonly key: string; readonly sha256: string; readonly size_bytes: number }[];
}

/** Plans the GC of every content object no catalog row references (nothing moves yet). */
export async function planBucketGc(catalog: Catalog, control: WorkControl = {}): Promise<BucketGcPlan> {
  const store = requireBucket(catalog.root);
  try {
    await loadBucketListing(catalog, store, control);
    return await catalog.write(async (tx) => {
      const victims = await unreferencedListed(tx);
      const body: BucketGcBody = {
        kind: 'bucketgc', created_at: new Date().toISOString(), url: bucketUrl(store.config),
        fingerprint: { catalog: await catalogFingerprint(tx), paths: [] }, victims,
      };
      const { plan_id: planId } = await storePlan(tx, catalog.root, body);
      return {
        plan_id: planId, objects: victims.length, bytes: victims.reduce((sum, v) => sum + v.size_bytes, 0),
        preview: victims.slice(0, EXAMPLES).map((v) => ({ key: v.key, size_bytes: v.size_bytes })), trash_prefix: store.trashPrefix(planId),
      };
    });
  } finally {
    store.close();
  }
}

/**
 * Applies a bucket GC plan: each victim is re-checked right before it moves (no catalog
 * row references it, no ingest running in this process is about to, the bucket still
 * holds it with the planned size), copied to
 * `<prefix>/trash/<plan-id>/cas/…` and only then deleted from its place. Runs as one
 * writer step, so no ingest can start referencing a victim half way.
 */
export async function applyBucketGc(catalog: Catalog, planId: string, control: WorkControl = {}): Promise<BucketGcResult> {
  const store = requireBucket(catalog.root);
  try {
    return await catalog.write(async (tx) => {
      const body = await loadPlanForApply<BucketGcBody>(tx, catalog.root, planId, 'bucketgc', (plan) => {
        if (plan.url !== bucketUrl(store.config)) {
          return Promise.reject(new OntocatError('STALE_PLAN', `Plan ${planId} was made for ${plan.url}; the root now uses ${bucketUrl(store.config)}. Make a new plan.`));
        }
        return Promise.resolve();
      });
      const referencedNow = await referencedAmong(tx, body.victims.map((v) => v.sha256));
      const skipped: { key: string; reason: string }[] = [];
      let moved = 0;
      let bytes = 0;
      await mapBounded(body.victims, 8, async (victim) => {
        if (referencedNow.has(victim.sha256)) { skipped.push({ key: victim.key, reason: 'referenced by the catalog again' }); return; }
        // Before the claim is read and after the delete: an uploader's listing made around the move is not trusted.
        noteObjectsMoved();
        // An ingest running now uploaded it, or found it here, and commits the rows that reference it next.
        if (contentClaims(store.config, victim.sha256) > 0) { skipped.push({ key: victim.key, reason: 'an ingest running now is about to reference it' }); return; }
        const size = await store.head(victim.sha256);
        if (size === null) { skipped.push({ key: victim.key, reason: 'gone from the bucket' }); return; }
        if (size !== victim.size_bytes) { skipped.push({ key: victim.key, reason: `size changed (${victim.size_bytes} → ${size})` }); return; }
        await store.copy(victim.key, `${store.trashPrefix(planId)}${victim.key.slice(store.base.length)}`);
        await store.deleteKeys([victim.key]);
        noteObjectsMoved();
        moved += 1;
        bytes += victim.size_bytes;
        control.onProgress?.({ done: moved, total: body.victims.length, bytes, current: victim.key, phase: 'trash' });
      }, control.signal);
      await markPlanApplied(tx, planId);
      await tx.event('bucket.gc.applied', { plan_id: planId, moved, bytes, skipped: skipped.length }, skipped.length > 0 ? 'warn' : 'info');
      skipped.sort((a, b) => (a.key < b.key ? -1 : 1));
      return { plan_id: planId, moved, bytes, skipped, trash_prefix: store.trashPrefix(planId) };
    });
  } finally {
    store.close();
  }
}

/** The bucket's trash prefix, one entry per plan. */
export async function listBucketTrash(catalog: Catalog): Promise<BucketTrashEntry[]> {
  const store = requireBucket(catalog.root);
  try {
    const byPlan = new Map<string, { objects: number; bytes: number }>();
    const base = `${store.base}${TRASH_AREA}/`;
    for await (const page of store.pages(`${TRASH_AREA}/`)) {
      for (const item of page) {
        const planId = item.key.slice(base.length).split('/')[0]!;
        const entry = byPlan.get(planId) ?? { objects: 0, bytes: 0 };
        entry.objects += 1;
        entry.bytes += item.size;
        byPlan.set(planId, entry);
      }
    }
    return [...byPlan.entries()].sort(([a], [b]) => (a < b ? 1 : -1)).map(([plan_id, entry]) => ({ plan_id, ...entry }));
  } finally {
    store.close();
  }
}

/** Every key under one plan's trash folder. */
async function trashKeys(store: BucketStore, planId: string): Promise<{ key: string; size: number }[]> {
  const keys: { key: string; size: number }[] = [];
  for await (const page of store.pages(`${TRASH_AREA}/${planId}/`)) keys.push(...page);
  if (keys.length === 0) throw new OntocatError('NOT_FOUND', `The bucket's trash holds nothing for plan ${planId}; 'ontocat bucket trash list' shows what it holds.`);
  return keys;
}

/**
 * Puts a plan's trashed objects back under their content keys (server-side copies; a
 * trash copy is deleted only after its copy back completed, so a cut-short restore is
 * finished by running it again).
 */
export async function restoreBucketTrash(catalog: Catalog, planId: string, control: WorkControl = {}): Promise<BucketTrashResult> {
  const store = requireBucket(catalog.root);
  try {
    return await catalog.write(async (tx) => {
      if (bucketEmptyingNow.has(catalog.root, planId)) {
        throw new OntocatError('CONFLICT', `The bucket's trash of ${planId} is being emptied now (its objects are being deleted); it cannot be restored.`, { plan_id: planId });
      }
      const keys = await trashKeys(store, planId);
      const prefix = store.trashPrefix(planId);
      let done = 0;
      let bytes = 0;
      await mapBounded(keys, 8, async (item) => {
        const target = `${store.base}${item.key.slice(prefix.length)}`;
        if (store.shaOfKey(target) === null) throw new OntocatError('BAD_INPUT', `Trash key ${item.key} does not name a content object; left in place.`);
        await store.copy(item.key, target);
        await store.deleteKeys([item.key]);
        done += 1;
        bytes += item.size;
        control.onProgress?.({ done, total: keys.length, bytes, current: target, phase: 'restore' });
      }, control.signal);
      await tx.event('bucket.trash.restored', { plan_id: planId, objects: done, bytes });
      return { plan_id: planId, objects: done, bytes };
    });
  } finally {
    store.close();
  }
}

/**
 * Deletes a plan's trashed objects for good, unless one of them is the bucket's only copy of
 * a content the catalog references again (a restored catalog backup from before the prune
 * that made it unreferenced, a local `trash restore` of that prune): then nothing is
 * deleted, and the refusal names them and the restore that puts them back.
 *
 * The writer is held for the catalog's part only: the listing, that check, and marking the
 * entry (a `bucket.trash.emptying` event, committed). The objects are then deleted with the
 * writer let go, so other clients' writes go on meanwhile, and a short last write records
 * `bucket.trash.emptied`. From the mark on, a restore of the entry is refused; a kill
 * part-way leaves it marked and partly deleted, and the next empty of it finishes it. An
 * ingest committed meanwhile that holds one of these contents uploads it to its content key
 * (it never looks in the trash); what a restored catalog lists again came back with its
 * local files, which `bucket push` uploads.
 */
export async function emptyBucketTrash(catalog: Catalog, planId: string): Promise<BucketTrashResult> {
  const store = requireBucket(catalog.root);
  let done: (() => void) | null = null;
  try {
    let keys: { key: string; size: number }[] | null = null;
    while (keys === null) {
      const claim = await catalog.write(async (tx): Promise<{ keys: { key: string; size: number }[] } | { wait: Promise<unknown> }> => {
        // Being deleted by another empty of this process now: wait for it, then look again.
        const busy = bucketEmptyingNow.waitFor(catalog.root, [planId]);
        if (busy) return { wait: busy };
        const claimed = await claimBucketTrash(tx, store, planId);
        // Registered before the writer is let go, so a restore or another empty that takes it next sees it.
        done = bucketEmptyingNow.claim(catalog.root, [planId]);
        return { keys: claimed };
      });
      if ('wait' in claim) await claim.wait;
      else keys = claim.keys;
    }
    // Deleted with the writer let go: other clients' writes go on meanwhile.
    await store.deleteKeys(keys.map((item) => item.key));
    const bytes = keys.reduce((sum, item) => sum + item.size, 0);
    await catalog.write((tx) => tx.event('bucket.trash.emptied', { plan_id: planId, objects: keys!.length, bytes }, 'warn'));
    return { plan_id: planId, objects: keys.length, bytes };
  } finally {
    // Also when the claim's commit failed after registering: nothing is left waiting.
    if (done !== null) (done as () => void)();
    store.close();
  }
}

/** Entries of the bucket's trash this process is deleting now. */
const bucketEmptyingNow = new EmptyingRegistry();

/**
 * The writer's part of an empty: lists the entry, refuses when it holds the bucket's only copy
 * of an object the catalog references again, and records that it is being emptied.
 */
async function claimBucketTrash(tx: WriteTx, store: BucketStore, planId: string): Promise<{ key: string; size: number }[]> {
  const keys = await trashKeys(store, planId);
  const prefix = store.trashPrefix(planId);
  const bySha = new Map<string, number>();
  for (const item of keys) {
    const sha256 = store.shaOfKey(`${store.base}${item.key.slice(prefix.length)}`);
    if (sha256) bySha.set(sha256, item.size);
  }
  const needed = await referencedWithExample(tx, [...bySha.keys()]);
  const only: { sha256: string; example: string }[] = [];
  await mapBounded([...needed.keys()], 8, async (sha256) => {
    if ((await store.head(sha256)) !== bySha.get(sha256)) only.push({ sha256, example: needed.get(sha256)! });
  });
  if (only.length > 0) {
    only.sort((a, b) => (a.example < b.example ? -1 : a.example > b.example ? 1 : 0));
    const count = only.length === 1 ? '1 object' : `${only.length} objects`;
    throw new OntocatError('CONFLICT', `The bucket's trash of ${planId} holds the bucket's only copy of ${count} the catalog references again ` +
      `(first: ${only[0]!.sha256.slice(0, 12)}…, ${only[0]!.example}); emptying it would lose ${only.length === 1 ? 'it' : 'them'}. ` +
      `'ontocat bucket trash restore ${planId}' puts ${only.length === 1 ? 'it' : 'them'} back. Nothing was deleted.`,
    { items: only.map((item) => item.sha256) });
  }
  // Recorded before the writer is let go: an emptying with no emptied after it in the
  // events is an empty cut short (its entry is left partly deleted; the next empty finishes it).
  await tx.event('bucket.trash.emptying', { plan_id: planId, objects: keys.length, bytes: keys.reduce((sum, item) => sum + item.size, 0) });
  return keys;
}
