import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { addVersion, catalogDump, diskListing, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { canMakeImmutable, clearImmutable, makeImmutable } from '../../helpers/immutable-file.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';

/** Real OBO releases shipped by Debian's emboss-data, not written here. */
const OBO_DIR = '/usr/share/EMBOSS/data/OBO';

let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-preconditions'));
});
afterEach(() => {
  clearImmutable();
  cleanup();
});

const abs = (relpath: string): string => path.join(root, relpath);

/** Files under `.trash/`, as relpaths; empty when there is no trash at all. */
function trashFiles(): string[] {
  const dir = abs('.trash');
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** Overwrites `length` bytes at `offset` in place, keeping the inode (and so every hardlink). */
function flipBytes(file: string, offset: number, length: number): void {
  const original = readFileSync(file).subarray(offset, offset + length);
  const flipped = Buffer.from(original.map((byte) => byte ^ 0xff));
  const fd = openSync(file, 'r+');
  try { writeSync(fd, flipped, 0, length, offset); } finally { closeSync(fd); }
}

/** The real `touch -r REF FILE`: copies REF's timestamps onto FILE. */
function touchFrom(reference: string, file: string): void {
  const run = spawnSync('touch', ['-r', reference, file]);
  expect(run.status, run.stderr.toString()).toBe(0);
}

/** Opens the root in this process (a stale lock left by a SIGKILLed child is recovered). */
const withSession = sessionOn(() => root);

/** Runs `task` and returns the OntocatError it must throw. */
async function refusal(task: Promise<unknown>): Promise<Error> {
  const error = await task.then(() => null, (e: unknown) => e);
  expect(error, 'expected a refusal').toBeInstanceOf(Error);
  return error as Error;
}

describe('a stale doctor plan through the real CLI', () => {
  it('refuses a quarantine whose file got its original bytes back (same size and mtime), and moves nothing', () => {
    const source = `${root}-source`;
    mkdirSync(source);
    copyFileSync(path.join(OBO_DIR, 'ro.obo'), path.join(source, 'ro.obo'));
    copyFileSync(path.join(OBO_DIR, 'eco.obo'), path.join(source, 'eco.obo'));
    try {
      const ingest = runOntocat(['ingest', source, '--service', 'obo', '--version', 'v1', '--set-latest', '--json'], { root });
      expect(ingest.code, ingest.stderr).toBe(0);
    } finally {
      rmSync(source, { recursive: true, force: true });
    }
    const stored = abs('obo/v1/data/ro.obo');
    const good = readFileSync(stored);
    const object = casRelpath(sha256(good));
    expect(readFileSync(abs(object)).equals(good)).toBe(true);
    const reference = abs('.mtime-ref');
    writeFileSync(reference, '');
    touchFrom(stored, reference);
    const rowsBefore = runOntocat(['files', 'obo/v1', '--json'], { root });
    expect(rowsBefore.code, rowsBefore.stderr).toBe(0);

    // Bit rot: bytes flipped in place, size and mtime as they were.
    flipBytes(stored, 1000, 16);
    touchFrom(reference, stored);
    const plan = runOntocat(['doctor', '--deep', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const body = plan.json<{ plan_id: string; findings: { kind: string; path: string; fix: string }[] }>();
    expect(body.findings).toContainEqual(expect.objectContaining({ kind: 'bitrot', path: 'obo/v1/data/ro.obo', fix: 'quarantine' }));

    // The original bytes go back, and so does the mtime: the plan's fingerprint cannot tell.
    flipBytes(stored, 1000, 16);
    touchFrom(reference, stored);
    expect(readFileSync(stored).equals(good)).toBe(true);
    const applied = runOntocat(['doctor', '--apply', body.plan_id, '--json'], { root });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(new RegExp(`Plan ${body.plan_id} is stale: obo/v1/data/ro.obo now matches the catalog \\(its bytes were put back\\)`));
    expect(applied.stderr).toMatch(/make a new plan\. Nothing was changed\./);

    // Nothing moved: the file and its object are in place, no trash, rows unchanged, no damage.
    expect(readFileSync(stored).equals(good)).toBe(true);
    expect(readFileSync(abs(object)).equals(good)).toBe(true);
    expect(trashFiles()).toEqual([]);
    const rowsAfter = runOntocat(['files', 'obo/v1', '--json'], { root });
    expect(rowsAfter.json()).toEqual(rowsBefore.json());
    const shown = runOntocat(['plan', body.plan_id, '--json'], { root });
    expect(shown.json<{ applied_at: string | null }>().applied_at).toBeNull();
    const fresh = runOntocat(['doctor', '--deep', '--json'], { root });
    expect(fresh.json<{ findings: unknown[]; damaged_versions: unknown[] }>()).toMatchObject({ findings: [], damaged_versions: [] });
  });
});

describe('every apply re-checks each action right before acting', () => {
  beforeEach(async () => {
    await withSession(async (session) => {
      await addVersion(session.catalog, { service: 'go', version: 'v1', created_at: '2026-01-01', files: { 'a.txt': 'alpha', 'b.txt': 'beta' } });
      await addVersion(session.catalog, { service: 'go', version: 'v2', created_at: '2026-02-01', latest: true, files: { 'a.txt': 'alpha two' } });
    });
  });

  it('relink: refused when the missing file reappeared', async () => {
    rmSync(abs('go/v1/data/a.txt'));
    await withSession(async (session) => {
      const plan = await session.call('doctor:plan', {});
      expect(plan.findings.map((f) => `${f.path} ${f.fix}`)).toEqual(['go/v1/data/a.txt relink_from_cas']);
      writeFileSync(abs('go/v1/data/a.txt'), 'someone else');
      const error = await refusal(session.call('doctor:apply', { plan_id: plan.plan_id }));
      expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
      expect(error.message).toMatch(/is stale: go\/v1\/data\/a.txt exists again/);
      expect(readFileSync(abs('go/v1/data/a.txt'), 'utf8')).toBe('someone else');
      expect(trashFiles()).toEqual([]);
    });
  });

  it('stray: refused when it changed, or when the catalog registered it since', async () => {
    writeFileSync(abs('go/v1/data/stray.txt'), 'stray');
    mkdirSync(abs('go/v3/data'), { recursive: true });
    writeFileSync(abs('go/v3/data/c.txt'), 'gamma');
    await withSession(async (session) => {
      const plan = await session.call('doctor:plan', {});
      expect(plan.findings.map((f) => `${f.path} ${f.kind}`).sort()).toEqual(['go/v1/data/stray.txt orphan', 'go/v3/data/c.txt orphan']);
      writeFileSync(abs('go/v1/data/stray.txt'), 'stray, and edited');
      // An ingest of go/v3 now accounts for c.txt (same bytes, put there by the ingest).
      rmSync(abs('go/v3/data/c.txt'));
      await addVersion(session.catalog, { service: 'go', version: 'v3', created_at: '2026-03-01', files: { 'c.txt': 'gamma' } });
      const error = await refusal(session.call('doctor:apply', { plan_id: plan.plan_id }));
      expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
      expect(error.message).toMatch(/go\/v1\/data\/stray.txt changed since the plan was made/);
      expect(error.message).toMatch(/go\/v3\/data\/c.txt is now registered in the catalog \(a file of go\/v3\)/);
      expect(readFileSync(abs('go/v1/data/stray.txt'), 'utf8')).toBe('stray, and edited');
      expect(readFileSync(abs('go/v3/data/c.txt'), 'utf8')).toBe('gamma');
      expect(trashFiles()).toEqual([]);
    });
  });

  it('prune: refused when a version was pinned or set latest after the plan', async () => {
    await withSession(async (session) => {
      const before = diskListing(root);
      const pinned = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      expect(pinned.removals.map((v) => v.version)).toEqual(['v1']);
      await session.call('versions:pin', { ref: 'go/v1', pinned: true });
      const error = await refusal(session.call('prune:apply', { plan_id: pinned.plan_id }));
      expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
      expect(error.message).toBe(`Plan ${pinned.plan_id} is stale: go/v1 is now pinned; make a new plan. Nothing was changed.`);
      await session.call('versions:pin', { ref: 'go/v1', pinned: false });

      const latest = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      await session.call('latest:set', { ref: 'go/v1' });
      const again = await refusal(session.call('prune:apply', { plan_id: latest.plan_id }));
      expect(isOntocatError(again, 'STALE_PLAN')).toBe(true);
      expect(again.message).toMatch(/is stale: go\/v1 is now the latest go;/);

      // Nothing moved, nothing left the catalog.
      expect((await session.call('versions:list', {})).total).toBe(2);
      expect(diskListing(root)).toEqual({ ...before, 'go/LATEST.json': diskListing(root)['go/LATEST.json'] });
      expect(trashFiles()).toEqual([]);
    });
  });

  it('prune: refused when an object it would trash is used by a version ingested since', async () => {
    await withSession(async (session) => {
      const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      expect(plan.files.map((f) => f.path)).toContain(casRelpath(sha256('beta')));
      await addVersion(session.catalog, { service: 'go', version: 'v3', created_at: '2026-03-01', files: { 'b.txt': 'beta' } });
      const error = await refusal(session.call('prune:apply', { plan_id: plan.plan_id }));
      expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
      expect(error.message).toContain(`${casRelpath(sha256('beta'))} is now used by go/v3, which the plan keeps`);
      expect(readFileSync(abs('go/v3/data/b.txt'), 'utf8')).toBe('beta');
      expect(trashFiles()).toEqual([]);
    });
  });

  it('trash restore: refused when a destination is occupied again, and nothing moves', async () => {
    await withSession(async (session) => {
      const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      await session.call('prune:apply', { plan_id: plan.plan_id });
      const inTrash = trashFiles().sort();
      const rows = await catalogDump(session.catalog);
      mkdirSync(abs('go/v1/data'), { recursive: true });
      writeFileSync(abs('go/v1/data/b.txt'), 'a new b');
      const error = await refusal(session.call('trash:restore', { plan_id: plan.plan_id }));
      expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
      expect(error.message).toMatch(/Cannot restore \S+: 'go\/v1\/data\/b.txt' exists again, and a restore never overwrites a file; move it away first/);
      expect(trashFiles().sort()).toEqual(inTrash);
      expect(readFileSync(abs('go/v1/data/b.txt'), 'utf8')).toBe('a new b');
      expect(await catalogDump(session.catalog)).toEqual(rows);
      expect(await session.call('trash:list', {})).toMatchObject([{ plan_id: plan.plan_id, status: 'trashed' }]);
      rmSync(abs('go/v1'), { recursive: true });
      await session.call('trash:restore', { plan_id: plan.plan_id });
      expect((await session.call('versions:list', {})).total).toBe(2);
    });
  });

  it.skipIf(!canMakeImmutable)('doctor: a file that cannot move while acting puts back what already moved, with a message naming it', async () => {
    writeFileSync(abs('go/v1/data/stray-1.txt'), 'one');
    writeFileSync(abs('go/v1/data/stray-2.txt'), 'two');
    await withSession(async (session) => {
      const plan = await session.call('doctor:plan', {});
      expect(plan.findings.map((f) => f.path)).toEqual(['go/v1/data/stray-1.txt', 'go/v1/data/stray-2.txt']);
      const before = diskListing(root);
      makeImmutable(abs('go/v1/data/stray-2.txt'));
      const error = await refusal(session.call('doctor:apply', { plan_id: plan.plan_id }));
      expect(isOntocatError(error, 'IO_ERROR')).toBe(true);
      expect(error.message).toBe(`Doctor plan ${plan.plan_id} stopped: could not move 'go/v1/data/stray-2.txt' to the trash: the operation is not permitted (EPERM: operation not permitted). What it had moved was put back; nothing was changed.`);
      expect(diskListing(root)).toEqual(before);
      expect(trashFiles()).toEqual([]);
      clearImmutable();
      await session.call('doctor:apply', { plan_id: plan.plan_id });
      expect(existsSync(abs('go/v1/data/stray-1.txt'))).toBe(false);
    });
  });
});
