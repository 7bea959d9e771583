/**
 * Plain words for doctor's finding kinds and fixes: one mapping, used by the UI and by
 * the CLI's human output, so a curator reads "missing file — restore it from the content
 * store", never `relink_from_cas`. The codes stay in `--json` and in the plan body.
 */
import type { DoctorFindingKind, DoctorFix } from './contract/housekeeping.js';
import type { DiskState } from './models.js';

/** What a finding kind is, as a noun phrase (singular). */
export const FINDING_KIND_WORDS: Readonly<Record<DoctorFindingKind, string>> = {
  missing_file: 'missing file',
  missing_archive: 'missing download',
  orphan: 'stray file',
  latest_mismatch: 'latest pointer file out of date',
  temp_leftover: 'leftover of an interrupted write',
  cas_missing: 'missing content-store copy',
  cas_unreferenced: 'unused content-store copy',
  cas_corrupt: 'damaged content-store copy',
  content_modified: 'file changed on disk',
  bitrot: 'file damaged on disk (bit rot)',
  mtime_drift: 'timestamp changed, content intact',
  interrupted_apply: 'interrupted move to the trash',
  interrupted_restore: 'interrupted restore from the trash',
  symlink: 'symbolic link inside the root',
  mount_point: 'mount point inside the root',
  unvalidated_version: 'version never validated',
  link_broken: 'file no longer linked to its content-store copy',
  folder_unrecorded: 'version folder not yet recorded',
  folder_replaced: 'version folder replaced by another folder',
  trash_unreadable: 'trash entry with an unreadable manifest',
};

/** Group titles (plural) for lists of findings. */
export const FINDING_GROUP_WORDS: Readonly<Record<DoctorFindingKind, string>> = {
  missing_file: 'Missing files',
  missing_archive: 'Missing downloads',
  orphan: 'Stray files',
  latest_mismatch: 'Latest pointer files out of date',
  temp_leftover: 'Leftovers of interrupted writes',
  cas_missing: 'Missing content-store copies',
  cas_unreferenced: 'Unused content-store copies',
  cas_corrupt: 'Damaged content-store copies',
  content_modified: 'Files changed on disk',
  bitrot: 'Files damaged on disk (bit rot)',
  mtime_drift: 'Timestamps changed, content intact',
  interrupted_apply: 'Interrupted moves to the trash',
  interrupted_restore: 'Interrupted restores from the trash',
  symlink: 'Symbolic links inside the root',
  mount_point: 'Mount points inside the root',
  unvalidated_version: 'Versions never validated',
  link_broken: 'Files no longer linked to their content-store copies',
  folder_unrecorded: 'Version folders not yet recorded',
  folder_replaced: 'Version folders replaced by other folders',
  trash_unreadable: 'Trash entries with unreadable manifests',
};

/** What a fix does, as an imperative phrase. */
export const FIX_WORDS: Readonly<Record<DoctorFix, string>> = {
  relink_from_cas: 'restore it from the content store',
  mark_damaged: 'no copy exists: mark the version damaged',
  forget_archive: 'forget the download’s path (it can be fetched again)',
  trash: 'move it to the trash',
  rewrite_latest: 'rewrite it from the catalog',
  remove: 'delete it',
  restore_object: 'rebuild it from an intact file',
  restore_from_cas: 'move it to the trash and put the catalogued content back',
  quarantine: 'no good copy: move it to the trash and mark it damaged',
  update_row: 'record the new timestamp',
  roll_back: 'move its files back',
  finish_restore: 'finish the restore',
  revalidate: 'validate it',
  leave: 'leave it to you (nothing is changed)',
  adopt: 'adopt it into its version (hash, store, record, validate)',
  record_folder: 'record the folder as it is now (its files are checked one by one)',
  relink_copy: 'check its hash and link it to the content store again (changed bytes go to the trash)',
  restore_from_trash: 'put it back from the copy in the trash',
  download_object: 'download it from the bucket (hash checked)',
};

