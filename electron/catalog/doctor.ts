import { readdirSync } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import type { DoctorFinding, DoctorFindingKind, DoctorFix, DoctorPlan } from '../shared/contract/housekeeping.js';
import type { WorkControl } from '../shared/progress.js';
import { VALIDATOR_BY_FORMAT } from '../ingest/validate/validators.js';
import { TEMP_NAME, TEMP_SUFFIX } from '../storage/atomic-write.js';
import { trySha256File } from '../storage/file-hash.js';
import { bucketOf } from '../storage/bucket-config.js';
import { BucketStore, mapBounded } from '../storage/bucket-store.js';
import { statRelpath } from '../storage/fs-ops.js';
import { DB_TEMP_DIR, TEMP_DIR, latestRelpath } from '../storage/layout.js';
import { readLatestFile } from '../storage/latest-file.js';
import { findBlockedComponent, isNormalisedRelpath, tryResolveInsideRoot } from '../storage/safe-path.js';
import { listTrashPlanIds, readTrashManifest, trashFileRelpath, trashRelpath, type TrashManifest } from '../storage/trash-store.js';
import {
  buildComparison, damagedVersions, dropComparison, filesOfObject, latestPointers, listedFiles, missingArchives, presentArchives, missingCasObjects, missingDataFiles,
  orphanFiles, presentDataFiles, releasePlaces, unreferencedCasObjects, unvalidatedVersions,
} from './doctor-queries.js';
import { clearFsListing, loadFsListing, writeWithListingMemory } from './fs-listing.js';
import { adoptionTarget } from './adopt-stray.js';
import { interruptedBackups } from './backup-manifest.js';
import { unlistedParquetFiles } from './parquet-publish.js';
import { folderState, identityText, versionDataFolder } from './folder-identity.js';
import type { Catalog } from './open-catalog.js';
import { catalogFingerprint, pathStates, planApplied, retirePlans, storePlan, type PlanBody } from './plans.js';
import { reconcileVersionTotals } from './version-totals.js';
import { lstatIfPresent } from '../storage/stat-if-present.js';

/** What a doctor plan stores: the findings plus what it needs to re-check them. */
export interface DoctorBody extends PlanBody {
  readonly kind: 'doctor';
  readonly deep: boolean;
  readonly scanned_files: number;
  readonly hashed_files: number;
  readonly findings: readonly DoctorFinding[];
  /** Set on a plan re-made from another by a curator's choice (plan-choice.ts). */
  readonly derived_from?: string;
  readonly left_out?: readonly string[];
}

/** The order findings are listed and fixed in: trash operations first, row edits last. */
export const findingOrder: readonly DoctorFindingKind[] = [
  // Links go first: once a link is in the trash, files behind it can be put back from the store.
  'interrupted_apply', 'interrupted_restore', 'trash_unreadable', 'symlink', 'mount_point', 'folder_replaced', 'folder_unrecorded', 'temp_leftover', 'cas_corrupt', 'cas_missing',
  'content_modified', 'bitrot', 'link_broken', 'missing_file', 'missing_archive', 'orphan', 'cas_unreferenced', 'latest_mismatch', 'mtime_drift', 'unvalidated_version',
];

const casNamePattern = /([0-9a-f]{64})$/;

/** Whether a bucket root's bucket holds a content object at its recorded size. */
type BucketAnswer = 'no_bucket' | 'held' | 'absent' | 'other_size' | 'unreachable';

/** ext4's limit of hard links to one file (XFS and btrfs allow more): past it a file stays a copy. */
export const MAX_HARD_LINKS = 65_000;

function finding(
  kind: DoctorFindingKind, path: string, bytes: number, fix: DoctorFix, detail: string,
  extra: { source?: string | null; file_id?: string | null; sha256?: string | null } = {},
): DoctorFinding {
  return { kind, path, bytes, fix, detail, source: extra.source ?? null, file_id: extra.file_id ?? null, ...(extra.sha256 ? { sha256: extra.sha256 } : {}) };
}

/**
 * Findings in fixing order, where whatever stands in the way of a file put back goes first.
 * A file put back at a path a folder now holds (a folder in a catalogued file's place) comes
 * right after the last finding inside that folder: its strays go to the trash first, so the
 * emptied folder can give way. A stray file where a folder should be (a file in place of a
 * version's data folder) goes to the trash right before the first finding inside that path.
 */
