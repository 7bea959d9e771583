import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { isOntocatError, OntocatError } from '../shared/errors.js';
import { describeFsError } from '../shared/fs-error-words.js';
import type { TrashEmptyResult, TrashEntry, TrashRestoreResult } from '../shared/contract/housekeeping.js';
import type { WorkControl } from '../shared/progress.js';
import { fsyncDir, fsyncFile, tempPathFor } from '../storage/atomic-write.js';
import { crashPoint } from '../storage/crash-point.js';
import { trySha256File } from '../storage/file-hash.js';
import { moveRelpath, removeEmptyParents, replaceWithLinkRelpath, statRelpath } from '../storage/fs-ops.js';
import { casLocate } from '../storage/content-store.js';
import { casObjectSha, versionDir } from '../storage/layout.js';
import { resolveInsideRoot, tryResolveInsideRoot } from '../storage/safe-path.js';
import {
  emptyTrashEntry, listTrashPlanIds, markTrashEmptying, readTrashManifest, refuseMountInside, removeTrash, trashFileRelpath, trashRelpath, trashRowsPath, writeTrashManifest, type TrashManifest,
} from '../storage/trash-store.js';
import {
  dataFolderOf, folderHoldings, folderProblems, folderState, forgetFolders, identityText, recordFolder, versionDataFolder, type FolderIdentity,
} from './folder-identity.js';
import type { Catalog, WriteTx } from './open-catalog.js';
import { planApplied } from './plans.js';
import { sqlText, type SqlConnection } from './sql.js';
import { recountVersionTotals } from './version-totals.js';
import { EmptyingRegistry } from './emptying-registry.js';

/** Files moved per batch: progress and cancellation are checked between batches. */
export const MOVE_BATCH = 500;

/** Tables whose rows go to the trash with pruned versions, in restore order. */
export const TRASHED_TABLES = ['versions', 'artifacts', 'extracted_files', 'validations', 'term_changes', 'file_damage'] as const;

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
    counts[table] = (await tx.scalar<number>(`SELECT count(*) FROM (${select})`)) ?? 0;
    try {
      mkdirSync(path.dirname(temp), { recursive: true });
      await tx.run(`COPY (${select}) TO ${sqlText(temp)} (FORMAT parquet)`);
      // The rows must be durable before the commit that deletes them.
      fsyncFile(temp);
      renameSync(temp, target);
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      throw new OntocatError('IO_ERROR', `Could not save the ${table} rows to the trash of ${planId} (${reason}); nothing was changed.`, { plan_id: planId });
    }
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
    await tx.run(`INSERT OR IGNORE INTO ${table} BY NAME SELECT * FROM read_parquet(${sqlText(file)})`);
  }
  // The restored versions' totals, counted from the rows now back.
  const counted = (['extracted_files', 'validations'] as const).filter((table) => manifest.rows[table]);
  if (counted.length > 0) {
    const restored = await tx.all<{ version_id: string }>(counted.map((table) =>
      `SELECT DISTINCT version_id::VARCHAR AS version_id FROM read_parquet(${sqlText(trashRowsPath(root, manifest.plan_id, table))})`).join(' UNION '));
    await recountVersionTotals(tx, restored.map((row) => row.version_id));
  }
  // The versions' data folders as they are now that their files are back (moving them back may have made them anew).
  if (!manifest.rows.versions) return;
  const versions = await tx.all<{ service: string; version: string; version_id: string }>(
    `SELECT service, version, version_id::VARCHAR AS version_id FROM read_parquet(${sqlText(trashRowsPath(root, manifest.plan_id, 'versions'))})`,
  );
  for (const row of versions) await recordFolder(tx, versionDataFolder(row.service, row.version), 'version_data', { version_id: row.version_id }, 'restore');
}

/**
 * A failed move as an error naming the file and the cause (EPERM, ENOSPC, …), so that a
 * curator reads which file stopped the work, not a raw stack trace.
 */
export function moveFailure(relpath: string, where: string, error: unknown): OntocatError {
  if (error instanceof OntocatError) return error;
  const cause = error as NodeJS.ErrnoException;
  return new OntocatError('IO_ERROR', `could not move '${relpath}' ${where}: ${describeFsError(cause, null)}`, { relpath, code: cause.code ?? null });
}

/**
 * Moves a batch-wise list of files into a plan's trash (idempotent per file).
 * Each moved path is pushed onto `movedOut` as it moves, so a caller can undo exactly
 * what moved when a later file fails.
 */
