import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { fsyncDir, writeFileAtomicSync } from './atomic-write.js';
import { TRASH_DIR } from './layout.js';
import { blockedPathError, findBlockedComponent, findForeignDevice, resolveInsideRoot, tryResolveInsideRoot } from './safe-path.js';

/**
 * Where a plan's trash lives and what it holds.
 *
 * `.trash/<plan-id>/manifest.json` says which files moved (by their original path under
 * the root), `files/<original path>` holds them, and `rows/<table>.parquet` the catalog
 * rows removed with them, so that a restore puts back exactly what was there.
 *
 * Status: `moving` (doctor: files move before its commit; rolled back if never applied),
 * `removing` (prune: rows saved, then deleted in their own commit before the files move;
 * finished once the plan is applied, dropped if it never was), `rolling_back` (a failed
 * prune putting files and then rows back), `restoring` (files back first, then rows),
 * `trashed` (done), `emptying` (being deleted for good: set, durably, before the first file
 * goes, so a kill part-way leaves an entry that says it is half gone, never one that looks
 * whole; finished when the catalog next opens).
 */
export type TrashStatus = 'moving' | 'trashed' | 'restoring' | 'removing' | 'rolling_back' | 'emptying';

export interface TrashFile {
  readonly relpath: string;
  readonly bytes: number;
}

export interface TrashManifest {
  readonly plan_id: string;
  readonly kind: string;
  readonly created_at: string;
  readonly status: TrashStatus;
  readonly files: readonly TrashFile[];
  readonly bytes: number;
  /** Catalog tables saved under `rows/`, with their row counts. */
  readonly rows: Readonly<Record<string, number>>;
  /**
   * The removed versions' data folders with the device and inode the catalog recorded (a
   * prune): a restore refuses to put files back into a folder there that is another one.
   */
  readonly folders?: readonly { readonly relpath: string; readonly dev: string; readonly ino: string }[];
}

const planIdPattern = /^[a-z]+-[0-9A-Za-z]+-[0-9a-f]{8,64}$/;

/** Checks a plan id before it becomes a folder name. */
export function assertPlanId(planId: string): string {
  if (!planIdPattern.test(planId)) throw new OntocatError('BAD_INPUT', `'${planId}' is not a plan id (like prune-20260101T120000Z-1a2b3c4d).`);
  return planId;
}

/** `.trash/<plan-id>` */
export function trashRelpath(planId: string): string {
  return `${TRASH_DIR}/${assertPlanId(planId)}`;
}

/** Where a file with original path `relpath` sits inside a plan's trash. */
export function trashFileRelpath(planId: string, relpath: string): string {
  return `${trashRelpath(planId)}/files/${relpath}`;
}

/** Absolute path of a saved rows file, `.trash/<plan-id>/rows/<table>.parquet`. */
export function trashRowsPath(root: string, planId: string, table: string): string {
  return resolveInsideRoot(root, `${trashRelpath(planId)}/rows/${table}.parquet`);
}

/** Writes the manifest atomically (temp + fsync + rename). */
export function writeTrashManifest(root: string, manifest: TrashManifest): void {
  writeFileAtomicSync(resolveInsideRoot(root, `${trashRelpath(manifest.plan_id)}/manifest.json`), `${JSON.stringify(manifest)}\n`);
}

/** Reads a plan's manifest, or null when the plan has no trash. */
export function readTrashManifest(root: string, planId: string): TrashManifest | null {
  const file = resolveInsideRoot(root, `${trashRelpath(planId)}/manifest.json`);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TrashManifest;
  } catch (error) {
    throw new OntocatError('IO_ERROR', `The trash manifest of ${planId} is unreadable: ${(error as Error).message}`);
  }
}

