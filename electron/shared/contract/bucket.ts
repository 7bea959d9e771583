/**
 * Object-storage channels: a root whose content objects live in an S3-compatible bucket
 * (configure, status, push, doctor, GC with a restorable trash prefix) and `checkout`,
 * which materialises a version into a folder from the local cache or the bucket.
 */
import { z } from 'zod';
import { planIdSchema } from './housekeeping.js';
import { channel, empty, versionRefSchema } from './schemas.js';

/** Where a root's content objects live, as the Storage page and `bucket status` show it. */
export interface BucketStatus {
  readonly kind: 'local' | 's3';
  /** `s3://bucket/prefix` (null on local disk). */
  readonly url: string | null;
  readonly endpoint: string | null;
  readonly region: string | null;
  readonly path_style: boolean;
  readonly profile: string | null;
  /** The file holding this configuration. */
  readonly config_file: string;
}

/** What `bucket push` did: uploads of referenced contents the bucket lacks. */
export interface BucketPushResult {
  readonly referenced: number;
  readonly uploaded: number;
  readonly bytes: number;
  /** Referenced contents the local cache does not hold either (only doctor can report them). */
  readonly not_cached: readonly string[];
  /** Referenced contents whose local copy no longer hashes to its name: not uploaded ('ontocat doctor --deep' finds them). */
  readonly bad_local: readonly { readonly sha256: string; readonly message: string }[];
  /**
   * With `deep`: how many objects the bucket held at their size were re-downloaded and
   * re-hashed (null without `deep`), and those whose bytes did not hash to their name, sent
   * again from the local cache (counted in `uploaded` when that succeeded).
   */
  readonly rehashed: number | null;
  readonly corrupt: readonly string[];
}

/** One object `--deep` re-read whose bytes are not what its name says. */
export interface BucketCorruptObject {
  readonly sha256: string;
  readonly expected_size: number;
  readonly actual_sha256: string | null;
  readonly actual_size: number | null;
}

/** The bucket doctor's findings. */
export interface BucketDoctorReport {
  readonly url: string;
  readonly listed: number;
  readonly listed_bytes: number;
  readonly referenced: number;
  readonly referenced_bytes: number;
  readonly missing_count: number;
  readonly missing: readonly { readonly sha256: string; readonly size_bytes: number; readonly example: string }[];
  readonly unreferenced_count: number;
  readonly unreferenced_bytes: number;
  readonly unreferenced: readonly { readonly key: string; readonly size_bytes: number }[];
  readonly size_mismatch_count: number;
  readonly size_mismatches: readonly { readonly sha256: string; readonly expected_size: number; readonly actual_size: number }[];
  readonly stray_count: number;
  readonly strays: readonly { readonly key: string; readonly size_bytes: number }[];
  /** `--deep`: objects re-downloaded and re-hashed (null without --deep). */
  readonly deep: { readonly checked: number; readonly bytes: number; readonly corrupt: readonly BucketCorruptObject[] } | null;
  readonly ok: boolean;
  readonly duration_ms: number;
}

/** A stored bucket GC plan and its preview. */
export interface BucketGcPlan {
  readonly plan_id: string;
  readonly objects: number;
  readonly bytes: number;
  readonly preview: readonly { readonly key: string; readonly size_bytes: number }[];
  /** Where apply moves them: `<prefix>/trash/<plan-id>/`. */
  readonly trash_prefix: string;
}

/** What applying a bucket GC plan did. */
export interface BucketGcResult {
  readonly plan_id: string;
  readonly moved: number;
  readonly bytes: number;
  /** Objects of the plan that a row references again, or that changed or vanished: left alone. */
  readonly skipped: readonly { readonly key: string; readonly reason: string }[];
  readonly trash_prefix: string;
}

/** One plan's folder in the bucket's trash prefix. */
export interface BucketTrashEntry {
  readonly plan_id: string;
  readonly objects: number;
  readonly bytes: number;
}

/** What a bucket trash restore or empty did. */
export interface BucketTrashResult {
  readonly plan_id: string;
  readonly objects: number;
  readonly bytes: number;
}

/** What a checkout wrote. */
export interface CheckoutResult {
  readonly service: string;
  readonly version: string;
  readonly directory: string;
  readonly files: number;
  readonly bytes: number;
  /** Files hard-linked from the local cache (no bytes copied). */
  readonly linked: number;
  /** Files copied from the local cache (another file system, where links cannot go). */
  readonly copied: number;
  /** Files downloaded from the bucket (into the local cache, then linked). */
  readonly downloaded: number;
  readonly downloaded_bytes: number;
  /** Files already in the folder with the right content, left as they were. */
  readonly unchanged: number;
  /**
   * A version with no data files (made by `fetch`, which keeps a download as it came): the
   * root-relative paths of its downloads, which a checkout does not take. Empty otherwise.
   */
  readonly downloads_only: readonly string[];
}

export const bucketContract = {
  'bucket:status': channel(empty).returns<BucketStatus>(),
  'bucket:configure': channel(z.object({
    url: z.string().min(6).max(1100),
    endpoint: z.string().max(500).nullable().optional(),
    region: z.string().max(64).nullable().optional(),
    path_style: z.boolean().optional(),
    profile: z.string().max(200).nullable().optional(),
  }).strict(), 'write').returns<BucketStatus>(),
  'bucket:push': channel(z.object({ deep: z.boolean().optional() }).strict(), 'write').returns<BucketPushResult>(),
  'bucket:doctor': channel(z.object({
    deep: z.boolean().optional(),
    sample: z.number().int().min(1).max(100_000_000).optional(),
  }).strict(), 'write').returns<BucketDoctorReport>(),
  'bucket:gc-plan': channel(empty, 'write').returns<BucketGcPlan>(),
  'bucket:gc-apply': channel(z.object({ plan_id: planIdSchema }).strict(), 'write').returns<BucketGcResult>(),
  'bucket:trash-list': channel(empty).returns<BucketTrashEntry[]>(),
  'bucket:trash-restore': channel(z.object({ plan_id: planIdSchema }).strict(), 'write').returns<BucketTrashResult>(),
  'bucket:trash-empty': channel(z.object({ plan_id: planIdSchema }).strict(), 'write').returns<BucketTrashResult>(),
  'versions:checkout': channel(z.object({ ref: versionRefSchema, dir: z.string().min(1).max(4096), copy: z.boolean().optional() }).strict(), 'write').returns<CheckoutResult>(),
} as const;
