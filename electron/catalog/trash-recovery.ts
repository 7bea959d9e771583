import { OntocatError } from '../shared/errors.js';
import { crashPoint } from '../storage/crash-point.js';
import {
  emptyTrashEntry, listTrashPlanIds, readTrashManifest, removeEmptiedTrashFolders, removeTrash, trashRelpath, writeTrashManifest, type TrashManifest,
} from '../storage/trash-store.js';
import { forgetFolders } from './folder-identity.js';
import type { Catalog, WriteStep } from './open-catalog.js';
import { planApplied, unmarkPlanApplied } from './plans.js';
import { moveFilesOutOfTrash, moveFilesToTrash, putFilesBack, putRowsBack, restoreRowsFromTrash } from './trash.js';

/**
 * Finishing or undoing a prune or a trash restore that stopped half-way.
 *
 * The catalog is the source of truth: a prune deletes its versions' rows (saved in the
 * trash) in a commit of its own before the first file moves, and a restore puts rows
 * back only after the last file is back. So a version is listed with all its files or
 * not at all, whatever stops the work; what is left is finishing the moves, which the
 * trash manifest describes, or putting files and rows back.
 */

/** The versions a manifest's saved rows name, for messages (`go/v1, go/v2`). */
function versionsOf(manifest: TrashManifest): string {
  const count = manifest.rows.versions ?? 0;
  return count === 1 ? '1 version' : `${count} versions`;
}

/**
 * Puts a prune back: files out of the trash (`only` those, when the caller knows which
 * moved), then the rows and the plan unapplied in one commit, then the trash goes.
 * A kill part-way leaves the manifest `rolling_back`, which the next open finishes.
 */
export async function rollBackRemoval(step: WriteStep, root: string, manifest: TrashManifest, reason: string, only?: ReadonlySet<string>): Promise<void> {
  writeTrashManifest(root, { ...manifest, status: 'rolling_back' });
  crashPoint('prune.rollback-started');
  moveFilesOutOfTrash(root, manifest, {}, 'prune.rollback-mid-batch', false, only ? { only } : {});
  await step(async (tx) => {
    if (await planApplied(tx, manifest.plan_id)) {
      await restoreRowsFromTrash(tx, root, manifest);
      await unmarkPlanApplied(tx, manifest.plan_id);
    }
    await tx.event('prune.rolled_back', { plan_id: manifest.plan_id, reason, rows: manifest.rows }, 'warn');
  });
  crashPoint('prune.rollback-after-commit');
  removeTrash(root, manifest.plan_id);
}

/**
 * Moves a prune's files into its trash once its rows are gone; any failure puts every
 * moved file and every row back and reports what stopped it.
 */
export async function moveRemovedFiles(
  step: WriteStep, root: string, manifest: TrashManifest, move: (movedOut: string[]) => { moved: number; bytes: number },
): Promise<{ moved: number; bytes: number }> {
  const movedOut: string[] = [];
  try {
    return move(movedOut);
  } catch (error) {
    const reason = error instanceof OntocatError ? error.message : String(error);
    const what = `Prune ${manifest.plan_id} stopped: ${reason}.`;
    try {
      await rollBackRemoval(step, root, manifest, reason, new Set(movedOut));
    } catch (undo) {
      throw new OntocatError('IO_ERROR', `${what} Putting it back failed too (${(undo as Error).message}); its ${versionsOf(manifest)} stay out of every list until the catalog is opened again, which finishes putting them back.`, { plan_id: manifest.plan_id });
    }
    const code = error instanceof OntocatError && error.code === 'CANCELLED' ? 'CANCELLED' : 'IO_ERROR';
    throw new OntocatError(code, `${what} Everything was put back (${movedOut.length} moved files and the rows of its ${versionsOf(manifest)}); nothing was removed.`, { plan_id: manifest.plan_id });
  }
}

async function recoverRemoval(step: WriteStep, root: string, manifest: TrashManifest): Promise<string> {
  if (!(await step((tx) => planApplied(tx, manifest.plan_id)))) {
    // Stopped before its rows were deleted: no file moved yet, so its trash simply goes.
    const back = moveFilesOutOfTrash(root, manifest, {}, undefined, true);
    if (back.left.length === 0) removeTrash(root, manifest.plan_id);
    return 'dropped';
  }
  try {
    moveFilesToTrash(root, manifest.plan_id, manifest.files);
  } catch (error) {
    await rollBackRemoval(step, root, manifest, (error as Error).message);
    return 'rolled_back';
  }
  writeTrashManifest(root, { ...manifest, status: 'trashed' });
  return 'finished';
}