/** Every plan id that has a trash folder with a manifest. */
export function listTrashPlanIds(root: string): string[] {
  const dir = path.join(root, TRASH_DIR);
  // A linked trash folder is not the root's: doctor reports the link, nothing reads behind it.
  if (findBlockedComponent(root, TRASH_DIR) || !existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && planIdPattern.test(entry.name) && existsSync(path.join(dir, entry.name, 'manifest.json')))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Deletes a plan's trash folder for good.
 *
 * A recursive delete would descend into a mount point inside the folder and delete
 * another file system's files: such a folder is refused, naming the mount point.
 */
export function removeTrash(root: string, planId: string): void {
  const dir = resolveInsideRoot(root, trashRelpath(planId));
  const foreign = findForeignDevice(root, trashRelpath(planId));
  if (foreign) throw blockedPathError(trashRelpath(planId), { relpath: foreign, reason: 'mount' });
  rmSync(dir, { recursive: true, force: true });
}

/** Files deleted per batch when a trash entry is emptied; a crash point sits between batches. */
const DELETE_BATCH = 500;

/** Refuses to delete a trash folder with a mount point inside (a recursive delete would cross into it). */
export function refuseMountInside(root: string, planId: string): void {
  const relpath = trashRelpath(planId);
  const foreign = findForeignDevice(root, relpath);
  if (foreign) throw blockedPathError(relpath, { relpath: foreign, reason: 'mount' });
}

/**
 * Marks a trash entry `emptying`, durably, before its first file goes, so a kill part-way
 * leaves an entry that says it is half gone, never one that looks whole. A mount point
 * inside is refused here, before anything is marked. Returns the manifest as marked.
 */
export function markTrashEmptying(root: string, manifest: TrashManifest): TrashManifest {
  refuseMountInside(root, manifest.plan_id);
  const marked: TrashManifest = { ...manifest, status: 'emptying' };
  if (manifest.status !== 'emptying' && existsSync(resolveInsideRoot(root, trashRelpath(manifest.plan_id)))) writeTrashManifest(root, marked);
  return marked;
}

/**
 * Deletes a plan's trash folder for good, in an order a kill cannot make look whole: the
 * manifest is marked `emptying` (durably) first, the trashed files go in batches, then the
 * saved rows and anything else, the manifest last. Running it again on an `emptying` entry
 * finishes what a kill left. A mount point inside is refused, as by `removeTrash`.
 *
 * Asynchronous, one file at a time: many gigabytes of trash take minutes to delete, and the
 * owner process goes on answering its clients meanwhile (the writer is not held for it).
 */
export async function emptyTrashEntry(root: string, manifest: TrashManifest, afterBatch?: () => void): Promise<void> {
  const dir = resolveInsideRoot(root, trashRelpath(manifest.plan_id));
  if (!existsSync(dir)) return;
  markTrashEmptying(root, manifest);
  for (let start = 0; start < manifest.files.length; start += DELETE_BATCH) {
    for (const file of manifest.files.slice(start, start + DELETE_BATCH)) {
      // Behind a link (a trashed link to a folder): never followed; the link goes with the folder below.
      const target = tryResolveInsideRoot(root, trashFileRelpath(manifest.plan_id, file.relpath), { allowLastLink: true });
      if (target !== null) await rm(target, { recursive: true, force: true });
    }
    afterBatch?.();
  }
  // A mount point made inside since the mark: the recursive deletes below would cross it.
  refuseMountInside(root, manifest.plan_id);
  for (const entry of await readdir(dir)) {
    if (entry !== 'manifest.json') await rm(path.join(dir, entry), { recursive: true, force: true });
  }
  await rm(path.join(dir, 'manifest.json'), { force: true });
  fsyncDir(dir);
  await rmdir(dir);
  fsyncDir(path.dirname(dir));
}

/**
 * Trash folders with a plan id for a name but no manifest and nothing in them: what an
 * empty killed between deleting its manifest and its folder leaves. Removed (rmdir only:
 * a folder holding anything stays).
 */
export function removeEmptiedTrashFolders(root: string): void {
  const dir = path.join(root, TRASH_DIR);
  if (findBlockedComponent(root, TRASH_DIR) || !existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !planIdPattern.test(entry.name)) continue;
    try { rmdirSync(path.join(dir, entry.name)); } catch { /* not empty: not ours to judge here */ }
  }
}
