/**
 * The prune preview's "kept because" names the day a version was ingested (when it has no
 * release date) and the day a candidate was rejected: the local day, as every date beside
 * it in the app's tables is, not UTC's. Before, both were the UTC day, a day off for a
 * curator east of UTC+10 or west of UTC-12 part of every day. Run in the two zones
 * furthest apart (at any moment at least one has another day than UTC), the day is checked
 * against GNU date in that zone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrunePlan } from '../../../electron/shared/contract/housekeeping.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** The calendar day of an instant in a zone, by GNU date. */
function gnuDay(instant: string, zone: string): string {
  const run = spawnSync('date', ['-d', instant, '+%F'], { encoding: 'utf8', env: { ...process.env, TZ: zone } });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

describe('the prune preview names local days', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-prune-day');
  });
  afterAll(() => temp.cleanup());

  it.each(['Pacific/Kiritimati', 'Etc/GMT+12'])('under TZ=%s, the ingest day of an undated version kept by --keep-last', (zone) => {
    const env = { TZ: zone };
    const root = path.join(temp.root, zone.replace(/\W/g, '-'));
    for (const version of ['alpha', 'beta']) {
      const dir = path.join(temp.root, 'src', zone.replace(/\W/g, '-'), version);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'notes.txt'), `release ${version}\n`);
      runOntocatOk(['ingest', dir, '--service', 'x', '--version', version], { root, env });
    }
    const plan = runOntocat(['prune', '--keep-last', '1', '--json'], { root, env }).json<PrunePlan>();
    const kept = plan.kept[0]!;
    expect(plan.kept).toHaveLength(1);
    const day = gnuDay(kept.created_at, zone);
    expect(kept.why.join('; ')).toContain(`ingested ${day})`);
    expect(day).not.toBe('');
  }, 60_000);
});
