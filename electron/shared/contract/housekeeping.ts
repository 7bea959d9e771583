/**
 * Housekeeping channels: doctor, prune, trash, backups and compaction.
 *
 * Every destructive action is plan → preview → apply: `doctor:plan` and `prune:plan`
 * store a plan and return its preview; `*:apply` takes the plan id and refuses with
 * STALE_PLAN when the disk or the catalog changed since.
 */
import { z } from 'zod';
import type { ReleaseDateSource } from '../release-order.js';
import { channel, empty, service } from './schemas.js';

export const planIdSchema = z.string().regex(/^[a-z]+-[0-9A-Za-z]+-[0-9a-f]{8,64}$/, 'Expected a plan id such as prune-20260101T120000Z-1a2b3c4d5e6f');
const backupStamp = z.string().regex(/^[0-9]{8}T[0-9]{6,9}Z$/, 'Expected a backup timestamp such as 20260101T120000123Z');
const days = z.number().min(0).max(100_000);

/** What doctor can find. */
export type DoctorFindingKind =
  | 'missing_file' | 'missing_archive' | 'orphan' | 'latest_mismatch' | 'temp_leftover'
  | 'cas_missing' | 'cas_unreferenced' | 'cas_corrupt' | 'content_modified' | 'bitrot' | 'mtime_drift'
  | 'interrupted_apply' | 'interrupted_restore' | 'symlink' | 'mount_point' | 'unvalidated_version'
  /** A data file that is no longer a hard link of its content store object (a copy put in its place). */
  | 'link_broken'
  /** A version's data folder whose device and inode the catalog has not recorded (ingested before migration 0012). */
  | 'folder_unrecorded'
  /** A version's data folder that is not the folder the catalog recorded (replaced by another real folder). */
  | 'folder_replaced'
  /** A trash entry whose manifest.json cannot be read: left alone (its files are not known, so not one is touched). */
  | 'trash_unreadable';

/** What applying a finding does. */
export type DoctorFix =
  | 'relink_from_cas' | 'mark_damaged' | 'forget_archive' | 'trash' | 'rewrite_latest' | 'remove'
  | 'restore_object' | 'restore_from_cas' | 'quarantine' | 'update_row' | 'roll_back' | 'finish_restore' | 'revalidate'
  /** Nothing is changed: the curator decides (a mount point cannot be moved to the trash). */
  | 'leave'
  /** A stray file in a version's data folder is hashed, stored, recorded and validated as a file of that version. */
  | 'adopt'
  /** The folder's device and inode as the plan saw them are recorded in the catalog. */
  | 'record_folder'
  /** The copy is re-hashed and replaced by a hard link of its content store object (changed bytes go to the trash first). */
  | 'relink_copy'
  /** A missing file whose copy (hash checked) a trash entry holds is linked back from it; the trash entry keeps its copy. */
  | 'restore_from_trash'
  /** On a bucket root: a content object the local cache lacks is downloaded from the bucket (hash checked) into the cache. */
  | 'download_object';

export interface DoctorFinding {
  readonly kind: DoctorFindingKind;
  /** Path under the storage root. */
  readonly path: string;
  readonly bytes: number;
  readonly fix: DoctorFix;
  /** One sentence for people: what is wrong and what the fix does. */
  readonly detail: string;
  /** Where the fix takes its bytes from (a content store object or data file), if anywhere. */
  readonly source: string | null;
  readonly file_id: string | null;
  /** Other fixes the curator may choose for this item instead (`doctor:choose`), e.g. `adopt` for a stray file. */
  readonly alternatives?: readonly DoctorFix[];
  /** For `adopt`: the stray's SHA-256 when the fix was chosen; for `restore_from_trash`: the catalogued one. Apply refuses if the bytes differ. */
  readonly sha256?: string | null;
  /** For `record_folder`: the folder's device and inode when the plan was made; apply refuses if it is another folder by then. */
  readonly identity?: { readonly dev: string; readonly ino: string } | null;
}

export interface DoctorPlan {
  readonly plan_id: string;
  readonly content_hash: string;
  readonly created_at: string;
  readonly deep: boolean;
  readonly scanned_files: number;
  readonly hashed_files: number;
  /** Every problem found; empty when all is well. */
  readonly findings: readonly DoctorFinding[];
  /** Versions already marked damaged by an earlier doctor run (not findings any more). */
  readonly damaged_versions: readonly { readonly service: string; readonly version: string; readonly damaged_files: number }[];
  /** The plan this one was re-made from by a curator's choice (`doctor:choose`), if any. */
  readonly derived_from?: string | null;
  /** Items of that plan the curator left out (paths). */
  readonly left_out?: readonly string[];
}

