import { OntocatError } from '../shared/errors.js';
import type { ApplyResult, KeepReason, PrunePathAction, PrunePlan, PruneVersion } from '../shared/contract/housekeeping.js';
import type { WorkControl } from '../shared/progress.js';
import { explainKeep, RELEASE_ORDER_TEXT } from '../shared/release-order.js';
import { crashPoint } from '../storage/crash-point.js';
import { bytesFreedByRemoving, statRelpath } from '../storage/fs-ops.js';
import { isNormalisedRelpath } from '../storage/safe-path.js';
import { removeTrash, trashRelpath, writeTrashManifest, type TrashManifest } from '../storage/trash-store.js';
import { checkPruneActions } from './apply-checks.js';
import { recordFolder } from './folder-identity.js';
import { buildComparison, dropComparison, orphanFiles, unreferencedCasObjects } from './doctor-queries.js';
import { clearFsListing, LISTING_MEMORY_LIMIT, loadFsListing } from './fs-listing.js';
import type { Catalog, WriteTx } from './open-catalog.js';
import { catalogFingerprint, loadPlanForApply, markPlanApplied, pathStates, retirePlans, storePlan, type PlanBody } from './plans.js';
import { moveFilesToTrash, saveRowsToTrash } from './trash.js';
import { moveRemovedFiles } from './trash-recovery.js';
import { localDay } from '../shared/local-day.js';

export interface PrunePolicy {
  readonly keep_last?: number;
  readonly newer_than_days?: number;
  readonly service?: string;
  readonly orphans_only?: boolean;
  readonly allow_large?: boolean;
  /** Versions (`S/V`) the curator left out of the plan: kept whatever the policy says. */
  readonly keep_versions?: readonly string[];
  /** Remove the candidates a curator rejected (unless pinned or latest), whatever else the policy keeps. */
  readonly rejected?: boolean;
}

/** What a prune plan stores. */
export interface PruneBody extends PlanBody, Omit<PrunePlan, 'plan_id' | 'content_hash'> {
  readonly kind: 'prune';
}

interface VersionRow extends PruneVersion {
  readonly is_latest: boolean;
  /** Its own release date is within the newer-than days. */
  readonly recent: boolean;
  readonly pinned: boolean;
  readonly within_last_n: boolean;
  readonly newer_than: boolean;
  readonly pin_reason: string | null;
  /** The curator's rejection of it as a candidate, if any. */
  readonly rejected_at: string | null;
  readonly rejected_by: string | null;
  readonly rejected_note: string | null;
}

/** "rejected on DATE by WHO: note", the reason a rejected candidate is offered to prune. */
export function rejectionText(row: { rejected_at: string | null; rejected_by: string | null; rejected_note: string | null }): string | null {
  if (!row.rejected_at) return null;
  const by = row.rejected_by ? ` by ${row.rejected_by}` : '';
  const note = row.rejected_note ? `: ${row.rejected_note}` : '';
  return `rejected on ${localDay(new Date(row.rejected_at))}${by}${note}`;
}

/**
 * Whether the policy removes a version: never the latest, a pinned one or one the curator
 * left out; a rejected candidate under `rejected`; otherwise whatever "last N" and "newer
 * than" do not keep (with `rejected` alone, nothing else).
 */
function isVictim(row: VersionRow, policy: PrunePolicy, rejectedOnly: boolean, chosen: ReadonlySet<string>): boolean {
  if (row.is_latest || row.pinned || chosen.has(`${row.service}/${row.version}`)) return false;
  if (policy.rejected && row.rejected_at !== null) return true;
  if (rejectedOnly) return false;
  return !(row.within_last_n || row.newer_than);
}

/** Victim version ids into a temp table, for set-based deletes and exports. */
async function stageVictims(tx: WriteTx, versionIds: readonly string[]): Promise<void> {
  await tx.run('CREATE OR REPLACE TEMP TABLE prune_victims (version_id UUID)');
  if (versionIds.length === 0) return;
  await tx.run(`INSERT INTO temp.prune_victims SELECT CAST(unnest(string_split($1, ',')) AS UUID)`, [versionIds.join(',')]);
}

