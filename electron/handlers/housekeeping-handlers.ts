import { createBackup, compactCatalog, listBackups, restoreBackup } from '../catalog/backup.js';
import { planDoctor } from '../catalog/doctor.js';
import { applyDoctor } from '../catalog/doctor-apply.js';
import { getPlan } from '../catalog/plans.js';
import { applyPrune, planPrune } from '../catalog/prune.js';
import { emptyTrash, listTrash, restoreTrash } from '../catalog/trash.js';
import type { Channel } from '../shared/contract.js';
import type { housekeepingContract } from '../shared/contract/housekeeping.js';
import type { WorkControl } from '../shared/progress.js';
import type { HandlerContext, HandlerGroup } from './handler-types.js';

type HousekeepingChannel = keyof typeof housekeepingContract & Channel;

/**
 * The progress sink of a long channel call: `job:progress` events, which Electron, the
 * web host and the CLI's progress bar all subscribe to.
 */
function workControl(ctx: HandlerContext, kind: string): WorkControl {
  const jobId = `${kind}-${Date.now().toString(36)}`;
  return {
    onProgress: (progress) => ctx.emit('job:progress', {
      job_id: jobId, kind, done: progress.done, total: progress.total, bytes: progress.bytes, current: progress.current,
      eta_ms: null, state: 'running', message: progress.phase ?? null,
    }),
  };
}

/** Handlers of the housekeeping channels: doctor, prune, trash, backups, compaction. */
export const housekeepingHandlers: HandlerGroup<HousekeepingChannel> = {
  'doctor:plan': (input, ctx) => planDoctor(ctx.catalog, { deep: input.deep ?? false }, workControl(ctx, 'doctor')),
  'doctor:apply': (input, ctx) => applyDoctor(ctx.catalog, input.plan_id, workControl(ctx, 'doctor')),
  'prune:plan': (input, ctx) => planPrune(ctx.catalog, input, workControl(ctx, 'prune')),
  'prune:apply': (input, ctx) => applyPrune(ctx.catalog, input.plan_id, workControl(ctx, 'prune')),
  'plans:get': (input, { catalog }) => catalog.read((conn) => getPlan(conn, input.plan_id)),
  'trash:list': (_input, { catalog }) => catalog.read((conn) => listTrash(conn, catalog.root)),
  'trash:restore': (input, ctx) => restoreTrash(ctx.catalog, input.plan_id, workControl(ctx, 'trash-restore')),
  'trash:empty': (input, { catalog }) => emptyTrash(catalog, input.older_than_days),
  'backup:create': (_input, { catalog }) => createBackup(catalog),
  'backup:list': (_input, { catalog }) => Promise.resolve(listBackups(catalog.root)),
  'backup:restore': (input, { catalog }) => restoreBackup(catalog, input.timestamp),
  'catalog:compact': (_input, { catalog }) => compactCatalog(catalog),
};