export function moveFilesToTrash(
  root: string, planId: string, files: readonly { relpath: string; bytes: number }[], control: WorkControl = {},
  crashName?: string, movedOut: string[] = [],
): { moved: number; bytes: number } {
  let moved = 0;
  let bytes = 0;
  for (let start = 0; start < files.length; start += MOVE_BATCH) {
    if (control.signal?.aborted) throw new OntocatError('CANCELLED', 'cancelled while moving files to the trash');
    const syncDirs = new Set<string>();
    try {
      for (const file of files.slice(start, start + MOVE_BATCH)) {
        const present = statRelpath(root, file.relpath) !== null;
        if (!present && statRelpath(root, trashFileRelpath(planId, file.relpath)) === null) continue;
        try {
          if (moveRelpath(root, file.relpath, trashFileRelpath(planId, file.relpath), { syncDirs }) === 'moved') movedOut.push(file.relpath);
        } catch (error) {
          throw moveFailure(file.relpath, 'to the trash', error);
        }
        removeEmptyParents(root, file.relpath, file.relpath.startsWith('.cas/') ? '.cas/sha256' : '');
        moved += 1;
        bytes += file.bytes;
      }
    } finally {
      for (const dir of syncDirs) fsyncDir(dir);
    }
    control.onProgress?.({ done: Math.min(files.length, start + MOVE_BATCH), total: files.length, bytes, current: files[start]?.relpath ?? null, phase: 'trash' });
    if (crashName) crashPoint(crashName);
  }
  return { moved, bytes };
}

/**
 * Moves every file of a plan's trash back to where it came from (idempotent per file);
 * `only` limits it to those paths, and each path moved back is pushed onto `movedBack`.
 */
export function moveFilesOutOfTrash(
  root: string, manifest: TrashManifest, control: WorkControl = {}, crashName?: string, skipOccupied = false,
  options: { only?: ReadonlySet<string>; movedBack?: string[] } = {},
): { moved: number; bytes: number; left: TrashManifest['files'] } {
  let moved = 0;
  let bytes = 0;
  const left: { relpath: string; bytes: number }[] = [];
  const files = options.only ? manifest.files.filter((file) => options.only!.has(file.relpath)) : manifest.files;
  for (let start = 0; start < files.length; start += MOVE_BATCH) {
    if (control.signal?.aborted) throw new OntocatError('CANCELLED', 'cancelled while restoring from the trash');
    const syncDirs = new Set<string>();
    try {
      for (const file of files.slice(start, start + MOVE_BATCH)) {
        const inTrash = trashFileRelpath(manifest.plan_id, file.relpath);
        if (statRelpath(root, inTrash) === null) continue;
        if (skipOccupied && statRelpath(root, file.relpath) !== null) {
          left.push(file);
          continue;
        }
        try {
          moveRelpath(root, inTrash, file.relpath, { syncDirs });
        } catch (error) {
          throw moveFailure(file.relpath, 'back from the trash', error);
        }
        options.movedBack?.push(file.relpath);
        moved += 1;
        bytes += file.bytes;
      }
    } finally {
      for (const dir of syncDirs) fsyncDir(dir);
    }
    control.onProgress?.({ done: Math.min(files.length, start + MOVE_BATCH), total: files.length, bytes, current: files[start]?.relpath ?? null, phase: 'restore' });
    if (crashName) crashPoint(crashName);
  }
  return { moved, bytes, left };
}

/** The trash entries: applied plans whose trash folder still exists (and interrupted ones). */
export async function listTrash(conn: SqlConnection, root: string): Promise<TrashEntry[]> {
  const entries: TrashEntry[] = [];
  for (const planId of listTrashPlanIds(root)) {
    let manifest: TrashManifest | null;
    try {
      manifest = readTrashManifest(root, planId);
    } catch (error) {
      // Listed, never emptied or restored: one damaged manifest must not hide the other entries.
      entries.push({
        plan_id: planId, kind: planId.slice(0, planId.indexOf('-')), created_at: planIdInstant(planId), status: 'unreadable_manifest',
        problem: (error as Error).message, files: 0, bytes: 0, disk_bytes: 0, freed_bytes: 0, rows: {}, versions: [],
      });
      continue;
    }
    if (!manifest) continue;
    const applied = await planApplied(conn, planId);
    // A prune still moving or rolling back shows as moving until the next open finishes it.
    const unfinished = (manifest.status === 'moving' && !applied) || manifest.status === 'removing' || manifest.status === 'rolling_back';
    const status = unfinished ? 'moving' : manifest.status === 'restoring' ? 'restoring' : manifest.status === 'emptying' ? 'emptying' : 'trashed';
    // An entry a kill stopped half-way through emptying shows what is still there, not what it once held.
    const left = manifest.status === 'emptying' ? filesStillInTrash(root, manifest) : manifest.files;
    entries.push({
      plan_id: planId, kind: manifest.kind, created_at: manifest.created_at, status,
      files: left.length, bytes: manifest.status === 'emptying' ? left.reduce((sum, file) => sum + file.bytes, 0) : manifest.bytes,
      ...trashDiskBytes(root, manifest), rows: manifest.rows,
      versions: await trashedVersions(conn, root, manifest),
    });
  }
  return entries;
}

/** The instant a plan id names (`prune-20260101T120000Z-…`), as ISO text. */
function planIdInstant(planId: string): string {
  const stamp = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(planId);
  return stamp ? `${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}.000Z` : new Date(0).toISOString();
}

