/**
 * A doctor apply killed right after its commit (or out of room for its manifest's last
 * write) leaves its trash entry's manifest 'moving'; it reads as trashed while the catalog
 * says the plan was applied. 'ontocat restore' of a backup from before the plan used to
 * lose that: the entry listed as 'moving', 'trash restore' refused it as never applied,
 * and doctor offered to roll it back, putting back the stray files the user had it remove.
 * GNU find says where the strays are; coreutils sha256sum checks the one restored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TrashEntry } from '../../../electron/shared/contract/housekeeping.js';
import { addVersion, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { sha256sumOf } from '../../helpers/sync-fixtures.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
const withSession = sessionOn(() => root);
beforeEach(() => { ({ root, cleanup } = makeTempRoot('ontocat-restore-doctor')); });
afterEach(() => cleanup());

/** Every file named `name` under the root, by GNU find, relative to it. */
const findNamed = (name: string): string[] =>
  execFileSync('find', ['.', '-name', name, '-type', 'f'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean).map((line) => line.replace(/^\.\//, '')).sort();

/** Plans doctor with one stray in place, and applies it, killed right after its commit. */
function strayTrashedByKilledApply(name: string): string {
  writeFileSync(path.join(root, 'svc', '1', 'data', name), `${name}\n`);
  const plan = runOntocatOk(['doctor', '--json'], { root }).json<{ plan_id: string; findings: { path: string; fix: string }[] }>();
  expect(plan.findings.map((item) => `${item.path} ${item.fix}`)).toEqual([`svc/1/data/${name} trash`]);
  const killed = runOntocat(['doctor', '--apply', plan.plan_id], { root, env: { ONTOCAT_CRASH_AT: 'doctor.after-commit' } });
  expect(killed.code).not.toBe(0);
  return plan.plan_id;
}

describe('restoring a catalog backup from before a doctor plan whose apply was killed after its commit', () => {
  it('lists its trash entry as trashed, doctor does not put the strays back, and the entry restores and empties', async () => {
    const stamp = await withSession(async (session) => {
      await addVersion(session.catalog, { service: 'svc', version: '1', created_at: '2021-01-01T00:00:00Z', files: { 'f.txt': 'one\n' } });
      return (await session.call('backup:create', {})).timestamp;
    });
    const first = strayTrashedByKilledApply('stray-a.txt');
    const second = strayTrashedByKilledApply('stray-b.txt');
    expect(findNamed('stray-*.txt')).toEqual([`.trash/${first}/files/svc/1/data/stray-a.txt`, `.trash/${second}/files/svc/1/data/stray-b.txt`]);

    const restored = runOntocat(['restore', stamp], { root });
    expect(restored.code, restored.stderr).toBe(0);

    const listed = runOntocatOk(['trash', 'list', '--json'], { root }).json<TrashEntry[]>();
    expect(listed.map((entry) => [entry.plan_id, entry.status])).toEqual([[first, 'trashed'], [second, 'trashed']]);
    const doctor = runOntocatOk(['doctor', '--json'], { root }).json<{ findings: { kind: string; path: string; fix: string }[] }>();
    expect(doctor.findings.map((item) => `${item.kind} ${item.path} ${item.fix}`)).toEqual([]);
    expect(findNamed('stray-*.txt')).toEqual([`.trash/${first}/files/svc/1/data/stray-a.txt`, `.trash/${second}/files/svc/1/data/stray-b.txt`]);

    const back = runOntocat(['trash', 'restore', first], { root });
    expect(back.code, back.stderr).toBe(0);
    expect(sha256sumOf(path.join(root, 'svc', '1', 'data', 'stray-a.txt'))).toBe(sha256('stray-a.txt\n'));
    const emptied = runOntocat(['trash', 'empty', '--plan', second], { root });
    expect(emptied.code, emptied.stderr).toBe(0);
    expect(findNamed('stray-*.txt')).toEqual(['svc/1/data/stray-a.txt']);
  }, 300_000);
});
