import type { ApplyResult, DoctorFinding } from '../shared/contract/housekeeping.js';
import { OntocatError } from '../shared/errors.js';
import type { WorkControl } from '../shared/progress.js';
import { crashPoint } from '../storage/crash-point.js';
import { isFolderRelpath, linkOrCopyRelpath, removeEmptyFolderTree, removeEmptyParents, removeRelpath, replaceWithLinkRelpath, statRelpath } from '../storage/fs-ops.js';
import { BACKUPS_DIR, DB_TEMP_DIR, PARQUET_DIR, TEMP_DIR } from '../storage/layout.js';
import { writeLatestFile } from '../storage/latest-file.js';
import { readTrashManifest, removeTrash, trashRelpath, writeTrashManifest, type TrashManifest } from '../storage/trash-store.js';
import type { BucketStore } from '../storage/bucket-store.js';
import { tryResolveInsideRoot } from '../storage/safe-path.js';
import { requireBucket } from './bucket-housekeeping.js';
import { adoptOnDisk, recordAdoptedFiles, type AdoptedFile } from './adopt-stray.js';
import { checkDoctorActions, doctorTrashes } from './apply-checks.js';
import type { DoctorBody } from './doctor.js';
import { dataFolderOf, folderState, recordFolder } from './folder-identity.js';
import { versionId } from './ids.js';
import { latestPointers } from './doctor-queries.js';
import type { Catalog } from './open-catalog.js';
import { parquetFileInUse } from './parquet-publish.js';
import { loadPlanForApply, markPlanApplied } from './plans.js';
import { moveFilesOutOfTrash, moveFilesToTrash, restoreTrashInTx, rollBackTrash } from './trash.js';


