import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import type { DoctorPlan, TrashEntry } from '../../../electron/shared/contract/housekeeping.js';
import { addVersion, catalogDump, diskListing, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-crash'));
});
afterEach(() => cleanup());

/** Opens the root in this process (a stale lock left by a SIGKILLed child is recovered). */
const withSession = sessionOn(() => root);

async function seed(bigFiles = 0): Promise<void> {
  await withSession(async (session) => {
    const many = Object.fromEntries(Array.from({ length: bigFiles }, (_, i) => [`many/${i}.txt`, `file ${i}`]));
    await addVersion(session.catalog, { service: 'go', version: 'v1', created_at: '2026-01-01', files: { 'a.owl': 'one', 'shared.owl': 'shared', ...many }, archive: { name: 'go.zip', content: 'zip1' } });
    await addVersion(session.catalog, { service: 'go', version: 'v2', created_at: '2026-02-01', latest: true, files: { 'a.owl': 'two', 'shared.owl': 'shared' } });
  });
}

/** Runs the real CLI and expects it to die by SIGKILL at `point`. */
function crashAt(point: string, args: readonly string[]): void {
  const run = runOntocat([...args, '--json'], { root, env: { ONTOCAT_CRASH_AT: point } });
  expect(run.code, `expected a SIGKILL at ${point}; stderr: ${run.stderr}`).toBe(-1);
  expect(existsSync(path.join(root, '.ontocat.lock'))).toBe(true);
}

/** Every file the catalog references is on disk with its catalogued bytes. */
async function expectCatalogIntact(session: Session): Promise<void> {
  const rows = await session.catalog.read((conn) => conn.all<{ root_relpath: string; sha256: string }>('SELECT root_relpath, sha256 FROM v_catalog_paths WHERE NOT damaged'));
  for (const row of rows) {
    const file = path.join(root, row.root_relpath);
    expect(existsSync(file), row.root_relpath).toBe(true);
    expect(sha256(readFileSync(file)), row.root_relpath).toBe(row.sha256);
  }
}

/** Doctor: plan, check the finding kinds, apply, and a second run is clean. */
async function doctorRepairs(session: Session, kinds: Record<string, number>): Promise<void> {
  const plan = await session.call('doctor:plan', {});
  const found: Record<string, number> = {};
  for (const item of plan.findings) found[`${item.kind}/${item.fix}`] = (found[`${item.kind}/${item.fix}`] ?? 0) + 1;
  expect(found).toEqual(kinds);
  await session.call('doctor:apply', { plan_id: plan.plan_id });
  expect((await session.call('doctor:plan', {})).findings).toEqual([]);
  await expectCatalogIntact(session);
}

