import { createBackup, compactCatalog, listBackups, restoreBackup, restoreCatalogFile } from '../catalog/backup.js';
import { planDoctor } from '../catalog/doctor.js';
import { applyDoctor } from '../catalog/doctor-apply.js';
import type { Catalog } from '../catalog/open-catalog.js';
import { validateVersion } from '../ingest/validate/validate-version.js';
import type { WorkControl } from '../shared/progress.js';
import { describePlan, getPlan } from '../catalog/plans.js';
import { applyPrune, planPrune } from '../catalog/prune.js';
import { emptyTrash, listTrash, restoreTrash } from '../catalog/trash.js';
import type { Channel } from '../shared/contract.js';
import type { BackupInfo, housekeepingContract, RestoreResult } from '../shared/contract/housekeeping.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

/**
 * Runs the validate boundary for the plan's `revalidate` findings (versions whose ingest
 * died during validation), once the plan's own fixes are committed.
 */
async function revalidateFromPlan(catalog: Catalog, planId: string, control: WorkControl): Promise<void> {
  // The plan was just applied from its body; should the body be gone now, there is nothing to add.
  const plan = await catalog.read((conn) => getPlan(conn, catalog.root, planId)).catch(() => null);
  if (!plan) return;
  const findings = (plan.body.findings ?? []) as readonly { fix: string; path: string }[];
  // Versions that adopted a stray are validated again with their new files.
  const versions = new Set(findings.filter((f) => f.fix === 'revalidate' || f.fix === 'adopt').map((f) => f.path.split('/').slice(0, 2).join('/')));
  for (const name of versions) {
    const [service, version] = name.split('/') as [string, string];
    await validateVersion(catalog, { service, version }, control);
  }
}

type HousekeepingChannel = keyof typeof housekeepingContract & Channel;

/** Handlers of the housekeeping channels: doctor, prune, trash, backups, compaction. */
export const housekeepingHandlers: HandlerGroup<HousekeepingChannel> = {
  'doctor:plan': (input, ctx) => runAsJob(ctx, 'doctor-scan', (control) => planDoctor(ctx.catalog, { deep: input.deep ?? false }, control)),
  'doctor:apply': (input, ctx) => runAsJob(ctx, 'doctor-apply', async (control) => {
    const result = await applyDoctor(ctx.catalog, input.plan_id, control);
    await revalidateFromPlan(ctx.catalog, input.plan_id, control);
    return result;
  }),
  'prune:plan': (input, ctx) => runAsJob(ctx, 'prune-plan', (control) => planPrune(ctx.catalog, input, control)),
  'prune:apply': (input, ctx) => runAsJob(ctx, 'prune-apply', (control) => applyPrune(ctx.catalog, input.plan_id, control)),
  'plans:get': (input, { catalog }) => catalog.read((conn) => describePlan(conn, catalog.root, input.plan_id)),
  'trash:list': (_input, { catalog }) => catalog.read((conn) => listTrash(conn, catalog.root)),
  'trash:restore': (input, ctx) => runAsJob(ctx, 'trash-restore', (control) => restoreTrash(ctx.catalog, input.plan_id, control)),
  'trash:empty': (input, { catalog }) => emptyTrash(catalog, input.older_than_days, input.plan_id, input.plan_ids),
  'backup:create': (_input, ctx) => runAsJob(ctx, 'backup', () => createBackup(ctx.catalog)),
  'backup:list': (_input, { catalog }) => Promise.resolve(listBackups(catalog.root)),
  'backup:restore': (input, ctx) => runAsJob(ctx, 'restore', () => restoreBackup(ctx.catalog, input.timestamp)),
  'catalog:compact': (_input, ctx) => runAsJob(ctx, 'compact', () => compactCatalog(ctx.catalog)),
};

/**
 * Restores a root's catalog from a backup without a session: the current catalog file may
 * be missing, truncated or not a DuckDB file at all (a broken one is moved aside, never deleted).
 */
export function restoreWithoutSession(target: { root: string; dbPath?: string }, timestamp: string): Promise<RestoreResult> {
  return restoreCatalogFile({ ...target, app: 'ontocat-cli' }, timestamp);
}

/** The backups of a root with their status, read without opening the catalog. */
export function listBackupsWithoutSession(root: string): BackupInfo[] {
  return listBackups(root);
}
