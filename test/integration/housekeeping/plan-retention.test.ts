import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLANS_KEPT_PER_KIND } from '../../../electron/catalog/plans.js';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { addVersion } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

// Issue 18 item 4, scaled down: each round deletes one version's data folder and adds
// stray files to another, then doctor plans and applies. Plans used to pile up in the
// catalog as huge JSON strings until DuckDB died with a FATAL.

const FILES = 400;
const STRAYS = 300;
/** More rounds than the plans kept per kind (10), and eight after the file settles (rounds 3-6) to see it stay flat. */
const ROUNDS = 14;

let root: string;
let cleanup: () => void;
let session: Session;

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-retention'));
  session = await openSession({ actor: 'test', root });
  for (const version of ['v1', 'v2', 'v3']) {
    const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`d${i % 10}/f${i}.txt`, `${version} ${i}`]));
    await addVersion(session.catalog, { service: 'svc', version, files });
  }
});
afterEach(async () => {
  await session.close();
  cleanup();
});

async function catalogBytes(): Promise<number> {
  await session.catalog.exclusive((conn) => conn.run('CHECKPOINT'));
  return statSync(path.join(root, 'catalog.duckdb')).size;
}

const planBodies = (): string[] => (existsSync(path.join(root, '.ontocat-plans')) ? readdirSync(path.join(root, '.ontocat-plans')) : []);

describe('plan retention over doctor rounds', () => {
  it(`keeps the plans table, the plan bodies and the catalog file bounded over ${ROUNDS} rounds`, async () => {
    const sizes: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const versions = ['v1', 'v2', 'v3'];
      rmSync(path.join(root, 'svc', versions[round % 3]!, 'data'), { recursive: true, force: true });
      const strays = path.join(root, 'svc', versions[(round + 1) % 3]!, 'data', `stray${round}`);
      mkdirSync(strays, { recursive: true });
      for (let i = 0; i < STRAYS; i += 1) writeFileSync(path.join(strays, `s${i}.txt`), `stray ${round} ${i}`);

      const plan = await session.call('doctor:plan', {});
      expect(plan.findings.filter((f) => f.kind === 'missing_file')).toHaveLength(FILES);
      expect(plan.findings.filter((f) => f.kind === 'orphan')).toHaveLength(STRAYS);
      // The body is stored outside the catalog and reads back whole.
      const stored = await session.call('plans:get', { plan_id: plan.plan_id });
      expect((stored.body as { findings: unknown[] }).findings).toHaveLength(plan.findings.length);
      const applied = await session.call('doctor:apply', { plan_id: plan.plan_id });
      expect(applied.files_moved).toBe(STRAYS);
      sizes.push(await catalogBytes());
    }
    // Every round's strays are in the trash and every relinked file is back.
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);
    expect(await session.call('trash:list', {})).toHaveLength(ROUNDS);

    const plans = await session.catalog.read((conn) => conn.one<{ rows: number; inline: number }>(
      'SELECT count(*) AS rows, COALESCE(sum(length(body_json)), 0) AS inline FROM plans'));
    // Rows stay only for plans whose trash still exists (trash restore reads whether they were
    // applied) plus the newest few; none carries its body inline.
    expect(plans!.inline).toBe(0);
    expect(plans!.rows).toBeLessThanOrEqual(ROUNDS + 1);
    expect(planBodies().length).toBeLessThanOrEqual(PLANS_KEPT_PER_KIND);
    // Flat once the first rounds have settled the file's blocks. DuckDB's free-block reuse makes
    // a settled file swing by a few 256 KiB blocks from one checkpoint to the next (seen:
    // 6.0 / 6.3 / 6.6 MB alternating, and one CI run whose round 5 sat at a 5.3 MB low), so the
    // bound is the largest size of rounds 3-6, plus 10% or two blocks. Plans stored inline grew
    // it by a few hundred KB every round, past that bound within the eight rounds after.
    const settled = Math.max(...sizes.slice(2, 6));
    for (const size of sizes.slice(6)) expect(size).toBeLessThanOrEqual(Math.max(settled * 1.1, settled + 2 * 256 * 1024));

    // Emptying the trash lets the retention drop those rows too.
    await session.call('trash:empty', {});
    await session.call('doctor:plan', {});
    const left = await session.catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM plans'));
    expect(left).toBeLessThanOrEqual(PLANS_KEPT_PER_KIND);
  }, 600_000);

  it('an unapplied plan younger than a day is kept, an applied one beyond the newest is retired; plan bodies are no orphans', async () => {
    const first = await session.call('doctor:plan', {});
    for (let i = 0; i < PLANS_KEPT_PER_KIND + 1; i += 1) await session.call('doctor:plan', {});
    // The first plan was unapplied but younger than a day: still kept.
    expect((await session.call('plans:get', { plan_id: first.plan_id })).plan_id).toBe(first.plan_id);
    expect((await session.call('doctor:plan', {})).findings.map((f) => f.path)).not.toContainEqual(expect.stringMatching(/ontocat-plans/));
    // An applied plan beyond the newest ones is retired, body and row.
    await session.call('doctor:apply', { plan_id: first.plan_id });
    await session.call('doctor:plan', {});
    expect(planBodies()).not.toContain(`${first.plan_id}.json.gz`);
    await expect(session.call('plans:get', { plan_id: first.plan_id })).rejects.toThrow(/No plan/);
  }, 120_000);

  it('a plan stored inline by an older version moves out of the catalog and still applies', async () => {
    rmSync(path.join(root, 'svc', 'v1', 'data', 'd0'), { recursive: true });
    const plan = await session.call('doctor:plan', {});
    // As plans were stored before: the body in the row, no file.
    const file = path.join(root, '.ontocat-plans', `${plan.plan_id}.json.gz`);
    const body = gunzipSync(readFileSync(file)).toString('utf8');
    await session.catalog.write((tx) => tx.run('UPDATE plans SET body_json = $1 WHERE plan_id = $2', [body, plan.plan_id]));
    rmSync(file);
    await session.call('doctor:plan', {});
    expect(existsSync(file)).toBe(true);
    expect(await session.catalog.read((conn) => conn.scalar<number>("SELECT count(*) FROM plans WHERE body_json <> ''"))).toBe(0);
    const applied = await session.call('doctor:apply', { plan_id: plan.plan_id });
    expect(applied.actions).toEqual({ relink_from_cas: FILES / 10 });
  }, 120_000);
});