describe('kill -9 at boundary steps, then doctor', () => {
  it('after LATEST.json is written but before the pointer commits', async () => {
    await seed();
    crashAt('latest.after-file-write', ['latest', 'set', 'go', 'v1']);
    expect(JSON.parse(readFileSync(path.join(root, 'go/LATEST.json'), 'utf8')).version).toBe('v1');
    await withSession(async (session) => {
      expect((await session.call('latest:get', { service: 'go' }))?.version).toBe('v2');
      await doctorRepairs(session, { 'latest_mismatch/rewrite_latest': 1 });
      expect(JSON.parse(readFileSync(path.join(root, 'go/LATEST.json'), 'utf8')).version).toBe('v2');
    });
  });

  it('mid prune batch: the versions were already gone from every list, and opening the catalog finishes the prune', async () => {
    await seed(400);
    const plan = await withSession((session) => session.call('prune:plan', { keep_last: 1, allow_large: true }));
    const planId = plan.plan_id;
    crashAt('prune.mid-batch', ['prune', '--apply', planId]);
    // Killed after the first batch: some files moved, the rest still in place.
    const stillThere = plan.files.filter((file) => existsSync(path.join(root, file.path))).length;
    expect(stillThere).toBeGreaterThan(0);
    expect(stillThere).toBeLessThan(plan.files.length);
    await withSession(async (session) => {
      expect((await session.call('versions:list', {})).items.map((v) => v.version)).toEqual(['v2']);
      expect(existsSync(path.join(root, 'go/v1'))).toBe(false);
      expect(await session.call('trash:list', {})).toMatchObject([{ plan_id: planId, status: 'trashed', files: 804 }]);
      expect((await session.call('events:list', { type: 'trash.recovered' })).items[0]?.payload).toMatchObject({ plan_id: planId, was: 'removing', outcome: 'finished' });
      expect((await session.call('doctor:plan', {})).findings).toEqual([]);
      await expectCatalogIntact(session);
    });
  });

  it('mid prune transaction: nothing moved yet, the deletes roll back, and the plan still applies', async () => {
    await seed();
    const before = diskListing(root);
    const rows = await withSession((session) => catalogDump(session.catalog));
    const planId = await withSession(async (session) => (await session.call('prune:plan', { keep_last: 1, allow_large: true })).plan_id);
    crashAt('prune.mid-transaction', ['prune', '--apply', planId]);
    expect(diskListing(root)).toEqual(before);
    await withSession(async (session) => {
      expect(await catalogDump(session.catalog)).toEqual(rows);
      expect(await session.call('trash:list', {})).toEqual([]);
      expect((await session.call('doctor:plan', {})).findings).toEqual([]);
      await session.call('prune:apply', { plan_id: planId });
      expect((await session.call('versions:list', {})).total).toBe(1);
    });
  });

  it('mid trash restore: opening the catalog finishes the restore', async () => {
    await seed(300);
    const before = diskListing(root);
    const rows = await withSession((session) => catalogDump(session.catalog));
    const planId = await withSession(async (session) => {
      const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      await session.call('prune:apply', { plan_id: plan.plan_id });
      return plan.plan_id;
    });
    crashAt('trash-restore.mid-batch', ['trash', 'restore', planId]);
    await withSession(async (session) => {
      expect(diskListing(root)).toEqual(before);
      expect(await catalogDump(session.catalog)).toEqual(rows);
      expect(await session.call('trash:list', {})).toEqual([]);
      expect((await session.call('doctor:plan', {})).findings).toEqual([]);
    });
  });

  it('mid trash empty: the entry shows as emptying with what is left, is never restored half, and opening the catalog finishes the empty', async () => {
    await seed(400);
    const planId = await withSession(async (session) => {
      const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      await session.call('prune:apply', { plan_id: plan.plan_id });
      return plan.plan_id;
    });
    const full = runOntocat(['trash', 'list', '--json'], { root }).json<TrashEntry[]>()[0]!;
    expect(full).toMatchObject({ plan_id: planId, status: 'trashed', files: 804 });
    crashAt('trash-empty.mid-delete', ['trash', 'empty']);

    // Killed after the first batch: a read of the trash says it is half gone, with what is left.
    const half = runOntocat(['trash', 'list', '--json'], { root }).json<TrashEntry[]>();
    expect(half).toEqual([expect.objectContaining({ plan_id: planId, status: 'emptying' })]);
    expect(half[0]!.files).toBeGreaterThan(0);
    expect(half[0]!.files).toBeLessThan(full.files);
    expect(half[0]!.bytes).toBeLessThan(full.bytes);
    expect(runOntocat(['trash', 'list'], { root }).stdout).toMatch(/emptying/);

    // A restore does not bring go/v1 back with files missing: the open finishes the empty first.
    const restore = runOntocat(['trash', 'restore', planId], { root });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/Nothing in the trash for plan/);
    expect(existsSync(path.join(root, '.trash', planId))).toBe(false);
    await withSession(async (session) => {
      expect((await session.call('versions:list', {})).items.map((v) => v.version)).toEqual(['v2']);
      expect(await session.call('trash:list', {})).toEqual([]);
      expect((await session.call('events:list', { type: 'trash.recovered' })).items[0]?.payload).toMatchObject({ plan_id: planId, was: 'emptying', outcome: 'finished' });
      expect((await session.call('doctor:plan', {})).findings).toEqual([]);
      await expectCatalogIntact(session);
    });
  });

  it('a trash entry whose files were partly deleted (by hand, or by a kill before emptying was recorded) is refused by restore, naming what is gone', async () => {
    await seed();
    const planId = await withSession(async (session) => {
      const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      await session.call('prune:apply', { plan_id: plan.plan_id });
      return plan.plan_id;
    });
    rmSync(path.join(root, '.trash', planId, 'files', 'go', 'v1', 'data', 'a.owl'));
    rmSync(path.join(root, '.trash', planId, 'files', 'go', 'v1', 'archives'), { recursive: true });
    const before = diskListing(root);
    const restore = runOntocat(['trash', 'restore', planId], { root });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(new RegExp(`Cannot restore ${planId}: 2 of its \\d+ trashed files are gone from the trash \\(the first: 'go/v1/[^']+'\\).*Nothing was restored`));
    expect(diskListing(root)).toEqual(before);
    await withSession(async (session) => {
      expect((await session.call('versions:list', {})).items.map((v) => v.version)).toEqual(['v2']);
      expect(await session.call('trash:list', {})).toMatchObject([{ plan_id: planId, status: 'trashed' }]);
      await expectCatalogIntact(session);
    });
  });

  for (const point of ['trash-restore.mid-batch', 'trash-restore.before-commit']) {
    it(`${point} of a restore whose object a later version stored again: opening finishes it, the files linked to the store's object`, async () => {
      await seed(300);
      const planId = await withSession(async (session) => {
        const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
        await session.call('prune:apply', { plan_id: plan.plan_id });
        // v1's 'one' was its own content: its object went to the trash; v3 stores it again.
        await addVersion(session.catalog, { service: 'go', version: 'v3', created_at: '2026-03-01', files: { 'again.owl': 'one' } });
        return plan.plan_id;
      });
      crashAt(point, ['trash', 'restore', planId]);
      await withSession(async (session) => {
        expect((await session.call('versions:list', {})).items.map((v) => v.version).sort()).toEqual(['v1', 'v2', 'v3']);
        expect(await session.call('trash:list', {})).toEqual([]);
        expect((await session.call('doctor:plan', { deep: true })).findings).toEqual([]);
        await expectCatalogIntact(session);
      });
    });
  }

  it('mid catalog restore, before and after the swap', async () => {
    await seed();
    const stamp = await withSession(async (session) => (await session.call('backup:create', {})).timestamp);
    await withSession((session) => addVersion(session.catalog, { service: 'go', version: 'v3', created_at: '2026-03-01', files: { 'c.owl': 'three' } }));

    crashAt('restore.before-swap', ['restore', stamp]);
    await withSession(async (session) => {
      // The old catalog is intact; the staged copy is a temp leftover.
      expect((await session.call('catalog:info', {})).versions).toBe(3);
      await doctorRepairs(session, { 'temp_leftover/remove': 1 });
    });

    crashAt('restore.after-swap', ['restore', stamp]);
    await withSession(async (session) => {
      // The backup is in place and migrated; v3's files are now unknown to it.
      expect((await session.call('catalog:info', {})).versions).toBe(2);
      await doctorRepairs(session, { 'orphan/trash': 1, 'cas_unreferenced/trash': 1 });
    });
  });

  it('mid compact, with the copy half built: doctor finds the copy and its write-ahead log in their owner-only work folder, and one apply removes them', async () => {
    await seed(400);
    /** GNU find: the root's own top-level files (the catalog, its WAL). */
    const topFiles = (): string[] => {
      const run = spawnSync('find', [root, '-maxdepth', '1', '-type', 'f', '-printf', '%f\\n'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout.split('\n').filter(Boolean).sort();
    };
    /** GNU find: everything under the root's .tmp/ but the spill folder, with its mode. */
    const workFiles = (): string[] => {
      const run = spawnSync('find', [path.join(root, '.tmp'), '-mindepth', '1', '-path', '*/.tmp/duckdb', '-prune', '-o', '-printf', '.tmp/%P %m %y\\n'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout.split('\n').filter(Boolean).sort();
    };
    const before = topFiles();
    crashAt('compact.after-copy', ['compact']);
    // An empty catalog WAL is the owner-only one made ready for the next commit (owner-only.ts);
    // DuckDB drops an empty WAL when it opens the catalog.
    const emptyWal = (name: string): boolean => name === 'catalog.duckdb.wal' && statSync(path.join(root, name)).size === 0;
    expect(topFiles().filter((name) => !before.includes(name) && name !== '.ontocat.lock' && !emptyWal(name))).toEqual([]);
    // The copy and its WAL (the larger of the two: the copy's rows are still in it) in a folder only the owner can enter.
    const work = workFiles();
    const folder = work[0]!.split(' ')[0]!;
    expect(folder).toMatch(/^\.tmp\/compact-\w+$/);
    expect(work).toEqual([`${folder} 700 d`, `${folder}/catalog.duckdb 600 f`, `${folder}/catalog.duckdb.wal 600 f`]);
    const left = [`${folder}/catalog.duckdb`, `${folder}/catalog.duckdb.wal`];

    const plan = runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>();
    expect(plan.findings.map((item) => `${item.kind}/${item.fix} ${item.path} ${item.bytes}`).sort()).toEqual(
      left.map((name) => `temp_leftover/remove ${name} ${statSync(path.join(root, name)).size}`).sort());
    const applied = runOntocat(['doctor', '--apply', plan.plan_id, '--json'], { root });
    expect(applied.code, applied.stderr).toBe(0);
    expect(topFiles()).toEqual(before);
    expect(workFiles()).toEqual([]);
    expect(runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>().findings).toEqual([]);
  });

  it('mid backup, before its manifest: doctor reports the copied catalog as a leftover and one apply removes its folder', async () => {
    await seed();
    const good = await withSession(async (session) => (await session.call('backup:create', {})).timestamp);
    crashAt('backup.before-manifest', ['backup']);
    const folders = (): string[] => readdirSync(path.join(root, '.backups')).sort();
    expect(folders()).toHaveLength(2);
    const killed = folders().find((name) => name !== good)!;
    // backup list shows the good backup only, as before; the killed one holds a whole catalog copy.
    expect(runOntocat(['backup', 'list', '--json'], { root }).json<{ timestamp: string }[]>().map((b) => b.timestamp)).toEqual([good]);
    const copy = path.join(root, '.backups', killed, 'catalog.duckdb');
    expect(existsSync(copy)).toBe(true);

    const plan = runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>();
    expect(plan.findings).toEqual([expect.objectContaining({ kind: 'temp_leftover', fix: 'remove', path: `.backups/${killed}/catalog.duckdb`, bytes: statSync(copy).size })]);
    expect(plan.findings[0]!.detail).toMatch(/interrupted backup.*no manifest\.json/);
    const applied = runOntocat(['doctor', '--apply', plan.plan_id, '--json'], { root });
    expect(applied.code, applied.stderr).toBe(0);
    expect(folders()).toEqual([good]);
    expect(runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>().findings).toEqual([]);
    // The good backup still restores.
    const restored = runOntocat(['restore', good, '--json'], { root });
    expect(restored.code, restored.stderr).toBe(0);
  });

  it('a killed backup\'s leftover is kept when its folder got a manifest after the plan was made', async () => {
    await seed();
    const good = await withSession(async (session) => (await session.call('backup:create', {})).timestamp);
    crashAt('backup.before-manifest', ['backup']);
    const killed = readdirSync(path.join(root, '.backups')).find((name) => name !== good)!;
    const planId = await withSession(async (session) => (await session.call('doctor:plan', {})).plan_id);
    writeFileSync(path.join(root, '.backups', killed, 'manifest.json'), readFileSync(path.join(root, '.backups', good, 'manifest.json')));
    const applied = runOntocat(['doctor', '--apply', planId], { root });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/stale.*complete now/);
    expect(existsSync(path.join(root, '.backups', killed, 'catalog.duckdb'))).toBe(true);
  });

  it('mid doctor apply: the moves roll back, then the original drift is fixed', async () => {
    await seed();
    writeFileSync(path.join(root, 'go/v2/data/stray.txt'), 'stray');
    const planId = await withSession(async (session) => (await session.call('doctor:plan', {})).plan_id);
    crashAt('doctor.before-commit', ['doctor', '--apply', planId]);
    expect(existsSync(path.join(root, 'go/v2/data/stray.txt'))).toBe(false);
    await withSession(async (session) => {
      const plan = await session.call('doctor:plan', {});
      expect(plan.findings.map((f) => `${f.kind}/${f.fix}`)).toEqual(['interrupted_apply/roll_back']);
      await session.call('doctor:apply', { plan_id: plan.plan_id });
      expect(readFileSync(path.join(root, 'go/v2/data/stray.txt'), 'utf8')).toBe('stray');
      await doctorRepairs(session, { 'orphan/trash': 1 });
    });
  });
});
