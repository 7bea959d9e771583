import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import type { TrashEmptyResult, TrashEntry, TrashRestoreResult } from '../shared/contract/housekeeping.js';
import type { WorkControl } from '../shared/progress.js';
import { fsyncDir, tempPathFor } from '../storage/atomic-write.js';
import { crashPoint } from '../storage/crash-point.js';
import { moveRelpath, removeEmptyParents, statRelpath } from '../storage/fs-ops.js';
import { resolveInsideRoot } from '../storage/safe-path.js';
import {
  listTrashPlanIds, readTrashManifest, removeTrash, trashFileRelpath, trashRowsPath, writeTrashManifest, type TrashManifest,
} from '../storage/trash-store.js';
import type { Catalog, WriteTx } from './open-catalog.js';
import { planApplied } from './plans.js';
import type { SqlConnection } from './sql.js';

/** Files moved per batch: progress and cancellation are checked between batches. */
export const MOVE_BATCH = 500;

/** Tables whose rows go to the trash with pruned versions, in restore order. */
export const TRASHED_TABLES = ['versions', 'artifacts', 'extracted_files', 'validations', 'term_changes', 'file_damage'] as const;

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Saves the rows selected by `selects` (table → SELECT over that table) as Parquet files
 * in the plan's trash, each written to a temp name and renamed into place.
 */
export async function saveRowsToTrash(
  tx: WriteTx, root: string, planId: string, selects: Readonly<Record<string, string>>,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, select] of Object.entries(selects)) {
    const target = trashRowsPath(root, planId, table);
    const temp = tempPathFor(target);
    mkdirSync(path.dirname(temp), { recursive: true });
    counts[table] = (await tx.scalar<number>(`SELECT count(*) FROM (${select})`)) ?? 0;
    await tx.run(`COPY (${select}) TO ${sqlString(temp)} (FORMAT parquet)`);
    renameSync(temp, target);
    fsyncDir(path.dirname(target));
  }
  return counts;
}

/**
 * Puts saved rows back; INSERT OR IGNORE makes a resumed restore idempotent. Columns are
 * matched by name, so rows trashed before a migration added a column (NULL) come back.
 */
export async function restoreRowsFromTrash(tx: WriteTx, root: string, manifest: TrashManifest): Promise<void> {
  for (const table of TRASHED_TABLES) {
    if (!manifest.rows[table]) continue;
    const file = trashRowsPath(root, manifest.plan_id, table);
    if (!existsSync(file)) throw new OntocatError('IO_ERROR', `The trash of ${manifest.plan_id} lacks its saved ${table} rows; it cannot be restored exactly.`);
    await tx.run(`INSERT OR IGNORE INTO ${table} BY NAME SELECT * FROM read_parquet(${sqlString(file)})`);
  }
}

/**
 * Moves a batch-wise list of files into a plan's trash (idempotent per file).
 * `stopAt` bounds the empty-folder cleanup above each moved file.
 */
export function moveFilesToTrash(
  root: string, planId: string, files: readonly { relpath: string; bytes: number }[], control: WorkControl = {},
  crashName?: string,
): { moved: number; bytes: number } {
  let moved = 0;
  let bytes = 0;
  for (let start = 0; start < files.length; start += MOVE_BATCH) {
    if (control.signal?.aborted) throw new OntocatError('CANCELLED', 'Cancelled while moving files to the trash; run doctor to roll back.');
    const syncDirs = new Set<string>();
    for (const file of files.slice(start, start + MOVE_BATCH)) {
      const present = statRelpath(root, file.relpath) !== null;
      if (!present && statRelpath(root, trashFileRelpath(planId, file.relpath)) === null) continue;
      moveRelpath(root, file.relpath, trashFileRelpath(planId, file.relpath), { syncDirs });
      removeEmptyParents(root, file.relpath, file.relpath.startsWith('.cas/') ? '.cas/sha256' : '');
      moved += 1;
      bytes += file.bytes;
    }
    for (const dir of syncDirs) fsyncDir(dir);
    control.onProgress?.({ done: Math.min(files.length, start + MOVE_BATCH), total: files.length, bytes, current: files[start]?.relpath ?? null, phase: 'trash' });
    if (crashName) crashPoint(crashName);
  }
  return { moved, bytes };
}

/** Moves every file of a plan's trash back to where it came from (idempotent per file). */
export function moveFilesOutOfTrash(
  root: string, manifest: TrashManifest, control: WorkControl = {}, crashName?: string, skipOccupied = false,
): { moved: number; bytes: number; left: TrashManifest['files'] } {
  let moved = 0;
  let bytes = 0;
  const left: { relpath: string; bytes: number }[] = [];
  const files = manifest.files;
  for (let start = 0; start < files.length; start += MOVE_BATCH) {
    if (control.signal?.aborted) throw new OntocatError('CANCELLED', 'Cancelled while restoring from the trash; run the restore again to finish.');
    const syncDirs = new Set<string>();
    for (const file of files.slice(start, start + MOVE_BATCH)) {
      const inTrash = trashFileRelpath(manifest.plan_id, file.relpath);
      if (statRelpath(root, inTrash) === null) continue;
      if (skipOccupied && statRelpath(root, file.relpath) !== null) {
        left.push(file);
        continue;
      }
      moveRelpath(root, inTrash, file.relpath, { syncDirs });
      moved += 1;
      bytes += file.bytes;
    }
    for (const dir of syncDirs) fsyncDir(dir);
    control.onProgress?.({ done: Math.min(files.length, start + MOVE_BATCH), total: files.length, bytes, current: files[start]?.relpath ?? null, phase: 'restore' });
    if (crashName) crashPoint(crashName);
  }
  return { moved, bytes, left };
}