export interface ApplyResult {
  readonly plan_id: string;
  readonly applied_at: string;
  /** Count of actions done, by fix or action name. */
  readonly actions: Readonly<Record<string, number>>;
  readonly files_moved: number;
  readonly bytes: number;
  /** `.trash/<plan-id>` when something went to the trash. */
  readonly trash: string | null;
}

/**
 * Why a version is kept; `chosen`: the curator left it out of the plan (`prune:choose`);
 * `not_rejected`: a plan of rejected candidates only, and this one was not rejected.
 */
export type KeepReason = 'latest' | 'pinned' | 'within_last_n' | 'newer_than' | 'chosen' | 'not_rejected';

export interface PruneVersion {
  readonly service: string;
  readonly version: string;
  readonly version_id: string;
  readonly created_at: string;
  /** The release date the order used, and how it is known (shared/release-order.ts). */
  readonly release_date: string | null;
  readonly release_date_source: ReleaseDateSource | null;
  readonly files: number;
  readonly bytes: number;
  /** A candidate a curator rejected: "rejected on DATE by WHO: note" (why it is offered to prune). */
  readonly rejected?: string;
}

export interface PrunePathAction {
  readonly path: string;
  readonly bytes: number;
  /** `trash`: moved to `.trash/<plan-id>`; what it is: a data file, an archive, a content object, an orphan. */
  readonly action: 'trash';
  readonly what: 'data' | 'archive' | 'cas' | 'orphan';
}

export interface PrunePlan {
  readonly plan_id: string;
  readonly content_hash: string;
  readonly created_at: string;
  readonly policy: {
    readonly keep_last: number | null; readonly newer_than_days: number | null; readonly service: string | null;
    readonly orphans_only: boolean; readonly allow_large: boolean;
    /** Versions (`S/V`) the curator left out of the plan: kept whatever the policy says. */
    readonly keep_versions?: readonly string[];
    /** Rejected candidates are removed (unless pinned or latest). */
    readonly rejected?: boolean;
  };
  /** The plan this one was re-made from by a curator's choice (`prune:choose`), if any. */
  readonly derived_from?: string | null;
  /** Versions whose rows and files are removed. */
  readonly removals: readonly PruneVersion[];
  /** Every file moved to the trash, with its bytes. */
  readonly files: readonly PrunePathAction[];
  /** Every version kept, with why: reason codes and, for people, sentences naming the order used. */
  readonly kept: readonly (PruneVersion & { readonly reasons: readonly KeepReason[]; readonly why: readonly string[] })[];
  /** The order "last N" and "newer than" follow (RELEASE_ORDER_TEXT). */
  readonly order: string;
  /** Catalog bytes removed (files and archives of the removed versions, or orphan bytes). */
  readonly bytes: number;
  /** Bytes freed on disk once the trash is emptied: files whose every hard link the plan moves, each inode once. */
  readonly reclaimed_bytes: number;
  readonly catalog_bytes: number;
  /** More than half of the catalog's bytes: applying needs a plan made with allow_large. */
  readonly large: boolean;
  /** Pin reasons of the pinned versions kept, by `S/V` (also folded into their `why`). */
  readonly pin_reasons?: Readonly<Record<string, string>>;
}

export interface PlanRecord {
  readonly plan_id: string;
  readonly kind: string;
  readonly created_at: string;
  readonly content_hash: string;
  readonly applied_at: string | null;
  /** Null when the catalog lists the plan but its body was retired (a catalog restored from an older backup); `body_unavailable` says why. */
  readonly body: Readonly<Record<string, unknown>> | null;
  readonly body_unavailable?: string;
}

export interface TrashEntry {
  readonly plan_id: string;
  readonly kind: string;
  readonly created_at: string;
  /**
   * `emptying`: a `trash empty` is deleting its files now, or was stopped part-way (files and bytes count what is left); the next
   * writable open, or the next `trash empty`, finishes a stopped one.
   * `unreadable_manifest`: its manifest.json cannot be read (edited or damaged by hand): nothing is known of it, so it is
   * never emptied or restored (`problem` says why; counts are 0).
   */
  readonly status: 'trashed' | 'moving' | 'restoring' | 'emptying' | 'unreadable_manifest';
  /** For `unreadable_manifest`: what reading it said. */
  readonly problem?: string;
  readonly files: number;
  /** The sizes of its files added up (a data file and its content-store object count twice). */
  readonly bytes: number;
  /** Disk space its files take: each inode counted once (a data file and its object are one). */
  readonly disk_bytes: number;
  /** Disk space given back when this entry is emptied: files whose every hard link is inside it, counted once. */
  readonly freed_bytes: number;
  readonly rows: Readonly<Record<string, number>>;
  /** Versions whose rows it holds (`S/V`), for people. */
  readonly versions: readonly string[];
}

