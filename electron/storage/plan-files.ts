import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { OntocatError } from '../shared/errors.js';
import { writeFileAtomicSync } from './atomic-write.js';
import { PLANS_DIR } from './layout.js';

const planIdPattern = /^[a-z]+-[0-9A-Za-z]+-[0-9a-f]{8,64}$/;

function planFile(root: string, planId: string): string {
  if (!planIdPattern.test(planId)) throw new OntocatError('BAD_INPUT', `'${planId}' is not a plan id.`);
  return path.join(root, PLANS_DIR, `${planId}.json.gz`);
}

/**
 * Stores a plan body as `.ontocat-plans/<id>.json.gz`, atomically.
 *
 * A plan of a large root lists tens of thousands of findings (tens of MB of JSON);
 * kept in the catalog, every plan grew the file and its checkpoints for good. Gzip
 * shrinks the repetitive JSON about tenfold, and the catalog keeps only the hash.
 */
export function writePlanBody(root: string, planId: string, json: string): void {
  writeFileAtomicSync(planFile(root, planId), gzipSync(json, { level: 6 }));
}

/** Reads a stored plan body, or null when its file is gone. */
export function readPlanBody(root: string, planId: string): string | null {
  const file = planFile(root, planId);
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return null;
  }
  try {
    return gunzipSync(data).toString('utf8');
  } catch {
    throw new OntocatError('STALE_PLAN', `The stored body of plan ${planId} is damaged; make a new plan.`);
  }
}

/** Deletes a plan body file (gone already is fine). */
export function removePlanBody(root: string, planId: string): void {
  rmSync(planFile(root, planId), { force: true });
}

/** Plan ids that have a body file. */
export function listPlanBodies(root: string): string[] {
  const dir = path.join(root, PLANS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.json.gz')).map((name) => name.slice(0, -'.json.gz'.length)).filter((id) => planIdPattern.test(id));
}
