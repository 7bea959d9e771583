import type { DoctorFinding, DoctorPlan, PrunePlan } from '../shared/contract/housekeeping.js';
import { OntocatError } from '../shared/errors.js';
import { trySha256File } from '../storage/file-hash.js';
import { statRelpath } from '../storage/fs-ops.js';
import { resolveInsideRoot } from '../storage/safe-path.js';
import type { DoctorBody } from './doctor.js';
import { damagedVersions } from './doctor-queries.js';
import type { Catalog } from './open-catalog.js';
import { loadPlanForApply, retirePlans, storePlan } from './plans.js';
import { planPrune, type PruneBody } from './prune.js';

/**
 * A curator's per-item choice on a plan, made into a new plan.
 *
 * A stored plan is never edited: leaving items out (or choosing another fix for one) makes
 * a new plan with its own id and hash, from the old plan and the choice. The old plan must
 * still be current (unapplied, untampered, disk and catalog unchanged), and the new one is
 * applied like any other: its apply re-checks every action it keeps.
 */

/** Items named in a refusal before the rest are counted. */
const NAMED = 3;

function named(paths: readonly string[]): string {
  return paths.slice(0, NAMED).map((p) => `'${p}'`).join(', ') + (paths.length > NAMED ? ` (and ${paths.length - NAMED} more)` : '');
}

/** The paths a doctor finding's apply touches (as in planDoctor's fingerprint). */
function touched(item: DoctorFinding): string[] {
  if (item.kind === 'unvalidated_version') return [];
  const own = item.kind === 'interrupted_apply' || item.kind === 'interrupted_restore' ? `${item.path}/manifest.json` : item.path;
  return item.source ? [own, item.source] : [own];
}

/**
 * Re-makes a doctor plan without the findings at `without` and with the strays at `adopt`
 * adopted into their versions instead of trashed (each hashed now; apply refuses if it
 * changed since). Refuses a choice that leaves a kept fix without what it needs.
 */
