/**
 * A catalog restored from a backup lists plans that were retired after that backup (their
 * bodies deleted since). 'ontocat plan ID' used to refuse them outright ('The body of plan …
 * is gone … make a new plan', exit 1), hiding the row the catalog has, whether it was
 * applied, and that its trash entry still works. It now shows the plan with its body
 * unavailable and why; 'trash restore' of such a plan works from the entry itself, or says
 * why not. Files are compared with coreutils' sha256sum.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlanRecord, TrashEntry } from '../../../electron/shared/contract/housekeeping.js';
import { addVersion, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { sha256sumOf } from '../../helpers/sync-fixtures.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';
import path from 'node:path';

let root: string;
let cleanup: () => void;
const withSession = sessionOn(() => root);
beforeEach(() => { ({ root, cleanup } = makeTempRoot('ontocat-retired-plans')); });
afterEach(() => cleanup());

const content = (version: string): string => `release ${version}\n`;

describe('a restored catalog listing plans retired since its backup', () => {
  it('shows them with their body unavailable and why, and their trash entries restore or say why not', async () => {
    const { before, after, stamp } = await withSession(async (session) => {
      for (const v of ['1', '2', '3', '4']) {
        await addVersion(session.catalog, { service: 'svc', version: v, created_at: `202${v}-01-01T00:00:00Z`, files: { [`f${v}.txt`]: content(v) } });
      }
      await session.call('latest:set', { ref: 'svc/4' });
      // Applied before the backup: svc/1 to the trash.
      const first = await session.call('prune:plan', { service: 'svc', keep_last: 3 });
      await session.call('prune:apply', { plan_id: first.plan_id });
      // Made before the backup, applied after it: svc/2 to the trash.
      const second = await session.call('prune:plan', { service: 'svc', keep_last: 2 });
      const backup = await session.call('backup:create', {});
      await session.call('prune:apply', { plan_id: second.plan_id });
      // Ten newer prune plans: the two above are retired at the next doctor scan.
      for (let i = 0; i < 10; i++) await session.call('prune:plan', { service: 'svc', keep_last: 1 });
      await session.call('doctor:plan', {});
      return { before: first.plan_id, after: second.plan_id, stamp: backup.timestamp };
    });
    const restore = runOntocat(['restore', stamp], { root });
    expect(restore.code, restore.stderr).toBe(0);

    // Applied before the backup: shown as applied, its body unavailable, saying why.
    const shown = runOntocat(['plan', before], { root });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`plan: +${before}`));
    expect(shown.stdout).toMatch(/applied: +\d{4}-/);
    expect(shown.stdout).toMatch(new RegExp(`body: +unavailable\\. The plan was retired and its body deleted .*restored from backup ${stamp}, made before that`));
    expect(shown.stdout).toMatch(new RegExp(`'ontocat trash restore ${before}'`));
    const json = runOntocat(['plan', before, '--json'], { root }).json<PlanRecord>();
    expect(json).toMatchObject({ plan_id: before, kind: 'prune', body: null });
    expect(json.applied_at).not.toBeNull();

    // Applied after the backup: the restored catalog says unapplied; the plan says it was, and cannot be applied again.
    const later = runOntocat(['plan', after], { root });
    expect(later.code, later.stderr).toBe(0);
    expect(later.stdout).toMatch(/applied: +no/);
    expect(later.stdout).toMatch(/does not record it as applied, but it was: its trash entry holds what it moved.*cannot be restored while this catalog lists what it removed; 'ontocat doctor'/);
    const apply = runOntocat(['prune', '--apply', after], { root });
    expect(apply.code).not.toBe(0);
    expect(apply.stderr).toMatch(/body of plan .* is gone/);

    const trash = runOntocat(['trash', 'list', '--json'], { root }).json<TrashEntry[]>();
    expect(trash.map((entry) => [entry.plan_id, entry.status, entry.versions])).toEqual([[before, 'trashed', ['svc/1']], [after, 'trashed', ['svc/2']]].sort());

    // The first entry restores from itself; the second's version is in the restored catalog again, which it says.
    const back = runOntocat(['trash', 'restore', before], { root });
    expect(back.code, back.stderr).toBe(0);
    expect(sha256sumOf(path.join(root, 'svc', '1', 'data', 'f1.txt'))).toBe(sha256(content('1')));
    const refused = runOntocat(['trash', 'restore', after], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/svc\/2 is in the catalog again .*'ontocat doctor' puts its files back from this trash/);
    const versions = runOntocat(['versions', '--service', 'svc', '--json'], { root }).json<{ version: string }[]>();
    expect(versions.map((v) => v.version).sort()).toEqual(['1', '2', '3', '4']);
  }, 300_000);
});