function planIdOfTrash(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Undoes a doctor apply that failed while acting: links it made go, files it moved to the
 * trash come back, and the error says which file stopped it.
 */
function undoDoctorMoves(root: string, planId: string, manifest: TrashManifest, linked: readonly string[], movedOut: readonly string[], error: unknown): OntocatError {
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  try {
    for (const relpath of [...linked].reverse()) removeRelpath(root, relpath);
    if (movedOut.length > 0) moveFilesOutOfTrash(root, manifest, {}, undefined, false, { only: new Set(movedOut) });
    if (readTrashManifest(root, planId)) removeTrash(root, planId);
  } catch (undo) {
    return new OntocatError('IO_ERROR', `Doctor plan ${planId} stopped: ${reason}. Putting its moves back failed too (${(undo as Error).message}); run 'ontocat doctor' to finish.`, { plan_id: planId });
  }
  return new OntocatError('IO_ERROR', `Doctor plan ${planId} stopped: ${reason}. What it had moved was put back; nothing was changed.`, { plan_id: planId });
}

/**
 * Applies a reviewed doctor plan, once, if nothing changed since it was made.
 *
 * One boundary: the filesystem fixes run first (anything removed goes to
 * `.trash/<plan-id>` with a manifest, so it can be restored), then one transaction
 * records damage, clears missing archive paths, updates mtimes and marks the plan
 * applied, with an event. A crash in between leaves drift the next doctor run finds.
 */
export async function applyDoctor(catalog: Catalog, planId: string, control: WorkControl = {}): Promise<ApplyResult> {
  const root = catalog.root;
  const actions: Record<string, number> = {};
  let trashedBytes = 0;
  let movedCount = 0;
  let usedTrash = false;
  const count = (name: string): void => { actions[name] = (actions[name] ?? 0) + 1; };

  // Set once the fixes stand on disk: a commit that then fails (a full disk) leaves them
  // uncommitted, and they are put back as after a failure while acting.
  const pending: { undo?: (error: unknown) => OntocatError } = {};
  const appliedAt = await catalog.write(async (tx) => {
    const body = await loadPlanForApply<DoctorBody>(tx, root, planId, 'doctor',
      (plan) => checkDoctorActions(tx, root, planId, plan.findings, plan.fingerprint.paths));
    const findings = body.findings;
    const toTrash = findings.filter(doctorTrashes);
    const manifest: TrashManifest = {
      plan_id: planId, kind: 'doctor', created_at: new Date().toISOString(), status: 'moving',
      files: toTrash.map((item) => ({ relpath: item.path, bytes: item.bytes })), bytes: toTrash.reduce((sum, item) => sum + item.bytes, 0), rows: {},
    };
    if (toTrash.length > 0) {
      writeTrashManifest(root, manifest);
      usedTrash = true;
    }
    const movedOut: string[] = [];
    const trashOne = (item: DoctorFinding): void => {
      const moved = moveFilesToTrash(root, planId, [{ relpath: item.path, bytes: item.bytes }], {}, undefined, movedOut);
      movedCount += moved.moved;
      trashedBytes += moved.bytes;
    };

    const linked: string[] = [];
    let bucket: BucketStore | null = null;
    const link = (item: DoctorFinding): void => {
      linkOrCopyRelpath(root, item.source!, item.path);
      linked.push(item.path);
    };

    // Data folders this apply creates (files put back into a deleted folder, or where a stray
    // file it moves to the trash stood) are recorded as they come to be.
    const trashedHere = new Set(toTrash.map((item) => item.path));
    const absentFolders = new Set(findings
      .filter((item) => item.fix === 'relink_from_cas' || item.fix === 'restore_from_cas' || item.fix === 'adopt')
      .map((item) => dataFolderOf(item.path))
      .filter((folder): folder is string => {
        if (folder === null) return false;
        const state = folderState(root, folder).state;
        return state === 'absent' || (state === 'not_folder' && trashedHere.has(folder));
      }));
    const toRecord: string[] = [];
    const damaged: DoctorFinding[] = [];
    const finished: string[] = [];
    const forgotten: string[] = [];
    const adopted: AdoptedFile[] = [];
    const drifted: { file_id: string; mtime_ms: number }[] = [];
    // A file put back from the store takes the object's mtime; the row follows it.
    const noteMtime = (item: DoctorFinding): void => {
      const stat = statRelpath(root, item.path);
      if (stat && item.file_id) drifted.push({ file_id: item.file_id, mtime_ms: stat.mtime_ms });
    };
    // Work folders (`.tmp/<name>`) whose leftover files this apply removes: once their files
    // are gone, the empty folders left in them (made before a kill wrote their files) go too.
    const workFolders = new Set<string>();
    let done = 0;
    try {
      for (const item of findings) {
        if (control.signal?.aborted) break;
        switch (item.fix) {
          case 'roll_back': {
            const other = readTrashManifest(root, planIdOfTrash(item.path));
            if (other) rollBackTrash(root, other);
            break;
          }
          case 'finish_restore': {
            const other = readTrashManifest(root, planIdOfTrash(item.path));
            if (other) {
              await restoreTrashInTx(tx, root, other);
              finished.push(other.plan_id);
            }
            break;
          }
          case 'remove':
            if (item.path.startsWith(`${PARQUET_DIR}/`)) {
              // Checked again right before the delete, with no await between: a publish
              // starting after it finds the part gone and writes it anew.
              const inUse = parquetFileInUse(root, item.path);
              if (inUse) throw new OntocatError('STALE_PLAN', `${item.path} ${inUse}; run doctor again`);
            }
            if (isFolderRelpath(root, item.path)) removeEmptyFolderTree(root, item.path);
            else {
              removeRelpath(root, item.path);
              // A work folder goes with its last file, so no empty folder stays behind.
              // So does a killed backup's folder with its last file.
              if (item.path.startsWith(`${BACKUPS_DIR}/`)) removeEmptyParents(root, item.path, BACKUPS_DIR);
              // An emptied partition folder goes too, as a publish removes it.
              if (item.path.startsWith(`${PARQUET_DIR}/`)) removeEmptyParents(root, item.path, PARQUET_DIR);
              if (item.path.startsWith(`${TEMP_DIR}/`)) {
                removeEmptyParents(root, item.path, TEMP_DIR);
                const top = item.path.split('/').slice(0, 2).join('/');
                if (top !== item.path && top !== DB_TEMP_DIR) workFolders.add(top);
              }
            }
            break;
          case 'trash':
            trashOne(item);
            break;
          case 'restore_object':
            // A corrupt object goes to the trash first; a missing one is simply rebuilt.
            if (statRelpath(root, item.path)) trashOne(item);
            link(item);
            break;
          case 'restore_from_cas':
            trashOne(item);
            link(item);
            noteMtime(item);
            break;
          case 'quarantine':
            trashOne(item);
            damaged.push(item);
            break;
          case 'relink_from_cas':
            // A folder in the file's place was emptied by the trash moves before this one (plan order).
            if (isFolderRelpath(root, item.path) && !removeEmptyFolderTree(root, item.path)) {
              throw new OntocatError('CONFLICT', `Cannot put '${item.path}' back: a folder holding files is in its place`);
            }
            link(item);
            noteMtime(item);
            break;
          case 'mark_damaged':
            damaged.push(item);
            break;
          case 'forget_archive':
            forgotten.push(item.path);
            break;
          case 'restore_from_trash':
            link(item);
            break;
          case 'download_object': {
            const target = tryResolveInsideRoot(root, item.path);
            if (target === null) throw new OntocatError('UNSAFE_PATH', `Cannot download into '${item.path}': it is not a plain path inside the root`);
            bucket ??= requireBucket(root);
            // A damaged cache copy goes to the trash first (kept, as every copy doctor replaces).
            if (item.kind === 'cas_corrupt' && statRelpath(root, item.path)) trashOne(item);
            // Temp name, hash check, fsync, rename, written 0444 as every object of the store;
            // an apply that fails later removes it again with the links it made.
            linked.push(item.path);
            await bucket.download(item.sha256!, target, undefined, control.signal);
            break;
          }
          case 'rewrite_latest': {
            const service = item.path.split('/')[0]!;
            const pointer = (await latestPointers(tx)).find((row) => row.service === service);
            if (pointer) writeLatestFile(root, { service, version: pointer.version, updated_at: new Date(pointer.updated_at).toISOString(), by: pointer.by });
            break;
          }
          case 'update_row':
            noteMtime(item);
            break;
          case 'relink_copy':
            replaceWithLinkRelpath(root, item.source!, item.path);
            noteMtime(item);
            break;
          case 'record_folder':
            toRecord.push(item.path);
            break;
          case 'adopt': {
            const adoptedNow = adoptOnDisk(root, item.path, item.sha256!);
            if (adoptedNow.created) linked.push(adoptedNow.created);
            adopted.push(adoptedNow.file);
            break;
          }
        }
        count(item.fix);
        done += 1;
        control.onProgress?.({ done, total: findings.length, bytes: trashedBytes, current: item.path, phase: 'fix' });
      }
      // Only folders remain in them now (a file anywhere inside keeps its folders): one apply leaves nothing for the next scan.
      for (const folder of workFolders) removeEmptyFolderTree(root, folder);
    } catch (error) {
      // A race while acting (a file changed hands, EPERM, ENOSPC): undo what this apply did on disk.
      throw undoDoctorMoves(root, planId, manifest, linked, movedOut, error);
    } finally {
      bucket?.close();
    }
    pending.undo = (error) => undoDoctorMoves(root, planId, manifest, linked, movedOut, error);
    crashPoint('doctor.before-commit');

    if (damaged.length > 0) {
      await tx.run('CREATE OR REPLACE TEMP TABLE doctor_damage (file_id VARCHAR, kind VARCHAR)');
      const appender = await tx.raw.createAppender('doctor_damage', 'main', 'temp');
      for (const item of damaged) {
        appender.appendVarchar(item.file_id!);
        appender.appendVarchar(item.kind);
        appender.endRow();
      }
      appender.closeSync();
      await tx.run(`INSERT OR IGNORE INTO file_damage
        SELECT f.file_id, f.version_id, f.relpath, d.kind, now()::TIMESTAMP, $1
        FROM temp.doctor_damage d JOIN extracted_files f ON f.file_id = d.file_id::UUID`, [planId]);
    }
    await recordAdoptedFiles(tx, adopted);
    for (const folder of [...toRecord, ...absentFolders]) {
      const [service, version] = folder.split('/') as [string, string];
      await recordFolder(tx, folder, 'version_data', { version_id: versionId(service, version) }, 'doctor');
    }
    if (usedTrash) await recordFolder(tx, trashRelpath(planId), 'trash', { plan_id: planId }, 'doctor');
    if (forgotten.length > 0) {
      await tx.run(`UPDATE artifacts SET fs_relpath = NULL WHERE fs_relpath IN (SELECT unnest(string_split($1, chr(0))))`, [forgotten.join('\0')]);
    }
    if (drifted.length > 0) {
      await tx.run('CREATE OR REPLACE TEMP TABLE doctor_mtimes (file_id VARCHAR, mtime_ms BIGINT)');
      const appender = await tx.raw.createAppender('doctor_mtimes', 'main', 'temp');
      for (const row of drifted) {
        appender.appendVarchar(row.file_id);
        appender.appendBigInt(BigInt(row.mtime_ms));
        appender.endRow();
      }
      appender.closeSync();
      await tx.run(`UPDATE extracted_files SET mtime = make_timestamp(m.mtime_ms * 1000)
        FROM temp.doctor_mtimes m WHERE extracted_files.file_id = m.file_id::UUID`);
    }
    await markPlanApplied(tx, planId);
    await tx.event('doctor.applied', { plan_id: planId, actions, files_moved: movedCount, bytes: trashedBytes }, findings.length > 0 ? 'warn' : 'info');
    return { at: new Date().toISOString(), manifest, finished };
  }).catch((error: unknown) => {
    throw pending.undo ? pending.undo(error) : error;
  });
  // A finished restore's trash goes only once its rows are committed.
  for (const done of appliedAt.finished) removeTrash(root, done);
  // After the commit: until then, an interrupted apply is one doctor rolls back. The plan is
  // applied whatever this write does: a `moving` manifest of an applied plan reads as
  // trashed everywhere, so a full disk here must not report the apply as failed.
  if (usedTrash) {
    crashPoint('doctor.after-commit');
    try {
      writeTrashManifest(root, { ...appliedAt.manifest, status: 'trashed' });
    } catch {
      // Left `moving`: trash list, restore and doctor treat it as trashed (the plan is applied).
    }
  }
  return { plan_id: planId, applied_at: appliedAt.at, actions, files_moved: movedCount, bytes: trashedBytes, trash: usedTrash ? trashRelpath(planId) : null };
}