function clearedFirst(sorted: readonly DoctorFinding[]): DoctorFinding[] {
  const firstInside = new Map<string, number>();
  const lastInside = new Map<string, number>();
  sorted.forEach((item, index) => {
    for (let cut = item.path.lastIndexOf('/'); cut > 0; cut = item.path.lastIndexOf('/', cut - 1)) {
      const folder = item.path.slice(0, cut);
      if (!firstInside.has(folder)) firstInside.set(folder, index);
      lastInside.set(folder, index);
    }
  });
  const place = (item: DoctorFinding, index: number): number => {
    if (item.fix === 'relink_from_cas') {
      const inside = lastInside.get(item.path);
      if (inside !== undefined && inside > index) return inside + 0.5;
    }
    if (item.fix === 'trash' && item.kind === 'orphan') {
      const inside = firstInside.get(item.path);
      if (inside !== undefined && inside < index) return inside - 0.5;
    }
    return index;
  };
  return sorted.map((item, index) => ({ item, at: place(item, index) })).sort((a, b) => a.at - b.at).map(({ item }) => item);
}

/**
 * Scans the storage root against the catalog and stores a plan of fixes.
 *
 * The fs listing is loaded in bulk and compared in SQL in one join, under a DuckDB
 * memory limit (past it DuckDB spills to the root's temp area); only files whose size
 * or mtime changed are hashed (every file with `deep`, to catch bit rot). Nothing is changed on
 * disk or in the catalog's data: `applyDoctor` does that once the plan is reviewed.
 */