/** The files of a trash entry that are still in its trash folder. */
function filesStillInTrash(root: string, manifest: TrashManifest): TrashManifest['files'] {
  return manifest.files.filter((file) => statRelpath(root, trashFileRelpath(manifest.plan_id, file.relpath)) !== null);
}

/**
 * Disk space emptying a trash entry gives back: a data file is a hard link to a content
 * object, so bytes come back only for files whose every link is inside this entry, each
 * inode counted once (what the prune preview called "space freed").
 */
export function freedWhenEmptied(root: string, manifest: TrashManifest): number {
  return trashDiskBytes(root, manifest).freed_bytes;
}

/** What a trash entry's files take on disk (each inode once), and what emptying it gives back. */
function trashDiskBytes(root: string, manifest: TrashManifest): { disk_bytes: number; freed_bytes: number } {
  const seen = new Map<number, { links: number; nlink: number; size: number }>();
  for (const file of manifest.files) {
    const stat = statRelpath(root, trashFileRelpath(manifest.plan_id, file.relpath));
    if (!stat) continue;
    const entry = seen.get(stat.ino) ?? { links: 0, nlink: stat.nlink, size: stat.size };
    entry.links += 1;
    seen.set(stat.ino, entry);
  }
  let disk = 0;
  let freed = 0;
  for (const entry of seen.values()) {
    disk += entry.size;
    if (entry.links >= entry.nlink) freed += entry.size;
  }
  return { disk_bytes: disk, freed_bytes: freed };
}

/** The versions (`S/V`) whose rows a trash entry holds, from its saved rows. */
async function trashedVersions(conn: SqlConnection, root: string, manifest: TrashManifest): Promise<string[]> {
  if (!manifest.rows.versions) return [];
  const file = trashRowsPath(root, manifest.plan_id, 'versions');
  if (!existsSync(file)) return [];
  const rows = await conn.all<{ name: string }>(`SELECT service || '/' || version AS name FROM read_parquet(${sqlText(file)}) ORDER BY name`);
  return rows.map((row) => row.name);
}

/** One page of the files of a trash entry, in the order they were moved. */
export function listTrashFiles(root: string, planId: string, offset = 0, limit = 200): { items: TrashManifest['files']; total: number; offset: number; limit: number } {
  const manifest = readTrashManifest(root, planId);
  if (!manifest) throw new OntocatError('NOT_FOUND', `Nothing in the trash for plan ${planId}.`);
  return { items: manifest.files.slice(offset, offset + limit), total: manifest.files.length, offset, limit };
}

/**
 * Content store objects of a trash entry that the store holds again, intact: a version
 * ingested after the prune stored the same content. A restore keeps the store's object
 * (other versions link it) and links the restored files to it; the trash copy goes with
 * the trash folder. An object there that no longer matches its name is not one of them.
 */
export async function objectsStoredAgain(root: string, manifest: TrashManifest): Promise<Set<string>> {
  const again = new Set<string>();
  for (const file of manifest.files) {
    const name = casObjectSha(file.relpath);
    if (!name || statRelpath(root, file.relpath) === null || statRelpath(root, trashFileRelpath(manifest.plan_id, file.relpath)) === null) continue;
    if ((await trySha256File(resolveInsideRoot(root, file.relpath))) === name) again.add(file.relpath);
  }
  return again;
}

/**
 * Makes restored files that are hard links of a trashed object stored again hard links of
 * the store's object instead, each in one rename (idempotent: a resumed restore relinks
 * only what is left). Returns how many were relinked.
 */
function linkToStoredObjects(root: string, manifest: TrashManifest, again: ReadonlySet<string>): StoredLink[] {
  if (again.size === 0) return [];
  const storedByTrashedInode = new Map<number, string>();
  const storedInodes = new Set<number>();
  for (const object of again) {
    const trashed = statRelpath(root, trashFileRelpath(manifest.plan_id, object));
    const stored = statRelpath(root, object);
    if (stored) storedInodes.add(stored.ino);
    // One inode already (doctor rebuilt the object from this trash copy): nothing to relink.
    if (trashed && stored && trashed.ino !== stored.ino) storedByTrashedInode.set(trashed.ino, object);
  }
  const links: StoredLink[] = [];
  for (const file of manifest.files) {
    if (again.has(file.relpath)) continue;
    let stat = statRelpath(root, file.relpath);
    const object = stat ? storedByTrashedInode.get(stat.ino) : undefined;
    if (object) {
      replaceWithLinkRelpath(root, object, file.relpath);
      stat = statRelpath(root, file.relpath);
    }
    // Relinked now or by a restore a kill stopped: the file has the stored object's mtime.
    if (stat && storedInodes.has(stat.ino)) links.push({ relpath: file.relpath, mtime_ms: stat.mtime_ms });
  }
  return links;
}

/** A restored file linked to an object stored again, with the mtime it now has. */
interface StoredLink {
  readonly relpath: string;
  readonly mtime_ms: number;
}