export async function chooseDoctor(
  catalog: Catalog, planId: string, choice: { without?: readonly string[]; adopt?: readonly string[] },
): Promise<DoctorPlan> {
  const root = catalog.root;
  const without = new Set(choice.without ?? []);
  const adopt = new Set(choice.adopt ?? []);
  if (without.size === 0 && adopt.size === 0) throw new OntocatError('BAD_INPUT', 'Say what to change: leave items out (--without PATH) or adopt strays (--adopt PATH).');
  const both = [...adopt].filter((p) => without.has(p));
  if (both.length > 0) throw new OntocatError('BAD_INPUT', `${named(both)} cannot be both left out and adopted.`);
  const createdAt = new Date().toISOString();

  const made = await catalog.write(async (tx) => {
    const body = await loadPlanForApply<DoctorBody>(tx, root, planId, 'doctor');
    const byPath = new Map(body.findings.map((item) => [item.path, item]));
    const unknown = [...without, ...adopt].filter((p) => !byPath.has(p));
    if (unknown.length > 0) throw new OntocatError('BAD_INPUT', `Plan ${planId} has no item ${named(unknown)}; 'ontocat plan ${planId}' lists its items.`);
    const notAdoptable = [...adopt].filter((p) => !(byPath.get(p)!.alternatives ?? []).includes('adopt'));
    if (notAdoptable.length > 0) {
      throw new OntocatError('BAD_INPUT', `${named(notAdoptable)} cannot be adopted: only a stray file inside a catalogued version's data folder can.`);
    }
    // A kept fix that takes its bytes from an object another (left out) fix was to rebuild
    // would fail at apply (the object is missing) or, worse, put the damaged object's bytes
    // in the file's place (the object rotted: the plan put the file back only because it
    // rebuilt the object first). Say so now.
    const rebuilt = new Map(body.findings
      .filter((item) => (item.fix === 'restore_object' || item.fix === 'download_object') && without.has(item.path))
      .map((item) => [item.path, item]));
    const orphaned = body.findings.filter((item) => {
      if (without.has(item.path) || item.source === null) return false;
      const rebuild = rebuilt.get(item.source);
      return rebuild !== undefined && (rebuild.kind === 'cas_corrupt' || statRelpath(root, item.source) === null);
    });
    if (orphaned.length > 0) {
      throw new OntocatError('BAD_INPUT', `${named(orphaned.map((item) => item.path))} needs the content-store copy that a left-out fix rebuilds (${named([...new Set(orphaned.map((item) => item.source!))])}); leave both out or keep both.`);
    }

    const planned = new Map(body.fingerprint.paths.map((state) => [state[0], state]));
    const findings: DoctorFinding[] = [];
    for (const item of body.findings) {
      if (without.has(item.path)) continue;
      if (!adopt.has(item.path)) {
        findings.push(item);
        continue;
      }
      // Hashed now, checked again at apply: what is adopted is what the curator saw.
      const state = planned.get(item.path);
      const stat = statRelpath(root, item.path);
      if (!stat || !state || state[1] !== stat.size || state[2] !== stat.mtime_ms) {
        throw new OntocatError('STALE_PLAN', `STALE_PLAN: '${item.path}' changed since plan ${planId} was made; nothing was changed. Scan again.`);
      }
      const sha256 = await trySha256File(resolveInsideRoot(root, item.path));
      if (sha256 === null) throw new OntocatError('STALE_PLAN', `STALE_PLAN: '${item.path}' could not be read; nothing was changed. Scan again.`);
      const version = item.path.split('/').slice(0, 2).join('/');
      findings.push({
        ...item, fix: 'adopt', alternatives: ['trash'], sha256,
        detail: `No catalog row accounts for this file; adopt it into ${version} (SHA-256 ${sha256.slice(0, 12)}…: stored, recorded and validated).`,
      });
    }
    const keep = new Set(findings.flatMap(touched));
    const next: DoctorBody = {
      ...body,
      created_at: createdAt,
      findings,
      derived_from: planId,
      left_out: [...without].sort(),
      fingerprint: { catalog: body.fingerprint.catalog, paths: body.fingerprint.paths.filter((state) => keep.has(state[0])) },
    };
    const stored = await storePlan(tx, root, next);
    await tx.event('plan.chosen', { plan_id: stored.plan_id, from: planId, left_out: without.size, adopted: adopt.size });
    return { stored, next, damaged: await damagedVersions(tx) };
  });
  await retirePlans(catalog);
  const { next, stored } = made;
  return {
    plan_id: stored.plan_id, content_hash: stored.content_hash, created_at: createdAt, deep: next.deep,
    scanned_files: next.scanned_files, hashed_files: next.hashed_files, findings: next.findings,
    damaged_versions: made.damaged, derived_from: planId, left_out: next.left_out ?? [],
  };
}

/**
 * Re-makes a prune plan with the versions at `without` (`S/V`) kept: the same policy, made
 * again against the catalog as it is (content objects a now-kept version uses stay).
 */
export async function choosePrune(catalog: Catalog, planId: string, without: readonly string[]): Promise<PrunePlan> {
  const body = await catalog.write((tx) => loadPlanForApply<PruneBody>(tx, catalog.root, planId, 'prune'));
  const removed = new Set(body.removals.map((row) => `${row.service}/${row.version}`));
  const unknown = without.filter((ref) => !removed.has(ref));
  if (unknown.length > 0) throw new OntocatError('BAD_INPUT', `Plan ${planId} does not remove ${named(unknown)}; only versions it removes can be left out.`);
  const policy = body.policy;
  return planPrune(catalog, {
    keep_last: policy.keep_last ?? undefined,
    newer_than_days: policy.newer_than_days ?? undefined,
    service: policy.service ?? undefined,
    orphans_only: policy.orphans_only,
    allow_large: policy.allow_large,
    rejected: policy.rejected,
    keep_versions: [...new Set([...(policy.keep_versions ?? []), ...without])],
  }, {}, planId);
}
