import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../../electron/handlers/session.js';
import { addVersion } from '../../helpers/housekeeping-fixtures.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-hk-cli'));
  const session = await openSession({ actor: 'test', root });
  await addVersion(session.catalog, { service: 'go', version: 'v1', created_at: '2026-01-01', files: { 'a.owl': 'one' } });
  await addVersion(session.catalog, { service: 'go', version: 'v2', created_at: '2026-02-01', latest: true, files: { 'a.owl': 'two', 'b.owl': 'bee' } });
  await session.close();
});
afterAll(() => cleanup());

describe('ontocat housekeeping commands', () => {
  it('doctor prints a plan id and findings as JSON, and --apply applies it', () => {
    writeFileSync(path.join(root, 'go/v2/data/stray.owl'), 'stray');
    const plan = runOntocat(['doctor', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const body = plan.json<{ plan_id: string; findings: { kind: string; path: string; bytes: number; fix: string }[] }>();
    expect(body.findings).toEqual([expect.objectContaining({ kind: 'orphan', path: 'go/v2/data/stray.owl', bytes: 5, fix: 'trash' })]);

    const applied = runOntocat(['doctor', '--apply', body.plan_id], { root });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Applied doctor-.*trash restore/s);
    expect(existsSync(path.join(root, 'go/v2/data/stray.owl'))).toBe(false);

    const again = runOntocat(['doctor', '--apply', body.plan_id], { root });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already applied/);
    const clean = runOntocat(['doctor', '--json'], { root });
    expect(clean.json<{ findings: unknown[] }>().findings).toEqual([]);
  });

  it('prune previews with reasons; usage errors exit 2', () => {
    const plan = runOntocat(['prune', '--keep-last', '1', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const body = plan.json<{ plan_id: string; removals: { version: string }[]; kept: { version: string; reasons: string[] }[]; bytes: number; large: boolean }>();
    expect(body.removals.map((v) => v.version)).toEqual(['v1']);
    expect(body.kept).toEqual([expect.objectContaining({ version: 'v2', reasons: ['latest', 'within_last_n'] })]);
    expect(body.bytes).toBe(3);
    const human = runOntocat(['prune', '--keep-last', '1'], { root });
    expect(human.stdout).toMatch(/Keep \(1 version\), newest first by release date[^\n]*:[\s\S]*go\/v2[\s\S]*the latest of its service; within the last 1 by release/);
    expect(runOntocat(['prune', '--keep-last', 'many'], { root }).code).toBe(2);
    expect(runOntocat(['prune', '--apply', 'nonsense'], { root }).code).toBe(2);
    const trash = runOntocat(['trash', 'list', '--json'], { root });
    expect(Array.isArray(trash.json())).toBe(true);
  });

  it('backup, backup list, restore and compact', () => {
    const backup = runOntocat(['backup', '--json'], { root });
    expect(backup.code, backup.stderr).toBe(0);
    const { timestamp } = backup.json<{ timestamp: string }>();
    expect(runOntocat(['backup', 'list', '--json'], { root }).json<{ timestamp: string }[]>()[0]!.timestamp).toBe(timestamp);
    const restored = runOntocat(['restore', timestamp], { root });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/versions 2 → 2, files 3 → 3[\s\S]*agrees/);
    const compact = runOntocat(['compact', '--json'], { root });
    expect(compact.code, compact.stderr).toBe(0);
    expect(compact.json<{ bytes_after: number }>().bytes_after).toBeGreaterThan(0);
  });
});