/** The restored rows of files linked to an object stored again take that object's mtime, as the disk shows. */
async function recordStoredLinkMtimes(tx: WriteTx, links: readonly StoredLink[]): Promise<void> {
  if (links.length === 0) return;
  await tx.run(`
    WITH linked AS (SELECT unnest(string_split($1, chr(0))) AS root_relpath, unnest(string_split($2, ','))::BIGINT AS mtime_ms)
    UPDATE extracted_files SET mtime = make_timestamp(linked.mtime_ms * 1000)
    FROM linked JOIN v_catalog_paths c USING (root_relpath) WHERE extracted_files.file_id = c.file_id`,
  [links.map((link) => link.relpath).join('\0'), links.map((link) => String(Math.trunc(link.mtime_ms))).join(',')]);
}

/**
 * Puts a restore's files back: every file moves out of the trash but objects the store
 * holds again, whose files are then linked to the store's object.
 */
export async function putFilesBack(
  root: string, manifest: TrashManifest, control: WorkControl = {}, crashName?: string,
  options: { movedBack?: string[]; again?: ReadonlySet<string> } = {},
): Promise<{ moved: number; bytes: number; already_stored: number; links: StoredLink[] }> {
  const again = options.again ?? await objectsStoredAgain(root, manifest);
  const only = again.size > 0 ? new Set(manifest.files.map((file) => file.relpath).filter((relpath) => !again.has(relpath))) : undefined;
  const moved = moveFilesOutOfTrash(root, manifest, control, crashName, false, { ...(only ? { only } : {}), ...(options.movedBack ? { movedBack: options.movedBack } : {}) });
  const links = linkToStoredObjects(root, manifest, again);
  return { moved: moved.moved, bytes: moved.bytes, already_stored: again.size, links };
}

/** Puts a restore's rows back, with the mtimes of the files linked to objects stored again. */
export async function putRowsBack(tx: WriteTx, root: string, manifest: TrashManifest, links: readonly StoredLink[]): Promise<void> {
  await restoreRowsFromTrash(tx, root, manifest);
  await recordStoredLinkMtimes(tx, links);
}

/**
 * The restore boundary, inside one transaction: files back first, then the rows.
 *
 * Used by `trash restore` and by doctor to finish a restore that was interrupted.
 */
export async function restoreTrashInTx(tx: WriteTx, root: string, manifest: TrashManifest, control: WorkControl = {}): Promise<{ moved: number; bytes: number }> {
  const moved = await putFilesBack(root, manifest, control, 'trash-restore.mid-batch');
  await putRowsBack(tx, root, manifest, moved.links);
  await tx.event('trash.restored', { plan_id: manifest.plan_id, files: manifest.files.length, bytes: manifest.bytes, rows: manifest.rows });
  return moved;
}

/**
 * The folders a restore or an empty acts in against their recorded device and inode: the
 * trash entry's own folder, and the version data folders its files go back into (those
 * still in the catalog, and those a prune recorded in the manifest when it removed them).
 */
async function trashFolderProblems(conn: SqlConnection, root: string, manifest: TrashManifest, emptying = false): Promise<{ item: string; why: string }[]> {
  const trashFolder = trashRelpath(manifest.plan_id);
  if (emptying) return folderProblems(conn, root, [trashFolder]);
  const saved = new Map<string, FolderIdentity>((manifest.folders ?? []).map((folder) => [folder.relpath, { dev: folder.dev, ino: folder.ino }]));
  const targets = new Set<string>([trashFolder, ...saved.keys()]);
  for (const file of manifest.files) {
    const folder = dataFolderOf(file.relpath);
    if (folder) targets.add(folder);
  }
  const problems = await folderProblems(conn, root, targets, saved);
  // A pruned version's data folder made again since (by hand, `mkdir -p S/V/data`) is no
  // folder the catalog knows, and doctor has nothing to review in it (its version is not in
  // the catalog). Empty, it is taken as it is: files moving into it overwrite and hide
  // nothing, and the restore records it. Holding anything, it is still refused, saying how
  // to clear it: its files are strays that doctor offers to move to the trash.
  return problems.flatMap((problem) => {
    const expected = saved.get(problem.item);
    const now = folderState(root, problem.item);
    if (!expected || now.state !== 'folder' || now.dev !== expected.dev) return [problem];
    const held = folderHoldings(root, problem.item);
    if (held.count === 0) return [];
    return [{
      item: problem.item,
      why: `was made again since its version was pruned (${identityText(now)}, not the recorded ${identityText(expected)}) and holds ` +
        `${held.count === 1 ? 'a file' : `${held.count} files`} ('${problem.item}/${held.first}'${held.count > 1 ? ', …' : ''}); a restore never moves files into a folder ` +
        `it did not record that holds anything. Move ${held.count === 1 ? 'it' : 'them'} out, or run 'ontocat doctor' (its plan moves strays there to the trash), then restore`,
    }];
  });
}

/**
 * Trashed files of versions that are in the catalog again and lack them on disk (a catalog
 * backup from before their prune was restored): the trash holds their only copies. The
 * downloads a version keeps beside its data (`S/V/archives/`) count too: doctor puts them
 * back from the trash as it does the data files.
 */