export async function planDoctor(catalog: Catalog, options: { deep?: boolean } = {}, control: WorkControl = {}): Promise<DoctorPlan> {
  const root = catalog.root;
  const deep = options.deep ?? false;
  const createdAt = new Date().toISOString();

  // Old plans first: what they hold is not needed for this scan, and shedding it keeps the catalog small.
  await retirePlans(catalog);
  const found = await writeWithListingMemory(catalog, async (tx) => {
    const scan = await loadFsListing(tx, root, control);
    await buildComparison(tx, deep);
    const result = {
      scan,
      fingerprint: await catalogFingerprint(tx),
      missing: await missingDataFiles(tx),
      archives: await missingArchives(tx),
      keptArchives: await presentArchives(tx),
      orphans: await orphanFiles(tx),
      temps: await listedFiles(tx, 'temp'),
      links: await listedFiles(tx, 'link'),
      latestFiles: await listedFiles(tx, 'latest'),
      pointers: await latestPointers(tx),
      casMissing: await missingCasObjects(tx),
      casUnreferenced: await unreferencedCasObjects(tx),
      present: await presentDataFiles(tx, deep),
      casListed: deep ? await listedFiles(tx, 'cas') : [],
      damaged: await damagedVersions(tx),
      // Inside the write queue: a backup of this process writes its manifest there too, so a half-made one is never seen here.
      backups: interruptedBackups(root),
      unvalidated: await unvalidatedVersions(tx, Object.keys(VALIDATOR_BY_FORMAT)),
      versionNames: new Set((await tx.all<{ name: string }>("SELECT service || '/' || version AS name FROM versions")).map((row) => row.name)),
      folders: await tx.all<{ service: string; version: string; dev: string | null; ino: string | null }>(`
        SELECT v.service, v.version, fi.dev, fi.ino FROM versions v
        LEFT JOIN folder_identity fi ON fi.relpath = v.service || '/' || v.version || '/data' ORDER BY v.service, v.version`),
    };
    await dropComparison(tx);
    await clearFsListing(tx);
    return result;
  });

  const findings: DoctorFinding[] = [];

  // Interrupted trash operations: their files are accounted for, not missing or orphaned.
  const inFlight = new Set<string>();
  // What settled trash entries hold, by the path each file had: a catalog backup from
  // before a prune lists its versions again, and their files may be put back from there.
  const trashed = new Map<string, string[]>();
  for (const planId of listTrashPlanIds(root)) {
    let manifest: TrashManifest;
    try {
      manifest = readTrashManifest(root, planId) as TrashManifest;
    } catch (error) {
      // Its files are not known, so none of them is touched: the rest of the root is still checked.
      findings.push(finding('trash_unreadable', trashRelpath(planId), 0, 'leave',
        `${(error as Error).message.replace(/\.$/, '')}. Nothing in this trash entry is emptied, restored or checked until it reads again: put back its manifest.json (from a backup of the root), or move the folder out of the root if you no longer need what it holds.`));
      continue;
    }
    const applied = await catalog.read((conn) => planApplied(conn, planId));
    if (manifest.status === 'trashed' || (manifest.status === 'moving' && applied === true)) {
      for (const file of manifest.files) trashed.set(file.relpath, [...trashed.get(file.relpath) ?? [], trashFileRelpath(planId, file.relpath)]);
    }
    if (manifest.status === 'restoring') {
      findings.push(finding('interrupted_restore', trashRelpath(planId), manifest.bytes, 'finish_restore',
        `Restoring plan ${planId} from the trash was interrupted; finish it (move the rest of its ${manifest.files.length} files back and put its rows back).`));
    } else if (manifest.status === 'moving' && applied !== true) {
      findings.push(finding('interrupted_apply', trashRelpath(planId), manifest.bytes, 'roll_back',
        `Applying plan ${planId} was interrupted while moving files to the trash and never committed; move its files back.`));
    } else if (manifest.status !== 'removing' && manifest.status !== 'rolling_back') {
      continue;
    }
    // A prune still moving or rolling back is finished when the catalog next opens, not here.
    for (const file of manifest.files) inFlight.add(file.relpath);
  }

  // Symlinks and mount points are never followed: a link moves to the trash itself (its
  // target is untouched); a mount point is left for the curator, with what is behind it.
  const mounts: string[] = [];
  for (const link of found.links) {
    if (findBlockedComponent(root, link.path, { allowLastLink: true })?.reason === 'mount') {
      mounts.push(link.path);
      findings.push(finding('mount_point', link.path, 0, 'leave',
        `This folder is a mount point (another file system) inside the storage root; Ontocat does not read, write or delete across it. Unmount it or move it out of the root; files the catalog expects behind it are not checked.`));
    } else {
      findings.push(finding('symlink', link.path, link.size_bytes, 'trash',
        `This is a symbolic link inside the storage root; Ontocat never follows one. Move the link itself (not what it points to) to the trash; catalogued files behind it are put back from the content store where possible.`));
    }
  }
  // Each version's data folder against the device and inode the catalog recorded for it:
  // prune and trash act in a folder only while it is the one recorded (folder-identity.ts).
  const rootNow = folderState(root, '');
  for (const row of found.folders) {
    const relpath = versionDataFolder(row.service, row.version);
    const now = folderState(root, relpath);
    // Absent: its files' own findings cover it. A link or mount point has its own finding above.
    if (now.state !== 'folder' || (rootNow.state === 'folder' && now.dev !== rootNow.dev)) continue;
    const identity = { dev: now.dev, ino: now.ino };
    if (row.dev === null || row.ino === null) {
      findings.push({ ...finding('folder_unrecorded', relpath, 0, 'record_folder',
        `The catalog has no record of this folder's device and inode (the version was recorded before Ontocat kept them); record them as they are now, so that prune and trash can tell if the folder is ever swapped for another.`), identity });
    } else if (row.dev !== now.dev || row.ino !== now.ino) {
      findings.push({ ...finding('folder_replaced', relpath, 0, 'record_folder',
        `This is not the folder the catalog recorded (${identityText({ dev: row.dev, ino: row.ino })}, now ${identityText(now)}): it was replaced by another folder or put back by hand. Prune and trash refuse to act in it until it is recorded again; its files are checked one by one in this plan. Record it as it is now.`), identity });
    }
  }

  const behindMount = (relpath: string | null): boolean => relpath !== null && mounts.some((mount) => relpath.startsWith(`${mount}/`));

  for (const temp of found.temps) {
    findings.push(finding('temp_leftover', temp.path, temp.size_bytes, 'remove', `Leftover of an interrupted write (${temp.path.endsWith(`${TEMP_SUFFIX}.wal`) ? 'the write-ahead log of a temp catalog copy' : temp.path.endsWith(TEMP_SUFFIX) ? 'temp file' : 'under .tmp/'}); delete it.`));
  }
  // Parquet parts a publish killed part-way wrote and never listed (the scan skips parquet/).
  for (const left of unlistedParquetFiles(root)) {
    findings.push(finding('temp_leftover', left.path, left.bytes, 'remove', TEMP_NAME.test(path.posix.basename(left.path))
      ? 'Leftover of an interrupted publish (temp file); delete it.'
      : "Leftover of an interrupted publish: a Parquet part the published manifest does not list (the publish was killed before it swapped the manifest); readers that glob the table folders count its rows twice. Delete it ('ontocat publish' writes what it needs)."));
  }
  for (const left of found.backups) {
    const folder = left.path.split('/').slice(0, 2).join('/');
    findings.push(finding('temp_leftover', left.path, left.bytes, 'remove',
      `Leftover of an interrupted backup: ${folder} has no manifest.json, so the backup was never completed or checked and 'ontocat restore' refuses it; 'backup list' does not show it. Delete it.`));
  }
  // Work folders that hold no file at all: the listing has files only, so nothing else sees them.
  for (const folder of emptyWorkFolders(root, found.temps.map((temp) => temp.path))) {
    findings.push(finding('temp_leftover', folder, 0, 'remove', 'Empty work folder of an interrupted or finished operation under .tmp/; delete it.'));
  }

  // Hashing: files whose size or mtime changed (all of them with --deep). Files sharing an
  // inode (hardlinks to one object) are hashed once.
  let hashed = 0;
  const hashByInode = new Map<number, string | null>();
  const hashOf = async (relpath: string): Promise<{ hash: string | null; ino: number | null }> => {
    const stat = statRelpath(root, relpath);
    if (!stat) return { hash: null, ino: null };
    const cached = hashByInode.get(stat.ino);
    if (cached !== undefined) return { hash: cached, ino: stat.ino };
    const file = tryResolveInsideRoot(root, relpath);
    const hash = file === null ? null : await trySha256File(file);
    hashed += 1;
    if (hashed % 200 === 0) {
      if (control.signal?.aborted) throw new OntocatError('CANCELLED', 'The doctor scan was cancelled.');
      control.onProgress?.({ done: hashed, total: null, bytes: 0, current: relpath, phase: 'hash' });
    }
    hashByInode.set(stat.ino, hash);
    return { hash, ino: stat.ino };
  };

  // Content store objects whose bytes no longer match their name, and where a good copy is.
  // `size` is the catalog's size of its content (null when no catalogued file uses it).
  const corruptObjects = new Map<string, { source: string | null; ino: number | null; bytes: number; size: number | null }>();
  const checkObject = async (casRelpath: string): Promise<void> => {
    if (corruptObjects.has(casRelpath)) return;
    const bytes = statRelpath(root, casRelpath)?.size ?? 0;
    const expected = casNamePattern.exec(casRelpath)?.[1];
    const object = await hashOf(casRelpath);
    if (object.hash === null || object.hash === expected) return;
    let source: string | null = null;
    const users = await catalog.read((conn) => filesOfObject(conn, casRelpath));
    for (const candidate of users) {
      const stat = statRelpath(root, candidate.path);
      if (!stat || stat.ino === object.ino || stat.size !== candidate.size_bytes) continue;
      if ((await hashOf(candidate.path)).hash === expected) {
        source = candidate.path;
        break;
      }
    }
    corruptObjects.set(casRelpath, { source, ino: object.ino, bytes, size: users[0]?.size_bytes ?? null });
  };

  if (deep) {
    for (const object of found.casListed) await checkObject(object.path);
  }
  const modified: { row: (typeof found.present)[number]; ino: number | null }[] = [];
  /** The file is not a hard link of its (present) content store object: a copy was put in its place. */
  const unlinkedFromObject = (casRelpath: string | null, ino: number | null): boolean => {
    if (casRelpath === null || ino === null) return false;
    const object = statRelpath(root, casRelpath);
    // An object at the file system's link limit cannot take another link: its copies stay copies.
    return object !== null && object.ino !== ino && object.nlink < MAX_HARD_LINKS;
  };
  /** Something other than a file, a folder or a link in a catalogued file's place (a FIFO, a socket, a device). */
  const notAFile = (relpath: string): boolean => {
    const file = tryResolveInsideRoot(root, relpath, { allowLastLink: true });
    const stat = file === null ? undefined : lstatIfPresent(file);
    return stat !== undefined && !stat.isFile() && !stat.isDirectory() && !stat.isSymbolicLink();
  };
  const notFiles = new Set<string>();
  for (const row of found.present) {
    const { hash, ino } = await hashOf(row.path);
    if (hash === null && notAFile(row.path)) {
      notFiles.add(row.path);
      if (row.cas_relpath) await checkObject(row.cas_relpath);
      modified.push({ row, ino });
      continue;
    }
    if (hash === null) continue;
    if (hash === row.sha256 && (row.lone || deep) && unlinkedFromObject(row.cas_relpath, ino)) {
      // The link goes back only to an object that still matches its name.
      await checkObject(row.cas_relpath!);
      if (!corruptObjects.has(row.cas_relpath!)) {
        findings.push(finding('link_broken', row.path, row.size_bytes, 'relink_copy',
          'The file holds the catalogued content (its hash was checked) but is no longer a hard link of its content store object: a copy was put in its place. Replace it by the link again.',
          { source: row.cas_relpath, file_id: row.file_id }));
        continue;
      }
    }
    if (hash === row.sha256) {
      if (row.changed) findings.push(finding('mtime_drift', row.path, row.size_bytes, 'update_row', 'The mtime changed but the content did not; record the new mtime.', { file_id: row.file_id }));
      continue;
    }
    if (row.cas_relpath) await checkObject(row.cas_relpath);
    modified.push({ row, ino });
  }
  // A missing file's object of another size than its content is damaged too (cut short, grown):
  // hashed here, so it is rebuilt or downloaded before the file is put back from it.
  for (const row of found.missing) {
    if (inFlight.has(row.path) || !row.cas_present || row.cas_relpath === null) continue;
    const size = statRelpath(root, row.cas_relpath)?.size;
    if (size !== undefined && size !== row.size_bytes) await checkObject(row.cas_relpath);
  }
  /** A copy in the trash of what one of `paths` held, with the given size and hash (the first found). */
  const trashCopyOf = async (paths: readonly string[], size: number, sha256: string | null): Promise<string | null> => {
    if (sha256 === null) return null;
    for (const relpath of paths) {
      for (const copy of trashed.get(relpath) ?? []) {
        if (statRelpath(root, copy)?.size === size && (await hashOf(copy)).hash === sha256) return copy;
      }
    }
    return null;
  };
  const trashEntryOf = (copy: string): string => copy.split('/')[1]!;

  // Missing objects that a good data file can rebuild, a copy in the trash, or (on a bucket
  // root) the bucket; without one, the files' own findings cover it.
  const rebuildable = new Set<string>();
  const bucketConfig = bucketOf(root);
  const bucket = bucketConfig ? new BucketStore(bucketConfig) : null;
  /** What the bucket says of an object the local cache lacks or holds damaged: 'held' only at the recorded size. */
  const bucketAnswer = new Map<string, BucketAnswer>();
  const askBucket: { cas_relpath: string; sha256: string; size_bytes: number }[] = [];
  // A damaged cache object with no good local copy: on a bucket root the bucket's object is one.
  for (const [casRelpath, info] of corruptObjects) {
    const sha256 = casNamePattern.exec(casRelpath)?.[1];
    if (bucket === null || info.source !== null || info.size === null || sha256 === undefined) continue;
    askBucket.push({ cas_relpath: casRelpath, sha256, size_bytes: info.size });
  }
  const bucketHolds = async (sha256: string, size: number): Promise<BucketAnswer> => {
    if (bucket === null) return 'no_bucket';
    try {
      const held = await bucket.head(sha256);
      return held === size ? 'held' : held === null ? 'absent' : 'other_size';
    } catch {
      // Unreachable now (network, credentials): not evidence of a loss.
      return 'unreachable';
    }
  };
  for (const object of found.casMissing) {
    if (object.sources.some((source) => inFlight.has(source))) continue;
    let rebuilt = false;
    for (const source of object.sources) {
      if ((await hashOf(source)).hash === object.sha256) {
        rebuildable.add(object.cas_relpath);
        findings.push(finding('cas_missing', object.cas_relpath, object.size_bytes, 'restore_object', `The content store object is missing; rebuild it from ${source}.`, { source }));
        rebuilt = true;
        break;
      }
    }
    if (rebuilt) continue;
    const copy = await trashCopyOf([object.cas_relpath, ...object.paths], object.size_bytes, object.sha256);
    if (copy) {
      rebuildable.add(object.cas_relpath);
      findings.push(finding('cas_missing', object.cas_relpath, object.size_bytes, 'restore_object',
        `The content store object is missing, and the trash of ${trashEntryOf(copy)} holds its content (a catalog backup from before that prune lists its versions again?); rebuild it from that copy (the trash keeps it).`, { source: copy }));
      continue;
    }
    // On a bucket root the local store is a cache of the bucket: the bucket's object is a copy.
    if (bucket !== null) askBucket.push(object);
  }
  // One HeadObject each, 8 at a time (as the bucket doctor's reads), for these few objects only.
  await mapBounded(askBucket, 8, async (object) => { bucketAnswer.set(object.cas_relpath, await bucketHolds(object.sha256, object.size_bytes)); });
  /** A damaged object this plan replaces with a good copy (a good local file, or the bucket's). */
  const repaired = (casRelpath: string): boolean => {
    const info = corruptObjects.get(casRelpath);
    return info !== undefined && (info.source !== null || bucketAnswer.get(casRelpath) === 'held');
  };
  for (const [casRelpath, info] of corruptObjects) {
    const sha256 = casNamePattern.exec(casRelpath)?.[1];
    const damage = info.size !== null && info.bytes !== info.size
      ? `holds ${info.bytes} bytes where its content has ${info.size}` : 'no longer matches its hash';
    if (info.source) {
      findings.push(finding('cas_corrupt', casRelpath, info.bytes, 'restore_object', `The content store object ${damage}; move it to the trash and rebuild it from ${info.source}.`, { source: info.source }));
    } else if (bucketAnswer.get(casRelpath) === 'held') {
      // Trashed first, then downloaded through a temp name with its hash checked.
      findings.push(finding('cas_corrupt', casRelpath, info.bytes, 'download_object',
        `The local cache's copy of this content object ${damage}, but the bucket holds the object (${bucket!.keyOf(sha256!)}, at its size); move the damaged copy to the trash and download the object into the cache (its hash is checked), so the files that use it can be put back.`,
        { sha256: sha256! }));
    } else {
      const why = bucketAnswer.get(casRelpath) === 'unreachable' ? 'no good local copy exists and the bucket could not be reached to ask for its object'
        : bucketAnswer.get(casRelpath) === 'absent' ? 'no good copy exists: no local file holds it and the bucket lacks it'
        : bucketAnswer.get(casRelpath) === 'other_size' ? 'no good copy exists: no local file holds it and the bucket holds an object of another size under its name'
        : 'no good copy exists';
      findings.push(finding('cas_corrupt', casRelpath, info.bytes, 'trash', `The content store object ${damage} and ${why}; move it to the trash.`));
    }
  }
  for (const object of askBucket) {
    if (corruptObjects.has(object.cas_relpath) || bucketAnswer.get(object.cas_relpath) !== 'held') continue;
    rebuildable.add(object.cas_relpath);
    findings.push(finding('cas_missing', object.cas_relpath, object.size_bytes, 'download_object',
      `The local cache lacks this content object, but the bucket holds it (${bucket!.keyOf(object.sha256)}, at its size); download it into the cache (its hash is checked) so the files that use it can be put back.`,
      { sha256: object.sha256 }));
  }
  bucket?.close();

  for (const { row, ino } of modified) {
    // A lone copy whose bytes differ was replaced (by an editor, a copy): not rot of the stored bytes.
    const replaced = row.lone && !row.changed;
    const kind: DoctorFindingKind = row.changed || replaced ? 'content_modified' : 'bitrot';
    const how = notFiles.has(row.path) ? 'was replaced by something that is not a file (a FIFO, socket or device)'
      : row.changed ? 'was modified in place'
      : replaced ? 'was replaced by a different copy (no longer a hard link of its content store object, though its size and mtime match)'
      : 'changed while its size and mtime did not (bit rot)';
    const object = row.cas_relpath ? corruptObjects.get(row.cas_relpath) : undefined;
    const objectStat = row.cas_relpath ? statRelpath(root, row.cas_relpath) : null;
    // The object can restore the file when it is intact, or will be rebuilt first (the plan's
    // order puts cas_missing and cas_corrupt before the files).
    const restorable = row.cas_relpath !== null && (objectStat !== null
      ? (object ? repaired(row.cas_relpath) : objectStat.ino !== ino)
      // A missing object this plan rebuilds (from an intact file, or a copy in the trash) restores it too.
      : rebuildable.has(row.cas_relpath));
    // What goes to the trash is the file as it is now: a file cut short holds fewer bytes than its row.
    const bytes = Number(row.disk_size);
    if (restorable) {
      findings.push(finding(kind, row.path, bytes, 'restore_from_cas', object && bucketAnswer.get(row.cas_relpath!) === 'held'
        ? `The file ${how}; move it to the trash and put the catalogued content back from the content store (its object is downloaded from the bucket first).`
        : `The file ${how}; move it to the trash and put the catalogued content back from the content store.`, { source: row.cas_relpath, file_id: row.file_id }));
    } else if (object && bucketAnswer.get(row.cas_relpath!) === 'unreachable') {
      // Whether a good copy exists is not known: nothing is marked damaged on a guess.
      findings.push(finding(kind, row.path, bytes, 'leave',
        `The file ${how}, its content store object is damaged too, and the bucket could not be reached to ask for a good copy. Run doctor again when the bucket answers ('ontocat bucket status').`, { file_id: row.file_id }));
    } else {
      findings.push(finding(kind, row.path, bytes, 'quarantine', `The file ${how} and no good copy exists; move it to the trash and mark it damaged.`, { file_id: row.file_id }));
    }
  }

  for (const row of found.missing) {
    if (inFlight.has(row.path)) continue;
    const objectIntact = row.cas_present && statRelpath(root, row.cas_relpath!)?.size === row.size_bytes;
    const canRelink = row.cas_relpath !== null && (corruptObjects.has(row.cas_relpath) ? repaired(row.cas_relpath) : objectIntact || rebuildable.has(row.cas_relpath));
    const inBucket = row.cas_relpath === null ? 'no_bucket' : bucketAnswer.get(row.cas_relpath) ?? 'no_bucket';
    if (canRelink) {
      findings.push(finding('missing_file', row.path, row.size_bytes, 'relink_from_cas', bucketAnswer.get(row.cas_relpath!) === 'held'
        ? 'The catalogued file is missing; put it back from the content store (its object is downloaded from the bucket first).'
        : 'The catalogued file is missing; put it back from the content store.', { source: row.cas_relpath, file_id: row.file_id }));
    } else if (inBucket === 'unreachable') {
      // Whether a copy exists is not known: nothing is marked lost on a guess.
      findings.push(finding('missing_file', row.path, row.size_bytes, 'leave',
        "The catalogued file is missing and the local cache lacks its object (or holds it damaged); the bucket could not be reached to ask whether it holds it. Run doctor again when the bucket answers ('ontocat bucket status').", { file_id: row.file_id }));
    } else {
      const where = inBucket === 'absent' ? 'no copy exists: neither the local cache nor the bucket holds it'
        : inBucket === 'other_size' ? 'no copy exists: the local cache lacks it and the bucket holds an object of another size under its name'
        : 'no copy exists';
      findings.push(finding('missing_file', row.path, row.size_bytes, 'mark_damaged', `The catalogued file is missing and ${where}; keep its row and mark the version damaged.`, { file_id: row.file_id }));
    }
  }
  for (const row of found.archives) {
    if (inFlight.has(row.path)) continue;
    const copy = await trashCopyOf([row.path], row.size_bytes, row.sha256);
    findings.push(copy
      ? finding('missing_archive', row.path, row.size_bytes, 'restore_from_trash',
        `The downloaded archive is missing, and the trash of ${trashEntryOf(copy)} holds it (a catalog backup from before that prune lists its version again?); put it back from there (the trash keeps its copy).`, { source: copy, sha256: row.sha256 })
      : finding('missing_archive', row.path, row.size_bytes, 'forget_archive', 'The downloaded archive is missing; clear its path (its URL and hash stay, so it can be fetched again).'));
  }
  // A kept download whose bytes are not the ones recorded (cut short, grown, rotted), as
  // verify finds it: its size says so at once, its hash with --deep. Only a new fetch can
  // give its bytes back, so it is named and left.
  for (const row of found.keptArchives) {
    if (inFlight.has(row.path)) continue;
    const size = statRelpath(root, row.path)?.size;
    if (size === undefined) continue;
    const hash = size === row.size_bytes && deep ? (await hashOf(row.path)).hash : null;
    if (size === row.size_bytes && (hash === null || hash === row.sha256)) continue;
    findings.push(finding('content_modified', row.path, size, 'leave', size !== row.size_bytes
      ? `The downloaded archive holds ${size} bytes, not the ${row.size_bytes} recorded: it was cut short or changed. Fetch it again (fetch --replace); doctor leaves it as it is.`
      : `The downloaded archive's bytes no longer hash to the SHA-256 recorded (sha256 ${hash!.slice(0, 12)}…, recorded ${row.sha256.slice(0, 12)}…). Fetch it again (fetch --replace); doctor leaves it as it is.`));
  }
  for (const row of found.orphans) {
    if (inFlight.has(row.path)) continue;
    if (!isNormalisedRelpath(row.path)) {
      // A name no catalog path can hold (a backslash): named, and left for the curator, not
      // an error that stops the whole scan.
      findings.push(finding('orphan', row.path, row.size_bytes, 'leave',
        "No catalog row accounts for this file, and Ontocat cannot name it (a backslash or another character its paths never hold): rename or move it by hand. Doctor leaves it alone."));
      continue;
    }
    // A stray inside a catalogued version's data folder may be one the curator wants kept: it can be adopted instead.
    const target = adoptionTarget(row.path);
    const adoptable = target !== null && found.versionNames.has(`${target.service}/${target.version}`);
    findings.push({
      ...finding('orphan', row.path, row.size_bytes, 'trash', adoptable
        ? `No catalog row accounts for this file; move it to the trash, or adopt it into ${target.service}/${target.version}.`
        : 'No catalog row accounts for this file; move it to the trash.'),
      ...(adoptable ? { alternatives: ['adopt' as const] } : {}),
    });
  }
  for (const row of found.casUnreferenced) {
    if (inFlight.has(row.path) || corruptObjects.has(row.path)) continue;
    findings.push(finding('cas_unreferenced', row.path, statRelpath(root, row.path)?.size ?? 0, 'trash', 'No catalogued file uses this content store object; move it to the trash.'));
  }

  // LATEST.json mirrors the catalog's pointer; the catalog is authoritative.
  const pointed = new Set<string>();
  for (const pointer of found.pointers) {
    pointed.add(pointer.service);
    const onDisk = readLatestFile(root, pointer.service);
    if (onDisk?.version === pointer.version && onDisk.service === pointer.service) continue;
    const stat = statRelpath(root, latestRelpath(pointer.service));
    findings.push(finding('latest_mismatch', latestRelpath(pointer.service), stat?.size ?? 0, 'rewrite_latest',
      `LATEST.json ${onDisk ? `names ${onDisk.version}` : 'is missing or unreadable'} but the catalog's latest ${pointer.service} is ${pointer.version}; rewrite it from the catalog.`));
  }
  for (const file of found.latestFiles) {
    const service = file.path.split('/')[0]!;
    if (pointed.has(service)) continue;
    findings.push(finding('latest_mismatch', file.path, file.size_bytes, 'trash', `LATEST.json exists but the catalog has no latest ${service}; move it to the trash.`));
  }

  // Validation is its own boundary after ingest: a version whose ingest died there has rows but no results.
  for (const row of found.unvalidated) {
    findings.push(finding('unvalidated_version', `${row.service}/${row.version}`, 0, 'revalidate',
      `The version was recorded but never validated (its ingest was interrupted during validation?): ${row.files} files await validation; validate it.`));
  }

  // A fix behind a mount point would fail there: the mount's own finding stands for them.
  const actionable = findings.filter((item) => item.kind === 'mount_point' || (!behindMount(item.path) && !behindMount(item.source)));
  findings.length = 0;
  findings.push(...actionable);
  const rank = (kind: DoctorFindingKind): number => findingOrder.indexOf(kind);
  // Within a kind, as every list of the app: by service, then the version's release order,
  // then the path (by path as text, go/1.10/… came before go/1.2/…).
  const versionOf = (relpath: string): string | null => {
    const parts = relpath.split('/');
    // `S/V` itself (a version never validated) or a path inside a version's folder; not
    // the root's own dot folders, nor a service's LATEST.json.
    return relpath.startsWith('.') || parts.length < 2 || (parts.length === 2 && !found.versionNames.has(relpath)) ? null : `${parts[0]}/${parts[1]}`;
  };
  const placeOf = new Map((await catalog.read((conn) => releasePlaces(conn, [...new Set(findings.map((item) => versionOf(item.path)).filter((name) => name !== null))])))
    .map((name, index) => [name, index]));
  const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const within = (a: DoctorFinding, b: DoctorFinding): number => {
    const byService = byText(a.path.split('/')[0]!, b.path.split('/')[0]!);
    if (byService !== 0) return byService;
    const placeA = placeOf.get(versionOf(a.path) ?? '') ?? Number.POSITIVE_INFINITY;
    const placeB = placeOf.get(versionOf(b.path) ?? '') ?? Number.POSITIVE_INFINITY;
    return (placeA === placeB ? 0 : placeA < placeB ? -1 : 1) || byText(a.path, b.path);
  };
  findings.sort((a, b) => rank(a.kind) - rank(b.kind) || within(a, b));
  const ordered = clearedFirst(findings);
  findings.length = 0;
  findings.push(...ordered);

  const affected: string[] = [];
  for (const item of findings) {
    // Revalidating reads the version's files but changes none: nothing on disk to pin; a
    // folder's record is checked by its device and inode, not by size and mtime.
    if (item.kind === 'unvalidated_version' || item.fix === 'record_folder' || item.fix === 'leave') continue;
    if (item.kind === 'interrupted_apply' || item.kind === 'interrupted_restore') affected.push(`${item.path}/manifest.json`);
    else affected.push(item.path);
    if (item.source) affected.push(item.source);
  }
  const body: DoctorBody = {
    kind: 'doctor',
    created_at: createdAt,
    deep,
    scanned_files: found.scan.files,
    hashed_files: hashed,
    findings,
    fingerprint: { catalog: found.fingerprint, paths: pathStates(root, affected) },
  };
  const stored = await catalog.write(async (tx) => {
    // The kept version totals, health included, against the rows (a rebuild is logged as a warning).
    await reconcileVersionTotals(tx, 'all');
    return storePlan(tx, root, body);
  });
  await retirePlans(catalog);
  return {
    plan_id: stored.plan_id,
    content_hash: stored.content_hash,
    created_at: createdAt,
    deep,
    scanned_files: found.scan.files,
    hashed_files: hashed,
    findings,
    damaged_versions: found.damaged,
  };
}

/**
 * Folders directly under `.tmp/` (DuckDB's spill folder aside) with no listed file inside:
 * what an interrupted ingest or fetch leaves once its files are gone.
 */
function emptyWorkFolders(root: string, tempFiles: readonly string[]): string[] {
  const dir = tryResolveInsideRoot(root, TEMP_DIR);
  if (dir === null) return [];
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `${TEMP_DIR}/${entry.name}`);
  } catch {
    return [];
  }
  return names.filter((folder) => folder !== DB_TEMP_DIR && !tempFiles.some((file) => file.startsWith(`${folder}/`)));
}