/** The trash entries: applied plans whose trash folder still exists (and interrupted ones). */
export async function listTrash(conn: SqlConnection, root: string): Promise<TrashEntry[]> {
  const entries: TrashEntry[] = [];
  for (const planId of listTrashPlanIds(root)) {
    const manifest = readTrashManifest(root, planId);
    if (!manifest) continue;
    const applied = await planApplied(conn, planId);
    const status = manifest.status === 'moving' && !applied ? 'moving' : manifest.status === 'restoring' ? 'restoring' : 'trashed';
    entries.push({
      plan_id: planId, kind: manifest.kind, created_at: manifest.created_at, status,
      files: manifest.files.length, bytes: manifest.bytes, rows: manifest.rows,
    });
  }
  return entries;
}

/**
 * The restore boundary, inside one transaction: files back first, then the rows.
 *
 * Used by `trash restore` and by doctor to finish a restore that was interrupted.
 */
export async function restoreTrashInTx(tx: WriteTx, root: string, manifest: TrashManifest, control: WorkControl = {}): Promise<{ moved: number; bytes: number }> {
  const moved = moveFilesOutOfTrash(root, manifest, control, 'trash-restore.mid-batch');
  await restoreRowsFromTrash(tx, root, manifest);
  await tx.event('trash.restored', { plan_id: manifest.plan_id, files: manifest.files.length, bytes: manifest.bytes, rows: manifest.rows });
  return moved;
}

/** Puts a plan's trashed files and rows back exactly, then drops its trash folder. */
export async function restoreTrash(catalog: Catalog, planId: string, control: WorkControl = {}): Promise<TrashRestoreResult> {
  const root = catalog.root;
  const manifest = readTrashManifest(root, planId);
  if (!manifest) throw new OntocatError('NOT_FOUND', `Nothing in the trash for plan ${planId}; 'ontocat trash list' shows what is there.`);
  const applied = await catalog.read((conn) => planApplied(conn, planId));
  if (manifest.status === 'moving' && !applied) {
    throw new OntocatError('CONFLICT', `Plan ${planId} was interrupted before it was applied; run 'ontocat doctor' to roll it back.`);
  }
  // Refuse up front when a file would land on top of another one.
  if (manifest.status !== 'restoring') {
    const blocked = manifest.files.find((file) => statRelpath(root, file.relpath) !== null);
    if (blocked) throw new OntocatError('CONFLICT', `Cannot restore ${planId}: '${blocked.relpath}' exists again. Move it away first.`);
    // Nor through a folder that became a link or mount point (UNSAFE_PATH before anything moves).
    for (const file of manifest.files) resolveInsideRoot(root, file.relpath, { allowLastLink: true });
  }
  writeTrashManifest(root, { ...manifest, status: 'restoring' });
  const moved = await catalog.write(async (tx) => {
    if (manifest.status !== 'restoring' && manifest.rows.versions) {
      const clash = await tx.scalar<number>(
        `SELECT count(*) FROM versions WHERE version_id IN (SELECT version_id FROM read_parquet(${sqlString(trashRowsPath(root, planId, 'versions'))}))`,
      );
      if (clash) throw new OntocatError('CONFLICT', `Cannot restore ${planId}: ${clash} of its versions are in the catalog again.`);
    }
    return restoreTrashInTx(tx, root, manifest, control);
  });
  removeTrash(root, planId);
  return { plan_id: planId, files: moved.moved, bytes: moved.bytes, rows: manifest.rows };
}

/**
 * Rolls back a move into the trash that never committed: files go back and the folder
 * goes. A file whose place is taken again (a fix already put good bytes there) stays in
 * the trash, which then becomes an ordinary trash entry.
 */
export function rollBackTrash(root: string, manifest: TrashManifest): { moved: number; bytes: number } {
  const result = moveFilesOutOfTrash(root, manifest, {}, undefined, true);
  if (result.left.length === 0) removeTrash(root, manifest.plan_id);
  else writeTrashManifest(root, { ...manifest, status: 'trashed', files: result.left, bytes: result.left.reduce((sum, file) => sum + file.bytes, 0) });
  return { moved: result.moved, bytes: result.bytes };
}

/** Deletes trash entries for good, all of them or those older than `olderThanDays`. */
export async function emptyTrash(catalog: Catalog, olderThanDays?: number): Promise<TrashEmptyResult> {
  const entries = await catalog.read((conn) => listTrash(conn, catalog.root));
  const cutoff = olderThanDays === undefined ? Infinity : Date.now() - olderThanDays * 86_400_000;
  const victims = entries.filter((entry) => entry.status === 'trashed' && Date.parse(entry.created_at) <= cutoff);
  for (const entry of victims) removeTrash(catalog.root, entry.plan_id);
  const bytes = victims.reduce((sum, entry) => sum + entry.bytes, 0);
  await catalog.write((tx) => tx.event('trash.emptied', { plans: victims.map((entry) => entry.plan_id), bytes, older_than_days: olderThanDays ?? null }));
  return { removed: victims.map((entry) => entry.plan_id), bytes };
}