/** One file of a trash entry. */
export interface TrashFile {
  readonly relpath: string;
  readonly bytes: number;
}

export interface TrashRestoreResult {
  readonly plan_id: string;
  /** Files moved back out of the trash. */
  readonly files: number;
  readonly bytes: number;
  /** Content store objects stored again since the prune: kept, their files linked to them, not moved. */
  readonly already_stored: number;
  readonly rows: Readonly<Record<string, number>>;
}

export interface TrashEmptyResult {
  readonly removed: readonly string[];
  readonly bytes: number;
  /** Disk space given back (see TrashEntry.freed_bytes). */
  readonly freed_bytes: number;
  /** Entries left because their manifest cannot be read (nothing of them is deleted). */
  readonly unreadable?: readonly string[];
}

export interface BackupInfo {
  readonly timestamp: string;
  readonly path: string;
  readonly created_at: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly schema_version: number;
  readonly versions: number;
  readonly files: number;
  /**
   * `ok`, or why this backup cannot be restored: its manifest is unreadable or malformed, a
   * file it lists is gone, or one holds another number of bytes than the manifest records
   * (`size_mismatch`: cut short, or grown; `bytes` stays the manifest's, `problem` gives both).
   */
  readonly status: 'ok' | 'unreadable_manifest' | 'missing_file' | 'size_mismatch';
  /** What is wrong, in one sentence (null when ok). */
  readonly problem: string | null;
}

export interface RestoreResult {
  readonly timestamp: string;
  /** Backup of the catalog as it was just before the restore (null when it could not be opened, see `set_aside`). */
  readonly safety_backup: string | null;
  /** Where a catalog file that could not be opened was moved, relative to the root (null when it opened). */
  readonly set_aside: string | null;
  readonly before: { readonly versions: number; readonly files: number };
  readonly after: { readonly versions: number; readonly files: number };
  readonly migrations_applied: number;
  /** Doctor's plan on the restored catalog against the disk; review and apply it. */
  readonly doctor: { readonly plan_id: string; readonly findings: number; readonly kinds: Readonly<Record<string, number>> };
}

export interface CompactResult {
  readonly bytes_before: number;
  readonly bytes_after: number;
  readonly bytes_reclaimed: number;
}

export const housekeepingContract = {
  'doctor:plan': channel(z.object({ deep: z.boolean().optional() }).strict(), 'write').returns<DoctorPlan>(),
  'doctor:apply': channel(z.object({ plan_id: planIdSchema }).strict(), 'write').returns<ApplyResult>(),
  'prune:plan': channel(z.object({
    keep_last: z.number().int().min(0).max(1_000_000).optional(),
    newer_than_days: days.optional(),
    service: service.optional(),
    orphans_only: z.boolean().optional(),
    allow_large: z.boolean().optional(),
    /** Remove the candidates a curator rejected (alone, or on top of keep_last / newer_than_days). */
    rejected: z.boolean().optional(),
  }).strict(), 'write').returns<PrunePlan>(),
  'prune:apply': channel(z.object({ plan_id: planIdSchema }).strict(), 'write').returns<ApplyResult>(),
  'plans:get': channel(z.object({ plan_id: planIdSchema }).strict()).returns<PlanRecord>(),
  'trash:list': channel(empty).returns<TrashEntry[]>(),
  'trash:restore': channel(z.object({ plan_id: planIdSchema }).strict(), 'write').returns<TrashRestoreResult>(),
  // plan_ids: the entries a confirmation listed, so an entry that arrived after it was shown is not deleted unseen.
  'trash:empty': channel(z.object({
    older_than_days: days.optional(), plan_id: planIdSchema.optional(), plan_ids: z.array(planIdSchema).min(1).max(10_000).optional(),
  }).strict(), 'write').returns<TrashEmptyResult>(),
  'backup:create': channel(empty, 'write').returns<BackupInfo>(),
  'backup:list': channel(empty).returns<BackupInfo[]>(),
  'backup:restore': channel(z.object({ timestamp: backupStamp }).strict(), 'write').returns<RestoreResult>(),
  'catalog:compact': channel(empty, 'write').returns<CompactResult>(),
} as const;