async function finishRestore(step: WriteStep, root: string, manifest: TrashManifest): Promise<string> {
  const { links } = await putFilesBack(root, manifest);
  await step(async (tx) => {
    await putRowsBack(tx, root, manifest, links);
    await tx.event('trash.restored', { plan_id: manifest.plan_id, files: manifest.files.length, bytes: manifest.bytes, rows: manifest.rows, recovered: true });
  });
  removeTrash(root, manifest.plan_id);
  return 'finished';
}

/** Finishes a `trash empty` a kill stopped: what is left of the entry goes, as it was going to. */
async function finishEmptying(step: WriteStep, root: string, manifest: TrashManifest): Promise<string> {
  await emptyTrashEntry(root, manifest);
  await step(async (tx) => {
    await forgetFolders(tx, [trashRelpath(manifest.plan_id)]);
    await tx.event('trash.emptied', { plans: [manifest.plan_id], bytes: manifest.bytes, recovered: true });
  });
  return 'finished';
}

/**
 * Finishes or undoes every prune and trash restore that a crash or kill stopped half-way.
 *
 * Runs when a writable catalog opens, holding the writer. A prune whose rows were
 * deleted is finished (its files still in place move to the trash), or rolled back when
 * a file cannot move; one that never committed just loses its trash folder; a rollback
 * or restore is finished, and so is a trash empty. A failure is recorded as an event and left for the next open
 * (the version stays out of every list meanwhile): opening the catalog never fails on it.
 */
export async function recoverInterruptedTrash(catalog: Catalog): Promise<{ plan_id: string; outcome: string }[]> {
  const root = catalog.root;
  try {
    removeEmptiedTrashFolders(root);
  } catch {
    // Left for the next open; opening goes on.
  }
  const pending: TrashManifest[] = [];
  for (const planId of listTrashPlanIds(root)) {
    try {
      const manifest = readTrashManifest(root, planId);
      if (manifest && ['removing', 'rolling_back', 'restoring', 'emptying'].includes(manifest.status)) pending.push(manifest);
    } catch {
      // An unreadable manifest is doctor's to report; opening goes on.
    }
  }
  if (pending.length === 0) return [];
  return catalog.writeSteps(async (step) => {
    const outcomes: { plan_id: string; outcome: string }[] = [];
    for (const manifest of pending) {
      let outcome: string;
      try {
        if (manifest.status === 'removing') outcome = await recoverRemoval(step, root, manifest);
        else if (manifest.status === 'rolling_back') {
          await rollBackRemoval(step, root, manifest, 'interrupted rollback finished');
          outcome = 'rolled_back';
        } else if (manifest.status === 'emptying') outcome = await finishEmptying(step, root, manifest);
        else outcome = await finishRestore(step, root, manifest);
        await step((tx) => tx.event('trash.recovered', { plan_id: manifest.plan_id, was: manifest.status, outcome }, 'warn'));
      } catch (error) {
        outcome = 'failed';
        await step((tx) => tx.event('trash.recovery_failed', { plan_id: manifest.plan_id, was: manifest.status, error: (error as Error).message }, 'error'));
      }
      outcomes.push({ plan_id: manifest.plan_id, outcome });
    }
    return outcomes;
  });
}

/**
 * Writes `trashed` into each `moving` manifest whose plan this catalog records as applied.
 *
 * An apply killed (or out of room) between its commit and its manifest's last write leaves
 * `moving`, which reads as trashed only while the catalog says the plan was applied. A
 * restore of a backup from before the plan loses that row, and the entry would then read as
 * an apply that never committed: listed `moving`, refused by `trash restore`, and rolled
 * back by doctor, putting back what the user had removed. So a restore settles these from
 * the catalog it replaces, before the swap; a manifest it cannot write stops the restore.
 */
export async function settleAppliedTrash(catalog: Catalog): Promise<string[]> {
  const settled: string[] = [];
  for (const planId of listTrashPlanIds(catalog.root)) {
    let manifest: TrashManifest | null;
    try {
      manifest = readTrashManifest(catalog.root, planId);
    } catch {
      // An unreadable manifest is doctor's to report; it says nothing either way here.
      continue;
    }
    if (manifest?.status !== 'moving' || (await catalog.read((conn) => planApplied(conn, planId))) !== true) continue;
    try {
      writeTrashManifest(catalog.root, { ...manifest, status: 'trashed' });
    } catch (error) {
      throw new OntocatError('IO_ERROR', `Could not record in the trash of ${planId} that its plan was applied (${(error as Error).message}); the backup was not restored, as the restored catalog would not know it. Nothing was changed.`, { plan_id: planId });
    }
    settled.push(planId);
  }
  return settled;
}