async function filesTheCatalogNeedsBack(conn: SqlConnection, root: string, manifest: TrashManifest): Promise<{ relpath: string; version: string }[]> {
  if (!manifest.rows.versions) return [];
  const back = await conn.all<{ service: string; version: string }>(
    `SELECT service, version FROM versions
     WHERE version_id IN (SELECT version_id FROM read_parquet(${sqlText(trashRowsPath(root, manifest.plan_id, 'versions'))}))`,
  );
  if (back.length === 0) return [];
  const archives = new Set((await conn.all<{ fs_relpath: string }>(
    `SELECT fs_relpath FROM artifacts
     WHERE fs_relpath IS NOT NULL AND version_id IN (SELECT version_id FROM read_parquet(${sqlText(trashRowsPath(root, manifest.plan_id, 'versions'))}))`,
  )).map((row) => row.fs_relpath));
  const needed: { relpath: string; version: string }[] = [];
  for (const { service, version } of back) {
    const folder = `${versionDataFolder(service, version)}/`;
    const own = `${versionDir(service, version)}/`;
    for (const file of manifest.files) {
      const held = file.relpath.startsWith(folder) || (file.relpath.startsWith(own) && archives.has(file.relpath));
      if (held && statRelpath(root, file.relpath) === null) needed.push({ relpath: file.relpath, version: `${service}/${version}` });
    }
  }
  return needed;
}

/**
 * Downloads a replace entry (`fetch … --replace`) holds whose bytes are the ones the catalog
 * records for that path, while the path on disk holds others or nothing (a catalog backup
 * from before the replace was restored): the trash holds the only copy of the recorded bytes.
 */
async function replacedBytesTheCatalogRecords(conn: SqlConnection, root: string, manifest: TrashManifest): Promise<{ relpath: string; sha256: string }[]> {
  if (manifest.kind !== 'replace') return [];
  const needed: { relpath: string; sha256: string }[] = [];
  for (const file of manifest.files) {
    const record = await conn.one<{ sha256: string; size_bytes: number }>(
      'SELECT sha256, size_bytes FROM artifacts WHERE fs_relpath = $1 AND sha256 IS NOT NULL LIMIT 1', [file.relpath]);
    if (!record) continue;
    const kept = trashFileRelpath(manifest.plan_id, file.relpath);
    if (statRelpath(root, kept)?.size !== record.size_bytes) continue;
    const hashOf = async (relpath: string): Promise<string | null> => {
      const at = tryResolveInsideRoot(root, relpath);
      return at === null ? null : trySha256File(at);
    };
    if (statRelpath(root, file.relpath)?.size === record.size_bytes && await hashOf(file.relpath) === record.sha256) continue;
    if (await hashOf(kept) === record.sha256) needed.push({ relpath: file.relpath, sha256: record.sha256 });
  }
  return needed;
}

/**
 * Content-store objects an entry holds (a doctor's unused copies, a prune's) whose content
 * the catalog records for a file while the store has no object of it (a catalog backup from
 * before they went unused was restored): the trash holds the only stored copy, which doctor
 * puts back from there.
 */
async function objectsTheCatalogNeedsBack(conn: SqlConnection, root: string, manifest: TrashManifest): Promise<{ relpath: string; example: string }[]> {
  const objects = manifest.files.flatMap((file) => {
    const sha256 = casObjectSha(file.relpath);
    return sha256 ? [{ relpath: file.relpath, sha256 }] : [];
  });
  if (objects.length === 0) return [];
  const used = new Map((await conn.all<{ sha256: string; example: string }>(
    `SELECT f.sha256, min(v.service || '/' || v.version || '/' || f.relpath) AS example FROM extracted_files f JOIN versions v USING (version_id)
     WHERE f.sha256 IN (SELECT unnest(string_split($1, chr(0)))) GROUP BY f.sha256`, [objects.map((object) => object.sha256).join('\0')],
  )).map((row) => [row.sha256, row.example]));
  const needed: { relpath: string; example: string }[] = [];
  for (const object of objects) {
    const example = used.get(object.sha256);
    if (example === undefined || statRelpath(root, trashFileRelpath(manifest.plan_id, object.relpath)) === null) continue;
    if (await casLocate(root, object.sha256) === null) needed.push({ relpath: object.relpath, example });
  }
  return needed;
}

/**
 * What a restore needs right before it acts: every file's place free and none of its
 * versions in the catalog again. Refuses with STALE_PLAN naming the first that is not.
 */
