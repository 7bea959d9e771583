import { listValue } from './duckdb.js';
import { linkSync, lstatSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { StoreMigrationPlan, StoreMigrationResult } from '../shared/contract/store.js';
import { OntocatError } from '../shared/errors.js';
import type { WorkControl } from '../shared/progress.js';
import { fsyncDir } from '../storage/atomic-write.js';
import { assertCasInsideRoot, casRootOf } from '../storage/content-store.js';
import { crashPoint } from '../storage/crash-point.js';
import { trySha256File } from '../storage/file-hash.js';
import { casRelpath, legacyCasRelpath } from '../storage/layout.js';
import { LEGACY_CAS_LIKE } from './ingest-queries.js';
import type { Catalog, WriteTx } from './open-catalog.js';
import { getPlan, markPlanApplied, storePlan, type PlanBody } from './plans.js';

/** The plan kind (plan ids start with it). */
const KIND = 'migratestore';
/**
 * Objects per step: one catalog commit, then the old names go. `ONTOCAT_MIGRATE_STEP`
 * overrides it, so a test can kill a run between steps of a small store.
 */
function stepSize(): number {
  const forced = Number(process.env.ONTOCAT_MIGRATE_STEP);
  return Number.isInteger(forced) && forced > 0 ? forced : 2000;
}
/** Moves listed in a preview. */
const PREVIEW = 20;

/** A store migration plan's body: the objects found in the two-level layout when it was made. */
interface StoreMigrationBody extends PlanBody {
  readonly objects: readonly string[];
  readonly bytes: number;
}

const hex2 = /^[0-9a-f]{2}$/;
const sha = /^[0-9a-f]{64}$/;

/** Objects of the store still in the two-level layout (`ab/cd/<sha>`), with their bytes. */
function legacyObjects(root: string): { objects: string[]; bytes: number; flat: number } {
  const casRoot = casRootOf(root);
  const objects: string[] = [];
  let bytes = 0;
  let flat = 0;
  let tops: string[];
  try {
    tops = readdirSync(casRoot).filter((name) => hex2.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { objects, bytes, flat };
    throw error;
  }
  for (const top of tops) {
    for (const entry of readdirSync(path.join(casRoot, top), { withFileTypes: true })) {
      if (entry.isFile() && sha.test(entry.name)) { flat += 1; continue; }
      if (!entry.isDirectory() || !hex2.test(entry.name)) continue;
      const dir = path.join(casRoot, top, entry.name);
      for (const name of readdirSync(dir).sort()) {
        // Only well-placed objects move; anything else there (a temp leftover, a misplaced
        // name) is the doctor's to judge and stays.
        if (!sha.test(name) || name.slice(0, 2) !== top || name.slice(2, 4) !== entry.name) continue;
        const stat = lstatSync(path.join(dir, name), { throwIfNoEntry: false });
        if (!stat?.isFile()) continue;
        objects.push(name);
        bytes += stat.size;
      }
    }
  }
  return { objects, bytes, flat };
}

/**
 * Plans moving the content store from two levels of fan-out (`ab/cd/<sha>`) to one
 * (`ab/<sha>`), and stores the plan; nothing moves yet.
 */
export async function planStoreMigration(catalog: Catalog): Promise<StoreMigrationPlan> {
  const root = catalog.root;
  assertCasInsideRoot(root, true);
  const found = legacyObjects(root);
  const rows = await catalog.read((conn) => conn.scalar<number>('SELECT count(*)::INTEGER FROM extracted_files WHERE cas_relpath LIKE $1', [LEGACY_CAS_LIKE]));
  const body: StoreMigrationBody = {
    kind: KIND,
    created_at: new Date().toISOString(),
    // Each move is checked against the disk right before it happens, and a run that was
    // cut short is finished by applying the same plan again: no whole-root fingerprint.
    fingerprint: { catalog: '', paths: [] },
    objects: found.objects,
    bytes: found.bytes,
  };
  const { plan_id } = await catalog.write((tx) => storePlan(tx, root, body));
  return {
    plan_id, objects: found.objects.length, bytes: found.bytes, rows: rows ?? 0, already_one_level: found.flat,
    preview: found.objects.slice(0, PREVIEW).map((object) => ({ from: legacyCasRelpath(object), to: casRelpath(object) })),
  };
}

/**
 * What one object needs, judged from the disk right before acting. `foreign`: the new name
 * holds another file that does not hold the object's bytes (cut short, changed): the
 * catalog keeps the old name, whose copy the version files are links of.
 */
type ObjectState = 'link' | 'linked' | 'moved' | 'duplicate' | 'foreign' | 'missing';

function stateOf(root: string, object: string): ObjectState {
  const from = lstatSync(path.join(root, ...legacyCasRelpath(object).split('/')), { throwIfNoEntry: false });
  const to = lstatSync(path.join(root, ...casRelpath(object).split('/')), { throwIfNoEntry: false });
  if (from && !from.isFile()) throw new OntocatError('UNSAFE_PATH', `Refused ${legacyCasRelpath(object)}: it is not a regular file.`);
  if (to && !to.isFile()) throw new OntocatError('UNSAFE_PATH', `Refused ${casRelpath(object)}: it is not a regular file.`);
  if (!from) return to ? 'moved' : 'missing';
  if (!to) return 'link';
  return from.ino === to.ino && from.dev === to.dev ? 'linked' : 'duplicate';
}

/** A `duplicate` whose new-name file does not hash to the object's name is `foreign`. */
async function judgeDuplicate(root: string, object: string): Promise<'duplicate' | 'foreign'> {
  return (await trySha256File(path.join(root, ...casRelpath(object).split('/')))) === object ? 'duplicate' : 'foreign';
}

async function loadBody(tx: WriteTx, root: string, planId: string): Promise<{ body: StoreMigrationBody; applied: boolean }> {
  const row = await tx.one<{ kind: string; applied_at: string | null }>('SELECT kind, applied_at FROM plans WHERE plan_id = $1', [planId]);
  if (!row) throw new OntocatError('NOT_FOUND', `No plan '${planId}'. Make one with 'ontocat migrate-store'.`);
  if (row.kind !== KIND) throw new OntocatError('BAD_INPUT', `Plan ${planId} is a ${row.kind} plan, not a store migration plan.`);
  const plan = await getPlan(tx, root, planId);
  return { body: plan.body as unknown as StoreMigrationBody, applied: row.applied_at !== null };
}

/**
 * Applies a store migration plan, resumably.
 *
 * In steps of 2,000 objects: each object gets its new name as a hardlink beside the old
 * one, the new folders are flushed, one commit points the catalog rows at the new names,
 * and only then do the old names go. At every moment each catalogued object exists under
 * the name the catalog gives it, and readers (ingest, `where`, doctor) look in both
 * layouts. A run killed anywhere is finished by applying the same plan again: each object
 * is judged afresh from the disk (old name only: link it; both names, one file: the link
 * was made; new name only: done). An object found under both names as two different
 * files is left where it is: its rows take the new name only when that file hashes to the
 * object's name (doctor lists the unused old copy), else they keep the old name (doctor
 * lists the file in the way); one found nowhere is the doctor's (its rows are untouched).
 */
export async function applyStoreMigration(catalog: Catalog, planId: string, control: WorkControl = {}): Promise<StoreMigrationResult> {
  const root = path.resolve(catalog.root);
  assertCasInsideRoot(root, true);
  const { body, applied } = await catalog.write((tx) => loadBody(tx, root, planId));
  if (applied) throw new OntocatError('CONFLICT', `Plan ${planId} was already applied; a plan is applied once. Make a new plan.`);
  const counts: Record<ObjectState, number> = { link: 0, linked: 0, moved: 0, duplicate: 0, foreign: 0, missing: 0 };
  let rowsUpdated = 0;
  const oldDirs = new Set<string>();
  const STEP = stepSize();
  for (let start = 0; start < body.objects.length; start += STEP) {
    if (control.signal?.aborted) throw new OntocatError('CANCELLED', `Cancelled after ${start} of ${body.objects.length} objects; apply ${planId} again to finish.`);
    const step = body.objects.slice(start, start + STEP);
    const unlinkAfter: string[] = [];
    const newDirs = new Set<string>();
    const moved: string[] = [];
    for (const object of step) {
      let state = stateOf(root, object);
      // Only a copy that holds the object's bytes takes over its rows (rare: hashed here only).
      if (state === 'duplicate') state = await judgeDuplicate(root, object);
      counts[state] += 1;
      const from = path.join(root, ...legacyCasRelpath(object).split('/'));
      const to = path.join(root, ...casRelpath(object).split('/'));
      if (state === 'link') {
        linkSync(from, to);
        newDirs.add(path.dirname(to));
      }
      if (state === 'link' || state === 'linked') unlinkAfter.push(from);
      if (state !== 'missing' && state !== 'foreign') moved.push(legacyCasRelpath(object));
      oldDirs.add(path.dirname(from));
    }
    for (const dir of newDirs) fsyncDir(dir);
    crashPoint('migrate-store:after-links');
    rowsUpdated += await catalog.write(async (tx) => {
      const changed = await tx.scalar<number>(`SELECT count(*)::INTEGER FROM extracted_files WHERE cas_relpath IN (SELECT unnest($1::VARCHAR[]))`, [listValue(moved)]);
      await tx.run(`UPDATE extracted_files SET cas_relpath = regexp_replace(cas_relpath, '^(\\.cas/sha256/[0-9a-f]{2})/[0-9a-f]{2}/', '\\1/')
                    WHERE cas_relpath IN (SELECT unnest($1::VARCHAR[]))`, [listValue(moved)]);
      return changed ?? 0;
    });
    crashPoint('migrate-store:after-commit');
    for (const file of unlinkAfter) {
      try {
        unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    control.onProgress?.({ done: Math.min(body.objects.length, start + STEP), total: body.objects.length, bytes: 0, current: step.at(-1) ?? null, phase: 'migrate' });
  }
  // Folders of the old layout that are now empty go; the rest (a leftover the doctor
  // reports, a copy left in place) stay.
  let foldersRemoved = 0;
  for (const dir of [...oldDirs].sort().reverse()) {
    try {
      rmdirSync(dir);
      foldersRemoved += 1;
    } catch {
      // Not empty: something else lives there.
    }
  }
  const remaining = await catalog.write(async (tx) => {
    const left = await tx.scalar<number>('SELECT count(*)::INTEGER FROM extracted_files WHERE cas_relpath LIKE $1', [LEGACY_CAS_LIKE]);
    await markPlanApplied(tx, planId);
    await tx.event('store.migrated', {
      plan_id: planId, objects: body.objects.length, linked: counts.link, resumed: counts.linked + counts.moved,
      duplicates: counts.duplicate, foreign_new_copies: counts.foreign, missing: counts.missing, rows_updated: rowsUpdated, rows_left: left ?? 0,
    });
    return left ?? 0;
  });
  return {
    plan_id: planId, objects: body.objects.length, moved: counts.link + counts.linked, already_moved: counts.moved,
    left_in_place: counts.duplicate, foreign_new_copies: counts.foreign, missing: counts.missing, rows_updated: rowsUpdated, rows_left: remaining, folders_removed: foldersRemoved,
  };
}