/** What an applied plan did, counted by fix or action name, in past-tense words. */
const DONE_WORDS: Readonly<Record<string, string>> = {
  relink_from_cas: 'files restored from the content store',
  mark_damaged: 'versions marked damaged',
  forget_archive: 'download paths forgotten',
  trash: 'items moved to the trash',
  rewrite_latest: 'LATEST.json files rewritten',
  remove: 'leftovers deleted',
  restore_object: 'content-store objects rebuilt',
  restore_from_cas: 'changed files replaced by their catalogued content',
  quarantine: 'files quarantined',
  update_row: 'timestamps recorded',
  roll_back: 'interrupted moves rolled back',
  finish_restore: 'interrupted restores finished',
  revalidate: 'versions validated',
  leave: 'items left to you',
  adopt: 'stray files adopted',
  record_folder: 'version folders recorded',
  relink_copy: 'files linked to the content store again',
  restore_from_trash: 'files put back from the trash',
  download_object: 'content-store objects downloaded from the bucket',
  versions_removed: 'versions removed',
  files_trashed: 'files moved to the trash',
};

/** "files restored from the content store: 3" for an applied plan's action count. */
export function describeDone(action: string, count: string): string {
  return `${DONE_WORDS[action] ?? action.replaceAll('_', ' ')}: ${count}`;
}

/** One line for people: "missing file — restore it from the content store". */
export function describeFinding(kind: DoctorFindingKind, fix: DoctorFix): string {
  return `${FINDING_KIND_WORDS[kind] ?? kind} — ${FIX_WORDS[fix] ?? fix}`;
}

/** A damage mark the catalog keeps on a file (file_damage.kind), in plain words. */
export interface FileDamageWords {
  /** Short badge text. */
  readonly state: 'missing' | 'quarantined';
  /** What it means and what fixes it. */
  readonly advice: string;
}

/** Plain words for a file_damage kind: a file that is missing, or whose changed bytes were quarantined. */
export function describeDamage(kind: string, planId: string | null): FileDamageWords {
  if (kind === 'missing_file') {
    return {
      state: 'missing',
      advice: 'Missing file — no copy was left in the content store. Re-ingest the version from its source, or restore the file from a backup and run Doctor.',
    };
  }
  const where = planId ? ` The changed bytes are in the trash of ${planId}.` : '';
  return {
    state: 'quarantined',
    advice: `Quarantined — the file no longer matched its hash and no good copy existed, so Doctor moved it to the trash.${where} Re-ingest the version from its source to get the catalogued content back.`,
  };
}

/**
 * Plain words for what an lstat found at a catalogued path before any doctor run recorded
 * it: a short badge and what fixes it.
 */
export function describeDiskState(disk: DiskState, kind: 'file' | 'dir' = 'file'): { readonly state: string; readonly advice: string } {
  if (disk.state === 'unsafe') {
    return {
      state: 'behind a link',
      advice: `A symbolic link or mount point is on this ${kind === 'dir' ? 'folder' : 'file'}'s path inside the storage root, and Ontocat never reads through one. Run Doctor to review it.`,
    };
  }
  if (disk.state === 'not_a_file') {
    return {
      state: kind === 'dir' ? 'not a folder' : 'not a file',
      advice: `Something other than the catalogued ${kind === 'dir' ? 'folder' : 'file'} is at this path. Run Doctor to review it.`,
    };
  }
  if (kind === 'dir') {
    return { state: 'missing', advice: 'Missing folder — the files below are not on disk. Run Doctor to restore them from the content store.' };
  }
  if (disk.in_store === false) {
    return {
      state: 'missing',
      advice: 'Missing file — neither its version folder nor the content store has it. Run Doctor to record it, then re-ingest the version from its source or restore a backup.',
    };
  }
  return {
    state: 'missing',
    advice: 'Missing file — it is no longer in its version folder; the content store still has its bytes. Run Doctor to restore it from the content store.',
  };
}
