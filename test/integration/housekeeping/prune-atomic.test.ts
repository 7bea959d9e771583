import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import type { Session } from '../../../electron/handlers/session.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { trashFileRelpath } from '../../../electron/storage/trash-store.js';
import { addVersion, catalogDump, diskListing, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { canMakeImmutable, clearImmutable, makeImmutable } from '../../helpers/immutable-file.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';

/**
 * Prune and trash restore are atomic from a user's point of view: whatever stops them (a
 * kill -9 at any step, EPERM on one file), a version is listed with all its files, or not
 * listed with its files in the trash, never listed with files gone.
 */

let root: string;
let cleanup: () => void;
function pinFile(relpath: string): void {
  makeImmutable(path.join(root, relpath));
}

const unpinAll = clearImmutable;

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-atomic'));
});
afterEach(() => {
  unpinAll();
  cleanup();
});

/** Opens the root in this process (a stale lock left by a SIGKILLed child is recovered). */
const withSession = sessionOn(() => root);

/** go/v1 (the victim: 600 files, so moves take two batches) and go/v2 (latest). */
async function seed(): Promise<void> {
  await withSession(async (session) => {
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`many/${i}.txt`, `file ${i}`]));
    await addVersion(session.catalog, { service: 'go', version: 'v1', created_at: '2026-01-01', files: { 'a.owl': 'one', 'shared.owl': 'shared', ...many }, archive: { name: 'go.zip', content: 'zip1' } });
    await addVersion(session.catalog, { service: 'go', version: 'v2', created_at: '2026-02-01', latest: true, files: { 'a.owl': 'two', 'shared.owl': 'shared' } });
  });
}

/** A v1 file late in the move order (data files go by path, before archives and objects). */
const LATE_FILE = 'go/v1/data/many/99.txt';

/**
 * What any reader sees right after the kill, before anything is recovered: the versions
 * listed, each checked to have every catalogued file on disk with its catalogued bytes.
 */
async function listedWithAllFiles(): Promise<string[]> {
  const catalog = await openCatalog({ root, app: 'ontocat-raw-view' });
  try {
    const rows = await catalog.read((conn) => conn.all<{ name: string; root_relpath: string; sha256: string }>(
      `SELECT s.service || '/' || s.version AS name, p.root_relpath, p.sha256
       FROM v_version_stats s JOIN v_catalog_paths p USING (version_id) WHERE NOT p.damaged`));
    for (const row of rows) {
      const file = path.join(root, row.root_relpath);
      expect(existsSync(file), `${row.name} is listed but ${row.root_relpath} is gone`).toBe(true);
      expect(sha256(readFileSync(file)), row.root_relpath).toBe(row.sha256);
    }
    return [...new Set(rows.map((row) => row.name))].sort();
  } finally {
    await catalog.close();
  }
}

interface Before {
  readonly disk: Record<string, string>;
  readonly rows: Record<string, unknown[]>;
}

async function snapshot(): Promise<Before> {
  return { disk: diskListing(root), rows: await withSession((session) => catalogDump(session.catalog)) };
}

/** After recovery: v1 is back exactly as it was, nothing in the trash, doctor clean. */
async function expectKept(session: Session, before: Before): Promise<void> {
  expect(diskListing(root)).toEqual(before.disk);
  expect(await catalogDump(session.catalog)).toEqual(before.rows);
  expect(await session.call('trash:list', {})).toEqual([]);
  expect((await session.call('doctor:plan', {})).findings).toEqual([]);
}

/** After recovery: v1 is gone from every list, every file of the plan is in its trash, doctor clean. */
async function expectPruned(session: Session, planId: string, files: readonly { path: string }[]): Promise<void> {
  expect((await session.call('versions:list', {})).items.map((v) => `${v.service}/${v.version}`)).toEqual(['go/v2']);
  for (const file of files) {
    expect(existsSync(path.join(root, file.path)), file.path).toBe(false);
    expect(existsSync(path.join(root, trashFileRelpath(planId, file.path))), file.path).toBe(true);
  }
  expect(await session.call('trash:list', {})).toMatchObject([{ plan_id: planId, status: 'trashed', files: files.length }]);
  expect((await session.call('doctor:plan', {})).findings).toEqual([]);
}

function crashAt(point: string, args: readonly string[]): void {
  const run = runOntocat([...args, '--json'], { root, env: { ONTOCAT_CRASH_AT: point } });
  expect(run.code, `expected a SIGKILL at ${point}; stderr: ${run.stderr}`).toBe(-1);
}

async function makePlan(): Promise<{ plan_id: string; files: readonly { path: string }[] }> {
  return withSession((session) => session.call('prune:plan', { keep_last: 1, allow_large: true }));
}

describe('kill -9 at every step of prune apply', () => {
  const steps: [string, 'kept' | 'pruned'][] = [
    ['prune.mid-transaction', 'kept'],
    ['prune.after-commit', 'pruned'],
    ['prune.mid-batch', 'pruned'],
    ['prune.before-trashed', 'pruned'],
  ];
  for (const [point, outcome] of steps) {
    it(`at ${point}: listed with all files or not listed; the next open leaves v1 ${outcome}`, async () => {
      await seed();
      const before = await snapshot();
      const plan = await makePlan();
      crashAt(point, ['prune', '--apply', plan.plan_id]);
      const listed = await listedWithAllFiles();
      expect(listed).toEqual(outcome === 'kept' ? ['go/v1', 'go/v2'] : ['go/v2']);
      await withSession(async (session) => {
        if (outcome === 'kept') await expectKept(session, before);
        else await expectPruned(session, plan.plan_id, plan.files);
      });
    });
  }
});