async function checkRestore(conn: SqlConnection, root: string, manifest: TrashManifest): Promise<Set<string>> {
  const planId = manifest.plan_id;
  // Every trashed file must still be there: a restore that skipped the missing ones would bring
  // its versions back with rows for files that are not on disk (a trash emptied half-way by a
  // kill before 'emptying' was recorded, or files deleted from it by hand).
  const gone = manifest.files.filter((file) => statRelpath(root, trashFileRelpath(planId, file.relpath)) === null);
  if (gone.length > 0) {
    throw new OntocatError('STALE_PLAN', `Cannot restore ${planId}: ${gone.length} of its ${manifest.files.length} trashed files ${gone.length === 1 ? 'is' : 'are'} gone from the trash ` +
      `(the first: '${gone[0]!.relpath}'), so its versions would come back without them. Nothing was restored.`,
    { plan_id: planId, item: gone[0]!.relpath, missing: gone.length });
  }
  const again = await objectsStoredAgain(root, manifest);
  const blocked = manifest.files.find((file) => !again.has(file.relpath) && statRelpath(root, file.relpath) !== null);
  if (blocked && casObjectSha(blocked.relpath) !== null) {
    throw new OntocatError('STALE_PLAN', `Cannot restore ${planId}: the content store holds '${blocked.relpath}' again, and it no longer matches its hash; run 'ontocat doctor' to repair it, then restore. Nothing was restored.`, { plan_id: planId, item: blocked.relpath });
  }
  if (blocked) {
    throw new OntocatError('STALE_PLAN', `Cannot restore ${planId}: '${blocked.relpath}' exists again, and a restore never overwrites a file; move it away first. Nothing was restored.`, { plan_id: planId, item: blocked.relpath });
  }
  // Nor through a folder that became a link or mount point (UNSAFE_PATH before anything moves).
  for (const file of manifest.files) resolveInsideRoot(root, file.relpath, { allowLastLink: true });
  // Nor into a version folder, or out of a trash folder, that is not the one recorded (swapped for another real folder).
  const problems = await trashFolderProblems(conn, root, manifest);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new OntocatError('STALE_PLAN', `Cannot restore ${planId}: ${first.item} ${first.why}. Nothing was restored.`, { plan_id: planId, item: first.item, items: problems });
  }
  if (!manifest.rows.versions) return again;
  const clash = await conn.one<{ name: string; count: number }>(
    `SELECT any_value(service || '/' || version) AS name, count(*) AS count FROM versions
     WHERE version_id IN (SELECT version_id FROM read_parquet(${sqlText(trashRowsPath(root, planId, 'versions'))}))`,
  );
  if (clash && clash.count > 0) {
    throw new OntocatError('STALE_PLAN', `Cannot restore ${planId}: ${clash.name} is in the catalog again (a catalog backup from before the prune restored?); 'ontocat doctor' puts its files back from this trash. Nothing was restored.`, { plan_id: planId, item: clash.name });
  }
  return again;
}

/**
 * Puts a plan's trashed files and rows back exactly, then drops its trash folder.
 *
 * Holding the writer throughout: the preconditions are checked, every file moves back,
 * and only then do the rows come back in one commit, so a version reappears only with
 * all its files. A failed move sends the files already back to the trash again and says
 * which file stopped it; a kill part-way is finished when the catalog next opens.
 */