/**
 * Works out what a retention policy removes and stores it as a plan.
 *
 * Per service, versions are ranked newest first in release order; a version is kept when it is the
 * latest, pinned, within the last N or newer than D days, and every kept version lists
 * its reasons. Files of removed versions, their archives and the content objects no
 * kept version uses go to the trash; objects other versions still use stay.
 */
export async function planPrune(catalog: Catalog, policy: PrunePolicy, control: WorkControl = {}, derivedFrom: string | null = null): Promise<PrunePlan> {
  const root = catalog.root;
  const orphansOnly = policy.orphans_only ?? false;
  const rejectedOnly = policy.rejected === true && policy.keep_last === undefined && policy.newer_than_days === undefined;
  if (!orphansOnly && !policy.rejected && policy.keep_last === undefined && policy.newer_than_days === undefined) {
    throw new OntocatError('BAD_INPUT', 'Say what to keep: --keep-last N and/or --newer-than DAYS (or --orphans-only, or --rejected for rejected candidates).');
  }
  if (orphansOnly && policy.rejected) throw new OntocatError('BAD_INPUT', '--orphans-only and --rejected do not mix: orphans belong to no version.');
  const createdAt = new Date().toISOString();
  const chosen = new Set(policy.keep_versions ?? []);
  const found = await catalog.write(async (tx) => {
    const catalogBytes = (await tx.scalar<number>(
      `SELECT (SELECT COALESCE(sum(size_bytes), 0) FROM extracted_files) + (SELECT COALESCE(sum(size_bytes), 0) FROM artifacts WHERE fs_relpath IS NOT NULL)`,
    )) ?? 0;
    if (orphansOnly) {
      await loadFsListing(tx, root, control);
      await buildComparison(tx, false);
      const orphans = await orphanFiles(tx);
      const objects = await unreferencedCasObjects(tx);
      await dropComparison(tx);
      await clearFsListing(tx);
      return {
        catalogBytes, versions: [] as VersionRow[], fingerprint: await catalogFingerprint(tx),
        files: [
          // A name no catalog path can hold is doctor's to report, for the curator to rename.
          ...orphans.filter((row) => isNormalisedRelpath(row.path))
            .map((row) => ({ path: row.path, bytes: row.size_bytes, action: 'trash' as const, what: 'orphan' as const })),
          // Objects are listed by name only; their sizes come from the disk.
          ...objects.map((row) => ({ path: row.path, bytes: statRelpath(root, row.path)?.size ?? 0, action: 'trash' as const, what: 'cas' as const })),
        ],
      };
    }
    // Ranked by release order (v_release_order), newest first: "last N" and "newer than"
    // never follow ingest order. Newer-than keeps every version after the newest one dated
    // before D days ago, so a kept version never has a newer one removed.
    const versions = await tx.all<VersionRow>(`
      WITH ranked AS (
        SELECT v.*, COALESCE(v.release_date >= now()::TIMESTAMP - to_milliseconds(CAST(CAST($days AS DOUBLE) * 86400000 AS BIGINT)), false) AS recent
        FROM v_version_stats v WHERE $service IS NULL OR v.service = $service
      )
      SELECT v.service, v.version, v.version_id::VARCHAR AS version_id, v.created_at, v.release_date, v.release_date_source, v.files,
             v.bytes + COALESCE(a.bytes, 0) AS bytes, v.is_latest, v.pinned, v.recent,
             (SELECT NULLIF(p.reason, '') FROM version_pins p WHERE p.version_id = v.version_id AND v.pinned) AS pin_reason,
             c.decided_at AS rejected_at, c.decided_by AS rejected_by, NULLIF(c.reason, '') AS rejected_note,
             COALESCE(row_number() OVER (PARTITION BY v.service ORDER BY v.release_rank DESC) <= $keep_last, false) AS within_last_n,
             -- Newer than D days: after, in release order, every version dated before then
             -- (none such: all of them). Not "from the first dated within D days on": one
             -- version with only today's ingest date early in release order kept every one.
             $days IS NOT NULL AND COALESCE(v.release_rank > max(CASE WHEN NOT v.recent AND v.release_date IS NOT NULL THEN v.release_rank END)
               OVER (PARTITION BY v.service), true) AS newer_than
      FROM ranked v
      LEFT JOIN (SELECT version_id, sum(size_bytes) AS bytes FROM artifacts WHERE fs_relpath IS NOT NULL GROUP BY version_id) a USING (version_id)
      LEFT JOIN candidates c ON c.version_id = v.version_id AND c.state = 'rejected'
      ORDER BY v.service, v.release_rank DESC`,
    { keep_last: policy.keep_last ?? null, days: policy.newer_than_days ?? null, service: policy.service ?? null });
    const victims = versions.filter((row) => isVictim(row, policy, rejectedOnly, chosen));
    await stageVictims(tx, victims.map((row) => row.version_id));
    const data = await tx.all<{ path: string; size_bytes: number }>(
      `SELECT root_relpath AS path, size_bytes FROM v_catalog_paths WHERE version_id IN (SELECT version_id FROM temp.prune_victims) ORDER BY path`,
    );
    const archives = await tx.all<{ path: string; size_bytes: number }>(
      `SELECT fs_relpath AS path, size_bytes FROM artifacts WHERE fs_relpath IS NOT NULL AND version_id IN (SELECT version_id FROM temp.prune_victims) ORDER BY path`,
    );
    // Objects only removed versions use; one any kept version uses stays.
    const objects = await tx.all<{ path: string; size_bytes: number }>(`
      SELECT cas_relpath AS path, any_value(size_bytes) AS size_bytes FROM extracted_files
      WHERE cas_relpath IS NOT NULL AND version_id IN (SELECT version_id FROM temp.prune_victims)
        AND cas_relpath NOT IN (SELECT cas_relpath FROM extracted_files WHERE cas_relpath IS NOT NULL AND version_id NOT IN (SELECT version_id FROM temp.prune_victims))
      GROUP BY cas_relpath ORDER BY path`);
    return {
      catalogBytes, versions, fingerprint: await catalogFingerprint(tx),
      files: [
        ...data.map((row) => ({ path: row.path, bytes: row.size_bytes, action: 'trash' as const, what: 'data' as const })),
        ...archives.map((row) => ({ path: row.path, bytes: row.size_bytes, action: 'trash' as const, what: 'archive' as const })),
        ...objects.map((row) => ({ path: row.path, bytes: row.size_bytes, action: 'trash' as const, what: 'cas' as const })),
      ],
    };
  }, orphansOnly ? { memoryLimit: LISTING_MEMORY_LIMIT } : {});

  // Only what is on disk moves; a missing file's row is still removed.
  const files: PrunePathAction[] = found.files.filter((file) => statRelpath(root, file.path) !== null);
  const removals: PruneVersion[] = [];
  const kept: (PruneVersion & { reasons: KeepReason[]; why: string[] })[] = [];
  const pinReasons: Record<string, string> = {};
  const keepPolicy = { keep_last: policy.keep_last ?? null, newer_than_days: policy.newer_than_days ?? null };
  for (const row of found.versions) {
    const version: { -readonly [K in keyof PruneVersion]: PruneVersion[K] } = {
      service: row.service, version: row.version, version_id: row.version_id, created_at: row.created_at,
      release_date: row.release_date, release_date_source: row.release_date_source, files: row.files, bytes: row.bytes,
    };
    const rejection = rejectionText(row);
    if (rejection) version.rejected = rejection;
    const reasons: KeepReason[] = [];
    if (row.is_latest) reasons.push('latest');
    if (row.pinned) reasons.push('pinned');
    // A rejected candidate under the rejected policy goes whatever "last N" or "newer than" say.
    const rejectedGoes = policy.rejected === true && rejection !== null;
    if (row.within_last_n && !rejectedGoes) reasons.push('within_last_n');
    if (row.newer_than && !rejectedGoes) reasons.push('newer_than');
    if (chosen.has(`${row.service}/${row.version}`)) reasons.push('chosen');
    if (rejectedOnly && !rejection) reasons.push('not_rejected');
    if (row.pinned && row.pin_reason) pinReasons[`${row.service}/${row.version}`] = row.pin_reason;
    const why = reasons.map((reason) => {
      if (reason === 'chosen') return 'left out of this plan by you';
      if (reason === 'not_rejected') return 'not a rejected candidate';
      if (reason === 'pinned' && row.pin_reason) return `pinned — ${row.pin_reason}`;
      return explainKeep(reason, version, keepPolicy, row.recent);
    });
    if (reasons.length > 0) kept.push({ ...version, reasons, why });
    else removals.push(version);
  }
  const bytes = orphansOnly ? files.reduce((sum, file) => sum + file.bytes, 0) : removals.reduce((sum, row) => sum + row.bytes, 0);
  // Disk space comes back for files whose every hard link goes: a data file and its content
  // object together, not an object kept versions or a linked checkout outside the root hold.
  const reclaimed = bytesFreedByRemoving(root, files.map((file) => file.path));
  const body: PruneBody = {
    kind: 'prune',
    created_at: createdAt,
    policy: {
      keep_last: policy.keep_last ?? null, newer_than_days: policy.newer_than_days ?? null, service: policy.service ?? null,
      orphans_only: orphansOnly, allow_large: policy.allow_large ?? false,
      ...(policy.rejected ? { rejected: true } : {}),
      ...(chosen.size > 0 ? { keep_versions: [...chosen].sort() } : {}),
    },
    ...(derivedFrom ? { derived_from: derivedFrom } : {}),
    pin_reasons: pinReasons,
    removals,
    files,
    kept,
    order: RELEASE_ORDER_TEXT,
    bytes,
    reclaimed_bytes: reclaimed,
    catalog_bytes: found.catalogBytes,
    large: !orphansOnly && bytes * 2 > found.catalogBytes && bytes > 0,
    fingerprint: { catalog: found.fingerprint, paths: pathStates(root, files.map((file) => file.path)) },
  };
  const stored = await catalog.write((tx) => storePlan(tx, root, body));
  await retirePlans(catalog);
  const { fingerprint: _fingerprint, kind: _kind, ...preview } = body;
  return { plan_id: stored.plan_id, content_hash: stored.content_hash, ...preview };
}