describe.skipIf(!canMakeImmutable)('a prune that fails mid-way rolls back by itself', () => {
  it('EPERM on one file: every moved file and every row comes back, with a message naming the file', async () => {
    await seed();
    const before = await snapshot();
    const plan = await makePlan();
    pinFile(LATE_FILE);
    const run = runOntocat(['prune', '--apply', plan.plan_id], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(
      `^ontocat: Prune ${plan.plan_id} stopped: could not move '${LATE_FILE}' to the trash: the operation is not permitted \\(EPERM: operation not permitted\\)\\. ` +
      'Everything was put back \\(\\d{3} moved files and the rows of its 1 version\\); nothing was removed\\.\\n$'));
    const moved = Number(/\((\d+) moved files/.exec(run.stderr)?.[1]);
    expect(moved).toBeGreaterThan(500);
    await withSession(async (session) => {
      await expectKept(session, before);
      expect((await session.call('events:list', { type: 'prune.rolled_back' })).items[0]?.payload).toMatchObject({ plan_id: plan.plan_id });
      // Once the file can move, the same plan applies: the rollback left nothing stale.
      unpinAll();
      await session.call('prune:apply', { plan_id: plan.plan_id });
      await expectPruned(session, plan.plan_id, plan.files);
    });
  });

  it('a failure before the commit (the trash cannot be written) changes nothing and says so', async () => {
    await seed();
    const before = await snapshot();
    const plan = await makePlan();
    mkdirSync(path.join(root, '.trash'));
    pinFile('.trash');
    await withSession(async (session) => {
      const error = await session.call('prune:apply', { plan_id: plan.plan_id }).then(() => null, (e: unknown) => e as Error);
      expect(isOntocatError(error, 'IO_ERROR')).toBe(true);
      expect(error!.message).toMatch(new RegExp(`^Could not save the versions rows to the trash of ${plan.plan_id} \\(EPERM: operation not permitted.*\\); nothing was changed\\.$`));
      unpinAll();
      await expectKept(session, before);
      await session.call('prune:apply', { plan_id: plan.plan_id });
      await expectPruned(session, plan.plan_id, plan.files);
    });
  });

  for (const point of ['prune.rollback-started', 'prune.rollback-mid-batch', 'prune.rollback-after-commit']) {
    it(`kill -9 at ${point}: v1 is listed only with all its files, and the next open finishes the rollback`, async () => {
      await seed();
      const before = await snapshot();
      const plan = await makePlan();
      pinFile(LATE_FILE);
      crashAt(point, ['prune', '--apply', plan.plan_id]);
      expect(await listedWithAllFiles()).toEqual(point === 'prune.rollback-after-commit' ? ['go/v1', 'go/v2'] : ['go/v2']);
      await withSession((session) => expectKept(session, before));
    });
  }
});

describe('kill -9 at every step of trash restore', () => {
  for (const point of ['trash-restore.before-move', 'trash-restore.mid-batch', 'trash-restore.before-commit', 'trash-restore.after-commit']) {
    it(`at ${point}: v1 is listed only with all its files, and the next open finishes the restore`, async () => {
      await seed();
      const before = await snapshot();
      const plan = await makePlan();
      await withSession((session) => session.call('prune:apply', { plan_id: plan.plan_id }));
      crashAt(point, ['trash', 'restore', plan.plan_id]);
      expect(await listedWithAllFiles()).toEqual(point === 'trash-restore.after-commit' ? ['go/v1', 'go/v2'] : ['go/v2']);
      await withSession(async (session) => {
        expect(diskListing(root)).toEqual(before.disk);
        expect(await catalogDump(session.catalog)).toEqual(before.rows);
        expect(await session.call('trash:list', {})).toEqual([]);
        expect((await session.call('doctor:plan', {})).findings).toEqual([]);
      });
    });
  }

  it.skipIf(!canMakeImmutable)('EPERM on one file: the files already back return to the trash, and v1 stays unlisted', async () => {
    await seed();
    const plan = await makePlan();
    await withSession(async (session) => {
      await session.call('prune:apply', { plan_id: plan.plan_id });
      const pruned = diskListing(root);
      const rows = await catalogDump(session.catalog);
      pinFile(trashFileRelpath(plan.plan_id, LATE_FILE));
      const error = await session.call('trash:restore', { plan_id: plan.plan_id }).then(() => null, (e: unknown) => e as Error);
      expect(isOntocatError(error, 'IO_ERROR')).toBe(true);
      expect(error!.message).toMatch(new RegExp(
        `^Restoring ${plan.plan_id} stopped: could not move '${LATE_FILE}' back from the trash: the operation is not permitted \\(EPERM: operation not permitted\\)\\. ` +
        'The \\d+ files already put back went back to the trash; nothing was restored\\.$'));
      expect(diskListing(root)).toEqual(pruned);
      expect(await catalogDump(session.catalog)).toEqual(rows);
      expect(await session.call('trash:list', {})).toMatchObject([{ plan_id: plan.plan_id, status: 'trashed' }]);
      unpinAll();
      await session.call('trash:restore', { plan_id: plan.plan_id });
      expect((await session.call('versions:list', {})).total).toBe(2);
    });
  });
});
