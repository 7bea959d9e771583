/**
 * A file deleted by hand shows as missing in the tree's page and in file details at once,
 * before any doctor run recorded it; the fix names the content store only when it holds
 * the bytes, and doctor's own mark takes over once a plan recorded the damage.
 */
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { describeDiskState } from '../../../electron/shared/finding-words.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { addVersion, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let session: Session;

beforeAll(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-disk-state'));
  session = await openSession({ actor: 'test', root });
  await addVersion(session.catalog, {
    service: 'go', version: 'v1',
    files: { 'a.owl': 'a', 'gone.owl': 'gone', 'no-copy.owl': 'no copy', 'sub/x.txt': 'x', 'sub/y.txt': 'y', 'linked.txt': 'l', 'keep/k.txt': 'k' },
  });
  unlinkSync(path.join(root, 'go/v1/data/gone.owl'));
  unlinkSync(path.join(root, 'go/v1/data/no-copy.owl'));
  unlinkSync(path.join(root, casRelpath(sha256('no copy'))));
  rmSync(path.join(root, 'go/v1/data/sub'), { recursive: true });
  unlinkSync(path.join(root, 'go/v1/data/linked.txt'));
  writeFileSync(path.join(root, 'outside.txt'), 'l');
  symlinkSync(path.join(root, 'outside.txt'), path.join(root, 'go/v1/data/linked.txt'));
  // A folder where the catalog has a file.
  unlinkSync(path.join(root, 'go/v1/data/a.owl'));
  mkdirSync(path.join(root, 'go/v1/data/a.owl'));
}, 60_000);
afterAll(async () => {
  await session.close();
  cleanup();
});

describe('disk state of the rows a page shows', () => {
  it('marks missing files, a missing folder, a link and a folder in a file\'s place; healthy rows stay clean', async () => {
    const page = await session.call('files:dir', { ref: 'go/v1' });
    const state = Object.fromEntries(page.items.map((entry) => [entry.name, entry.disk ?? null]));
    expect(state).toEqual({
      keep: null,
      sub: { state: 'missing', in_store: null },
      'a.owl': { state: 'not_a_file', in_store: null },
      'gone.owl': { state: 'missing', in_store: true },
      'linked.txt': { state: 'unsafe', in_store: null },
      'no-copy.owl': { state: 'missing', in_store: false },
    });
  });

  it('file details say missing with the plain-words fix, and doctor\'s mark replaces it once recorded', async () => {
    const gone = await session.call('files:get', { ref: 'go/v1', relpath: 'gone.owl' });
    expect(gone.disk).toEqual({ state: 'missing', in_store: true });
    expect(describeDiskState(gone.disk!).advice).toMatch(/run Doctor to restore it from the content store/i);
    const noCopy = await session.call('files:get', { ref: 'go/v1', relpath: 'no-copy.owl' });
    expect(describeDiskState(noCopy.disk!).advice).toMatch(/neither its version folder nor the content store/);
    expect((await session.call('files:get', { ref: 'go/v1', relpath: 'keep/k.txt' })).disk).toBeNull();

    // Doctor restores what the store holds and marks the rest damaged: the tree then shows doctor's mark.
    const plan = await session.call('doctor:plan', {});
    expect(plan.findings.map((f) => f.path)).toContain('go/v1/data/gone.owl');
    const chosen = await session.call('doctor:choose', {
      plan_id: plan.plan_id,
      without: plan.findings.filter((f) => !['go/v1/data/gone.owl', 'go/v1/data/no-copy.owl'].includes(f.path)).map((f) => f.path),
    });
    await session.call('doctor:apply', { plan_id: chosen.plan_id });
    const after = await session.call('files:dir', { ref: 'go/v1' });
    const byName = Object.fromEntries(after.items.map((entry) => [entry.name, entry]));
    expect(byName['gone.owl']!.disk).toBeNull();
    expect(byName['no-copy.owl']).toMatchObject({ damage: 'missing_file' });
    expect(byName['no-copy.owl']!.disk ?? null).toBeNull();
  });
});
