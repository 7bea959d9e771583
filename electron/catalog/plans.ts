import { listValue } from './duckdb.js';
import { createHash } from 'node:crypto';
import { OntocatError } from '../shared/errors.js';
import type { PlanRecord } from '../shared/contract/housekeeping.js';
import { statRelpath } from '../storage/fs-ops.js';
import { listPlanBodies, readPlanBody, removePlanBody, writePlanBody } from '../storage/plan-files.js';
import { listTrashPlanIds } from '../storage/trash-store.js';
import type { Catalog, WriteTx } from './open-catalog.js';
import type { SqlConnection } from './sql.js';

/**
 * A path a plan touches, as it was when the plan was made: `[relpath, size, mtime_ms]`,
 * size and mtime null when the path was absent.
 */
export type PathState = readonly [string, number | null, number | null];

/** What a plan must find unchanged to be applied. */
export interface PlanFingerprint {
  readonly catalog: string;
  readonly paths: readonly PathState[];
}

/** Every plan body carries its fingerprint; the rest is up to the plan kind. */
export interface PlanBody {
  readonly kind: string;
  readonly created_at: string;
  readonly fingerprint: PlanFingerprint;
}

/**
 * A digest of the catalog rows that plans depend on.
 *
 * Order-free aggregates (count and XOR of row hashes) per table, so it costs one scan
 * and needs no sort; plans, events and validations are left out because making or
 * applying a plan writes those.
 */
export async function catalogFingerprint(conn: SqlConnection): Promise<string> {
  const tables = ['versions', 'artifacts', 'extracted_files', 'latest_pointer', 'file_damage'];
  const parts = tables.map((table) => `(SELECT count(*) || ':' || COALESCE(bit_xor(hash(t)), 0) FROM ${table} t)`);
  return (await conn.scalar<string>(`SELECT concat_ws('|', ${parts.join(', ')})`)) ?? '';
}

/** The current state of each path, for a fingerprint. */
export function pathStates(root: string, relpaths: Iterable<string>): PathState[] {
  const states: PathState[] = [];
  for (const relpath of new Set(relpaths)) {
    const stat = statRelpath(root, relpath);
    states.push(stat ? [relpath, stat.size, stat.mtime_ms] : [relpath, null, null]);
  }
  return states;
}

