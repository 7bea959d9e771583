/**
 * A release's file cut short on disk (EDAM 1.2's OBO truncated to half, as a partial copy
 * leaves it) goes to the trash with `doctor --apply`. The doctor plan, the apply's "Moved …"
 * and the trash entry's size all gave the catalogued size, the bytes the file no longer
 * holds, not those that moved. The reference is GNU stat's %s of the file where it lies,
 * before the apply and in the trash after.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** The size GNU stat gives a file. */
function statSize(file: string): number {
  const run = spawnSync('stat', ['-c', '%s', file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return Number(run.stdout.trim());
}

describe('doctor: a file cut short goes to the trash with the size it has', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let onDisk: number;
  let catalogued: number;
  const relpath = 'edam/1.2/data/EDAM.obo';
  beforeAll(() => {
    temp = makeTempRoot('ontocat-doctor-trashed-size');
    root = path.join(temp.root, 'root');
    const source = path.join(temp.root, 'edam-1.2');
    mkdirSync(source);
    copyFileSync(path.join(projectRoot, 'test/fixtures/edam/EDAM_1.2.obo'), path.join(source, 'EDAM.obo'));
    const ingested = runOntocat(['ingest', source, '--service', 'edam', '--version', '1.2'], { root });
    expect(ingested.code, ingested.stderr).toBe(0);
    const file = path.join(root, relpath);
    catalogued = statSize(file);
    // Cut to half in place (the content store object is the same inode, so it is cut too).
    const cut = spawnSync('truncate', ['-s', String(Math.floor(catalogued / 2)), file], { encoding: 'utf8' });
    expect(cut.status, cut.stderr).toBe(0);
    onDisk = statSize(file);
    expect(onDisk).toBeLessThan(catalogued);
  }, 120_000);
  afterAll(() => temp.cleanup());

  it('the plan, the apply and the trash entry give the bytes that moved', () => {
    const plan = runOntocat(['doctor', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const body = plan.json<{ plan_id: string; findings: { path: string; bytes: number; fix: string }[] }>();
    const moving = body.findings.filter((item) => ['restore_from_cas', 'quarantine', 'trash', 'restore_object'].includes(item.fix));
    expect(moving.map((item) => item.path).sort()).toContain(relpath);
    const sizes = Object.fromEntries(moving.map((item) => [item.path, statSize(path.join(root, item.path))]));
    expect(sizes[relpath]).toBe(onDisk);
    expect(Object.fromEntries(moving.map((item) => [item.path, item.bytes]))).toEqual(sizes);

    const applied = runOntocat(['doctor', '--apply', body.plan_id, '--json'], { root });
    expect(applied.code, applied.stderr).toBe(0);
    const total = Object.values(sizes).reduce((sum, n) => sum + n, 0);
    expect(applied.json<{ bytes: number }>().bytes).toBe(total);
    const inTrash = Object.keys(sizes).map((item) => statSize(path.join(root, '.trash', body.plan_id, 'files', item)));
    expect(inTrash.reduce((sum, n) => sum + n, 0)).toBe(total);
    const entry = runOntocat(['trash', 'list', '--json'], { root }).json<{ plan_id: string; bytes: number }[]>().find((item) => item.plan_id === body.plan_id);
    expect(entry?.bytes).toBe(total);
  }, 120_000);
});