/**
 * Applies a reviewed prune plan, with the writer held throughout.
 *
 * Every action's precondition is re-checked first (each version still unpinned, not
 * latest, with the files the plan lists). The rows to remove are saved to the trash as
 * Parquet with a `removing` manifest, then deleted and the plan marked applied in a
 * commit of their own, so the versions leave every list before the first file moves.
 * The files then move into `.trash/<plan-id>/files/` in batches. A failed move (EPERM,
 * ENOSPC, cancel) puts every moved file and every row back by itself and says what
 * stopped it; a kill part-way is finished (or rolled back) when the catalog next opens.
 */
export async function applyPrune(catalog: Catalog, planId: string, control: WorkControl = {}): Promise<ApplyResult> {
  const root = catalog.root;
  return catalog.writeSteps(async (step) => {
    // Set once this apply starts writing its trash folder: only then is the folder its own to drop.
    let started = false;
    const result = await step(async (tx) => {
      const body = await loadPlanForApply<PruneBody>(tx, root, planId, 'prune',
        (plan) => checkPruneActions(tx, root, planId, plan.removals, plan.files, plan.fingerprint.paths));
      if (body.large && !body.policy.allow_large) {
        throw new OntocatError('LIMIT_EXCEEDED', `Plan ${planId} removes ${body.bytes} of the catalog's ${body.catalog_bytes} bytes (more than half); make the plan again with --allow-large to confirm.`);
      }
      await stageVictims(tx, body.removals.map((row) => row.version_id));
      const inVictims = 'version_id IN (SELECT version_id FROM temp.prune_victims)';
      const fileIds = `SELECT file_id FROM extracted_files WHERE ${inVictims}`;
      started = true;
      const rows = body.removals.length === 0 ? {} : await saveRowsToTrash(tx, root, planId, {
        versions: `SELECT * FROM versions WHERE ${inVictims}`,
        artifacts: `SELECT * FROM artifacts WHERE ${inVictims}`,
        extracted_files: `SELECT * FROM extracted_files WHERE ${inVictims}`,
        validations: `SELECT * FROM validations WHERE ${inVictims}`,
        term_changes: `SELECT * FROM term_changes WHERE old_file_id IN (${fileIds}) OR new_file_id IN (${fileIds})`,
        file_damage: `SELECT * FROM file_damage WHERE ${inVictims}`,
      });
      const folders = await tx.all<{ relpath: string; dev: string; ino: string }>(
        `SELECT relpath, dev, ino FROM folder_identity WHERE role = 'version_data' AND ${inVictims} ORDER BY relpath`);
      const manifest: TrashManifest = {
        plan_id: planId, kind: 'prune', created_at: new Date().toISOString(), status: 'removing',
        files: body.files.map((file) => ({ relpath: file.path, bytes: file.bytes })), bytes: body.files.reduce((sum, file) => sum + file.bytes, 0), rows,
        ...(folders.length > 0 ? { folders } : {}),
      };
      writeTrashManifest(root, manifest);
      await recordFolder(tx, trashRelpath(planId), 'trash', { plan_id: planId }, 'prune');
      await tx.run(`DELETE FROM folder_identity WHERE role = 'version_data' AND ${inVictims}`);
      if (body.removals.length > 0) {
        await tx.run(`DELETE FROM term_changes WHERE old_file_id IN (${fileIds}) OR new_file_id IN (${fileIds})`);
        for (const table of ['validations', 'file_damage', 'extracted_files', 'version_totals', 'artifacts', 'versions']) {
          await tx.run(`DELETE FROM ${table} WHERE ${inVictims}`);
        }
      }
      crashPoint('prune.mid-transaction');
      await markPlanApplied(tx, planId);
      await tx.event('prune.applied', {
        plan_id: planId, versions: body.removals.map((row) => `${row.service}/${row.version}`), files: manifest.files.length, bytes: manifest.bytes, catalog_bytes: body.bytes,
      }, 'warn');
      return { manifest, at: new Date().toISOString(), versions: body.removals.length };
    }).catch((error: unknown) => {
      // Nothing has moved before this commit: a failure here leaves rows and files as they were.
      if (started) removeTrash(root, planId);
      throw error;
    });
    crashPoint('prune.after-commit');
    const moved = await moveRemovedFiles(step, root, result.manifest,
      (movedOut) => moveFilesToTrash(root, planId, result.manifest.files, control, 'prune.mid-batch', movedOut));
    crashPoint('prune.before-trashed');
    try {
      writeTrashManifest(root, { ...result.manifest, status: 'trashed' });
    } catch {
      // A full disk: the prune is committed and every file moved, so it is not reported as
      // failed; the `removing` manifest is marked trashed when the catalog next opens.
    }
    return {
      plan_id: planId, applied_at: result.at, actions: { versions_removed: result.versions, files_trashed: moved.moved },
      files_moved: moved.moved, bytes: moved.bytes, trash: trashRelpath(planId),
    };
  });
}