function hashBody(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

/**
 * Stores a plan; its id names its kind, time and content hash (`prune-20260101T120000Z-1a2b3c4d5e6f`).
 *
 * The body goes to `.ontocat-plans/<id>.json.gz` first (atomically), then the row with its
 * hash: the catalog never holds the findings themselves, so plans cannot bloat it.
 */
export async function storePlan(tx: WriteTx, root: string, body: PlanBody): Promise<{ plan_id: string; content_hash: string }> {
  const json = JSON.stringify(body);
  const contentHash = hashBody(json);
  const stamp = body.created_at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const planId = `${body.kind}-${stamp}-${contentHash.slice(0, 12)}`;
  writePlanBody(root, planId, json);
  await tx.run('INSERT INTO plans VALUES ($1, $2, $3::TIMESTAMP, $4, $5, NULL) ON CONFLICT DO NOTHING', [
    planId, body.kind, body.created_at, contentHash, '',
  ]);
  await tx.event('plan.created', { plan_id: planId, kind: body.kind, content_hash: contentHash });
  return { plan_id: planId, content_hash: contentHash };
}

/** The body of a plan row: in its file, or (plans made before bodies moved out) in the row. */
function bodyOf(root: string, planId: string, bodyJson: string): string {
  if (bodyJson !== '') return bodyJson;
  const stored = readPlanBody(root, planId);
  if (stored === null) throw new OntocatError('NOT_FOUND', `The body of plan ${planId} is gone (plans are kept for a while, then retired); make a new plan.`);
  return stored;
}

/** Plans kept per kind, newest first, whatever their state. */
export const PLANS_KEPT_PER_KIND = 10;
/** An unapplied plan this young is kept beyond that count: someone may still be reviewing it. */
const UNAPPLIED_GRACE_HOURS = 24;

/**
 * Retires plans that are no longer useful: beyond the newest `PLANS_KEPT_PER_KIND` of
 * their kind, applied (or unapplied and older than a day, so superseded). A retired plan
 * loses its body file; its row goes too unless its trash folder still exists (trash
 * restore and doctor read whether it was applied). Body files without a row (a crash
 * between the two writes) go as well. Returns the number of plans retired.
 */
export async function retirePlans(catalog: Catalog): Promise<number> {
  const root = catalog.root;
  const retired = await catalog.write(async (tx) => {
    const rows = await tx.all<{ plan_id: string }>(`
      SELECT plan_id FROM (
        SELECT plan_id, applied_at, created_at,
               row_number() OVER (PARTITION BY kind ORDER BY created_at DESC, plan_id DESC) AS rank
        FROM plans)
      WHERE rank > $keep AND (applied_at IS NOT NULL OR created_at < now()::TIMESTAMP - to_hours($grace))`,
    { keep: PLANS_KEPT_PER_KIND, grace: UNAPPLIED_GRACE_HOURS });
    const inTrash = new Set(listTrashPlanIds(root));
    const bodies = new Set(listPlanBodies(root));
    // A row kept for its trash was retired once already (its body went then): counting it
    // again on every later run would add an event per run for nothing.
    const ids = rows.map((row) => row.plan_id).filter((id) => !inTrash.has(id) || bodies.has(id));
    const dropped = ids.filter((id) => !inTrash.has(id));
    if (dropped.length > 0) await tx.run('DELETE FROM plans WHERE plan_id IN (SELECT unnest($1::VARCHAR[]))', [listValue(dropped)]);
    // Rows made before bodies moved out carry theirs inline: clear it on the ones kept for their trash.
    const keptForTrash = ids.filter((id) => inTrash.has(id));
    if (keptForTrash.length > 0) await tx.run("UPDATE plans SET body_json = '' WHERE body_json <> '' AND plan_id IN (SELECT unnest($1::VARCHAR[]))", [listValue(keptForTrash)]);
    // Plans stored before bodies moved out of the catalog: move the kept ones' bodies out too, once.
    const inline = await tx.all<{ plan_id: string }>("SELECT plan_id FROM plans WHERE body_json <> ''");
    for (const { plan_id: id } of inline) {
      const json = await tx.scalar<string>('SELECT body_json FROM plans WHERE plan_id = $1', [id]);
      if (json) writePlanBody(root, id, json);
      await tx.run("UPDATE plans SET body_json = '' WHERE plan_id = $1", [id]);
    }
    const known = new Set((await tx.all<{ plan_id: string }>('SELECT plan_id FROM plans')).map((row) => row.plan_id));
    const strays = [...bodies].filter((id) => !known.has(id) && !ids.includes(id));
    if (ids.length + strays.length > 0) await tx.event('plans.retired', { plans: ids.length, rows_dropped: dropped.length, stray_bodies: strays.length });
    return { ids, strays };
  });
  // Files last: a rolled-back retirement must still find its bodies.
  for (const id of [...retired.ids, ...retired.strays]) removePlanBody(root, id);
  return retired.ids.length;
}

/** Reads a stored plan, or fails with NOT_FOUND. */
export async function getPlan(conn: SqlConnection, root: string, planId: string): Promise<PlanRecord & { readonly body: Readonly<Record<string, unknown>> }> {
  const row = await conn.one<{ plan_id: string; kind: string; created_at: string; content_hash: string; body_json: string; applied_at: string | null }>(
    'SELECT plan_id, kind, created_at, content_hash, body_json, applied_at FROM plans WHERE plan_id = $1',
    [planId],
  );
  if (!row) throw new OntocatError('NOT_FOUND', `No plan '${planId}'. Make one with 'ontocat doctor' or 'ontocat prune' first.`);
  return {
    plan_id: row.plan_id,
    kind: row.kind,
    created_at: row.created_at,
    content_hash: row.content_hash,
    applied_at: row.applied_at,
    body: JSON.parse(bodyOf(root, planId, row.body_json)) as Record<string, unknown>,
  };
}

/**
 * Why a plan the catalog lists has no body, in words a curator can act on. Its body was
 * retired (deleted) while its row stayed: kept for its trash entry, or listed again by a
 * catalog restored from a backup made before the plan was retired.
 */
async function missingBodyReason(conn: SqlConnection, root: string, planId: string, createdAt: string, appliedAt: string | null): Promise<string> {
  const restored = await conn.one<{ timestamp: string | null }>(
    `SELECT json_extract_string(payload_json, '$.timestamp') AS timestamp FROM events
     WHERE type = 'backup.restored' AND ts >= $1::TIMESTAMP ORDER BY ts DESC LIMIT 1`, [createdAt]);
  const parts = ['The plan was retired and its body deleted (plans are kept for a while, then retired)'];
  if (restored) parts.push(`; this catalog was restored from backup ${restored.timestamp ?? ''}, made before that, and so still lists it`);
  parts.push('.');
  const trashed = listTrashPlanIds(root).includes(planId);
  const kind = planId.slice(0, planId.indexOf('-'));
  const remake = kind === 'prune' ? "'ontocat prune'" : kind === 'doctor' ? "'ontocat doctor'" : 'the command that made it';
  if (appliedAt && trashed) parts.push(` It was applied; its trash entry does not need the body: 'ontocat trash restore ${planId}' and 'ontocat trash empty' work from the entry itself.`);
  else if (appliedAt) parts.push(' It was applied.');
  else if (trashed) {
    parts.push(" This catalog does not record it as applied, but it was: its trash entry holds what it moved ('ontocat trash list'). It cannot be applied again, " +
      "and the entry cannot be restored while this catalog lists what it removed; 'ontocat doctor' puts back the files this catalog lists.");
  } else parts.push(` It cannot be applied: make a new plan with ${remake}.`);
  return parts.join('');
}

/**
 * A stored plan as `ontocat plan` shows it: one the catalog lists whose body is gone comes
 * with `body: null` and `body_unavailable` saying why, never as an error hiding its row.
 */
export async function describePlan(conn: SqlConnection, root: string, planId: string): Promise<PlanRecord> {
  const row = await conn.one<{ plan_id: string; kind: string; created_at: string; content_hash: string; body_json: string; applied_at: string | null }>(
    'SELECT plan_id, kind, created_at, content_hash, body_json, applied_at FROM plans WHERE plan_id = $1',
    [planId],
  );
  if (!row) throw new OntocatError('NOT_FOUND', `No plan '${planId}'. Make one with 'ontocat doctor' or 'ontocat prune' first.`);
  const json = row.body_json !== '' ? row.body_json : readPlanBody(root, planId);
  const record = { plan_id: row.plan_id, kind: row.kind, created_at: row.created_at, content_hash: row.content_hash, applied_at: row.applied_at };
  if (json === null) return { ...record, body: null, body_unavailable: await missingBodyReason(conn, root, planId, row.created_at, row.applied_at) };
  return { ...record, body: JSON.parse(json) as Record<string, unknown> };
}

/**
 * Loads a plan for applying: it must be of `kind`, unapplied, untampered, every action's
 * own precondition must still hold (`checkActions`, which names the item that changed),
 * and the disk and catalog must be exactly as they were when it was made.
 */
export async function loadPlanForApply<B extends PlanBody>(
  tx: WriteTx, root: string, planId: string, kind: string, checkActions?: (body: B) => Promise<void>,
): Promise<B> {
  const row = await tx.one<{ kind: string; content_hash: string; body_json: string; applied_at: string | null }>(
    'SELECT kind, content_hash, body_json, applied_at FROM plans WHERE plan_id = $1',
    [planId],
  );
  if (!row) throw new OntocatError('NOT_FOUND', `No plan '${planId}'.`);
  if (row.kind !== kind) throw new OntocatError('BAD_INPUT', `Plan ${planId} is a ${row.kind} plan, not a ${kind} plan.`);
  if (row.applied_at) throw new OntocatError('CONFLICT', `Plan ${planId} was already applied at ${row.applied_at}; a plan is applied once. Make a new plan.`);
  const json = bodyOf(root, planId, row.body_json);
  if (hashBody(json) !== row.content_hash) {
    throw new OntocatError('STALE_PLAN', `Plan ${planId} does not match its content hash; it was altered after it was made. Make a new plan.`);
  }
  const body = JSON.parse(json) as B;
  // Specific refusals first; the fingerprint below still catches anything they miss.
  if (checkActions) await checkActions(body);
  const now = await catalogFingerprint(tx);
  if (now !== body.fingerprint.catalog) {
    throw new OntocatError('STALE_PLAN', `STALE_PLAN: the catalog changed since plan ${planId} was made; nothing was changed. Make a new plan and review it.`);
  }
  for (const [relpath, size, mtime] of body.fingerprint.paths) {
    const stat = statRelpath(root, relpath);
    const same = stat === null ? size === null : size === stat.size && mtime === stat.mtime_ms;
    if (!same) {
      const what = stat === null ? 'is gone' : size === null ? 'appeared' : 'was modified';
      throw new OntocatError('STALE_PLAN', `STALE_PLAN: '${relpath}' ${what} since plan ${planId} was made; nothing was changed. Make a new plan and review it.`);
    }
  }
  return body;
}

/** Marks a plan applied, in the apply transaction. */
export async function markPlanApplied(tx: WriteTx, planId: string): Promise<void> {
  await tx.run('UPDATE plans SET applied_at = now()::TIMESTAMP WHERE plan_id = $1', [planId]);
}

/** Marks an applied plan unapplied again, in the transaction that rolled its apply back. */
export async function unmarkPlanApplied(tx: WriteTx, planId: string): Promise<void> {
  await tx.run('UPDATE plans SET applied_at = NULL WHERE plan_id = $1', [planId]);
}

/** Whether a plan exists and was applied (null when unknown). */
export async function planApplied(conn: SqlConnection, planId: string): Promise<boolean | null> {
  const row = await conn.one<{ applied: boolean }>('SELECT applied_at IS NOT NULL AS applied FROM plans WHERE plan_id = $1', [planId]);
  return row ? row.applied : null;
}