export async function restoreTrash(catalog: Catalog, planId: string, control: WorkControl = {}): Promise<TrashRestoreResult> {
  const root = catalog.root;
  return catalog.writeSteps(async (step) => {
    const manifest = readTrashManifest(root, planId);
    if (!manifest) throw new OntocatError('NOT_FOUND', `Nothing in the trash for plan ${planId}; 'ontocat trash list' shows what is there.`);
    let again: Set<string> | undefined;
    await step(async (tx) => {
      const applied = await planApplied(tx, planId);
      if (manifest.status === 'moving' && !applied) {
        throw new OntocatError('CONFLICT', `Plan ${planId} was interrupted before it was applied; run 'ontocat doctor' to roll it back.`);
      }
      if (manifest.status === 'emptying' && isBeingEmptied(root, planId)) {
        throw new OntocatError('CONFLICT', `The trash of ${planId} is being emptied now (its files are being deleted); it cannot be restored.`, { plan_id: planId });
      }
      if (manifest.status === 'emptying') {
        throw new OntocatError('CONFLICT', `The trash of ${planId} was being emptied and is partly deleted; it cannot be restored. Opening the catalog for writing finishes emptying it.`, { plan_id: planId });
      }
      if (manifest.status === 'removing' || manifest.status === 'rolling_back') {
        throw new OntocatError('CONFLICT', `Plan ${planId} is still being applied or rolled back; open the catalog again to finish that first.`);
      }
      if (manifest.status !== 'restoring') again = await checkRestore(tx, root, manifest);
    });
    writeTrashManifest(root, { ...manifest, status: 'restoring' });
    crashPoint('trash-restore.before-move');
    const movedBack: string[] = [];
    /** Sends the files already back to the trash again, and says what stopped the restore. */
    const sendBack = async (error: unknown): Promise<OntocatError> => {
      const back = new Set(movedBack);
      moveFilesToTrash(root, planId, manifest.files.filter((file) => back.has(file.relpath)));
      let settled = true;
      try {
        writeTrashManifest(root, { ...manifest, status: 'trashed' });
      } catch {
        settled = false;
      }
      const reason = (error as Error).message;
      // On a full disk the commit that failed leaves no room for this event either.
      await step((tx) => tx.event('trash.restore_failed', { plan_id: planId, reason }, 'error')).catch(() => undefined);
      const code = isOntocatError(error, 'CANCELLED') ? 'CANCELLED' : 'IO_ERROR';
      return new OntocatError(code, `Restoring ${planId} stopped: ${reason}. The ${back.size} files already put back went back to the trash; ` +
        (settled ? 'nothing was restored.' : `nothing was restored yet, but its manifest still says restoring (no room to change it): the next writable open finishes the restore.`), { plan_id: planId });
    };
    let moved: Awaited<ReturnType<typeof putFilesBack>>;
    try {
      moved = await putFilesBack(root, manifest, control, 'trash-restore.mid-batch', { movedBack, ...(again ? { again } : {}) });
    } catch (error) {
      throw await sendBack(error);
    }
    crashPoint('trash-restore.before-commit');
    try {
      await step(async (tx) => {
        await putRowsBack(tx, root, manifest, moved.links);
        await tx.event('trash.restored', { plan_id: planId, files: manifest.files.length, bytes: manifest.bytes, rows: manifest.rows });
      });
    } catch (error) {
      // A commit that fails (a full disk) is no kill: the files go back to the trash now,
      // rather than the version coming back at some later open after a restore said it failed.
      throw await sendBack(error);
    }
    crashPoint('trash-restore.after-commit');
    removeTrash(root, planId);
    await step((tx) => forgetFolders(tx, [trashRelpath(planId)]));
    return { plan_id: planId, files: moved.moved, bytes: moved.bytes, already_stored: moved.already_stored, rows: manifest.rows };
  });
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

/**
 * Trash entries this process is deleting now, by root and plan id: marked `emptying` under
 * the writer, their files going after it was let go. Another empty of one of them waits for
 * that one to end, then looks again (and finds it gone, or left `emptying` to finish).
 */
const emptyingNow = new EmptyingRegistry();

/** True while this process is deleting the trash of `planId` (a restore of it is refused meanwhile). */
export function isBeingEmptied(root: string, planId: string): boolean {
  return emptyingNow.has(root, planId);
}

/** What the writer's part of an empty settled: entries marked to delete, or deletes of another empty to wait for first. */
type EmptyClaim =
  | { readonly wait: Promise<unknown> }
  | { readonly manifests: TrashManifest[]; readonly result: TrashEmptyResult; readonly done: () => void };

/**
 * Deletes trash entries for good: all of them, those older than `olderThanDays`, the one of
 * `planId`, or only those of `planIds` (what a confirmation listed: an entry another client
 * trashed after it was shown is not deleted unseen; one gone since refuses the whole call).
 *
 * The writer is held for the catalog's part only: the listing, every re-check, and marking
 * each entry `emptying` (durably, in its manifest). A restore of the same entry (another
 * client, or the same Empty clicked twice) runs wholly before that, or is refused after it.
 * The files are then deleted with the writer let go, so other clients' writes (a pin, a
 * set-latest, an ingest) go on while gigabytes are deleted; a short last write forgets the
 * folders and records the event. A kill part-way leaves the entries `emptying`: the next
 * writable open, or the next `trash empty`, finishes them.
 */
export async function emptyTrash(catalog: Catalog, olderThanDays?: number, planId?: string, planIds?: readonly string[]): Promise<TrashEmptyResult> {
  for (;;) {
    const claim = await catalog.writeSteps(() => claimTrashToEmpty(catalog, olderThanDays, planId, planIds));
    if ('wait' in claim) {
      await claim.wait;
      continue;
    }
    try {
      for (const manifest of claim.manifests) await emptyTrashEntry(catalog.root, manifest, () => crashPoint('trash-empty.mid-delete'));
      const { removed, bytes, freed_bytes: freed } = claim.result;
      await catalog.write(async (tx) => {
        await forgetFolders(tx, removed.map((id) => trashRelpath(id)));
        await tx.event('trash.emptied', { plans: removed, bytes, freed_bytes: freed, older_than_days: olderThanDays ?? null });
      });
      return claim.result;
    } finally {
      claim.done();
    }
  }
}

async function claimTrashToEmpty(
  catalog: Catalog, olderThanDays?: number, planId?: string, planIds?: readonly string[],
): Promise<EmptyClaim> {
  const entries = await catalog.read((conn) => listTrash(conn, catalog.root));
  const cutoff = olderThanDays === undefined ? Infinity : Date.now() - olderThanDays * 86_400_000;
  const chosen = planId === undefined && planIds === undefined ? null : new Set([...(planId === undefined ? [] : [planId]), ...(planIds ?? [])]);
  for (const id of chosen ?? []) {
    const entry = entries.find((item) => item.plan_id === id);
    if (!entry) throw new OntocatError('NOT_FOUND', `Nothing in the trash for plan ${id}; 'ontocat trash list' shows what is there. Nothing was deleted.`);
    if (entry.status === 'unreadable_manifest') throw new OntocatError('CONFLICT', `${entry.problem ?? `The trash manifest of ${id} is unreadable`}; nothing of it is deleted while its files are not known. Nothing was deleted.`);
    if (entry.status !== 'trashed' && entry.status !== 'emptying') throw new OntocatError('CONFLICT', `The trash of ${id} is ${entry.status}; finish that first (open the catalog again, or run 'ontocat doctor').`);
  }
  // An entry a kill left half-emptied is finished along with the rest.
  const victims = entries.filter((entry) => (entry.status === 'trashed' || entry.status === 'emptying') && Date.parse(entry.created_at) <= cutoff && (chosen === null || chosen.has(entry.plan_id)));
  // Being deleted by another empty of this process now: wait for it, then look again.
  const busy = emptyingNow.waitFor(catalog.root, victims.map((entry) => entry.plan_id));
  if (busy) return { wait: busy };
  // Right before deleting for good: every entry's folder must still be the one its plan recorded.
  const stale: { item: string; why: string }[] = [];
  for (const entry of victims) {
    const manifest = readTrashManifest(catalog.root, entry.plan_id);
    if (manifest) stale.push(...await catalog.read((conn) => trashFolderProblems(conn, catalog.root, manifest, true)));
  }
  if (stale.length > 0) {
    const first = stale[0]!;
    throw new OntocatError('STALE_PLAN', `Refused to empty the trash: ${first.item} ${first.why}. Nothing was deleted.`, { item: first.item, items: stale });
  }
  for (const entry of victims) {
    const manifest = readTrashManifest(catalog.root, entry.plan_id);
    const needed = manifest && manifest.status !== 'emptying' ? await catalog.read((conn) => filesTheCatalogNeedsBack(conn, catalog.root, manifest)) : [];
    if (needed.length > 0) {
      const first = needed[0]!;
      throw new OntocatError('CONFLICT', `Refused to empty the trash: ${entry.plan_id} holds '${first.relpath}' of ${first.version}, which is in the catalog ` +
        `again and lacks that file on disk (a catalog backup from before the prune restored?)${needed.length > 1 ? `, and ${needed.length - 1} more such files` : ''}: ` +
        `the trash has the only copy. Run 'ontocat doctor', which puts such files back from the trash, then empty it. Nothing was deleted.`,
      { plan_id: entry.plan_id, items: needed.map((item) => item.relpath) });
    }
    const objects = manifest && manifest.status !== 'emptying' ? await catalog.read((conn) => objectsTheCatalogNeedsBack(conn, catalog.root, manifest)) : [];
    if (objects.length > 0) {
      const first = objects[0]!;
      throw new OntocatError('CONFLICT', `Refused to empty the trash: ${entry.plan_id} holds '${first.relpath}', the only stored copy of content the catalog records (${first.example}) ` +
        `while the content store lacks it (a catalog backup restored?)${objects.length > 1 ? `, and ${objects.length - 1} more such objects` : ''}. ` +
        "Run 'ontocat doctor', which puts such content back from the trash, then empty it. Nothing was deleted.",
      { plan_id: entry.plan_id, items: objects.map((item) => item.relpath) });
    }
    const recorded = manifest && manifest.status !== 'emptying' ? await catalog.read((conn) => replacedBytesTheCatalogRecords(conn, catalog.root, manifest)) : [];
    if (recorded.length > 0) {
      const first = recorded[0]!;
      throw new OntocatError('CONFLICT', `Refused to empty the trash: ${entry.plan_id} holds the only copy of '${first.relpath}' as the catalog records it (sha256 ${first.sha256.slice(0, 12)}…), ` +
        `and the file at that path holds other bytes or none (a catalog backup from before the download was replaced restored?). Move that file aside and run ` +
        `'ontocat trash restore ${entry.plan_id}', or fetch it again with --replace; then empty it. Nothing was deleted.`,
      { plan_id: entry.plan_id, items: recorded.map((item) => item.relpath) });
    }
  }
  // Mark every entry first (a mount point inside one refuses them all before any is marked),
  // then register them as being deleted by this process, all before the writer is let go.
  const manifests = victims.flatMap((entry) => {
    const manifest = readTrashManifest(catalog.root, entry.plan_id);
    return manifest ? [manifest] : [];
  });
  for (const manifest of manifests) refuseMountInside(catalog.root, manifest.plan_id);
  const marked = manifests.map((manifest) => markTrashEmptying(catalog.root, manifest));
  const done = emptyingNow.claim(catalog.root, victims.map((entry) => entry.plan_id));
  const bytes = victims.reduce((sum, entry) => sum + entry.bytes, 0);
  const freed = victims.reduce((sum, entry) => sum + entry.freed_bytes, 0);
  const unreadable = entries.filter((entry) => entry.status === 'unreadable_manifest' && chosen === null).map((entry) => entry.plan_id);
  return {
    manifests: marked,
    result: { removed: victims.map((entry) => entry.plan_id), bytes, freed_bytes: freed, ...(unreadable.length > 0 ? { unreadable } : {}) },
    done,
  };
}
