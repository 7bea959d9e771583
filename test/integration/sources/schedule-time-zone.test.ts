/**
 * A source's cron schedule fires in the time zone of the process that owns the catalog,
 * and the catalog says which: `info` (and `catalog:info`, which the Sources page shows
 * beside the schedule) names the zone, so "0 3 * * *" is not read as the curator's 03:00
 * on a team server elsewhere. The zone and the next run are checked with Python's zoneinfo
 * (the IANA database as Debian ships it), not with this project's date code.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogInfo } from '../../../electron/shared/contract/core.js';
import type { SourceSummary } from '../../../electron/shared/contract/sources.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** The wall-clock time of an instant in a zone, as Python's zoneinfo gives it: "YYYY-MM-DD HH:MM". */
function wallClock(instant: string, zone: string): string {
  const script = 'import sys; from datetime import datetime; from zoneinfo import ZoneInfo\n'
    + 'print(datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00")).astimezone(ZoneInfo(sys.argv[2])).strftime("%Y-%m-%d %H:%M"))';
  const run = spawnSync('python3', ['-c', script, instant, zone], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

describe('schedules and the owner\'s time zone', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-schedule-zone');
  });
  afterAll(() => temp.cleanup());

  it.each(['Asia/Tokyo', 'America/New_York'])('under TZ=%s, info names the zone and "0 3 * * *" next fires at 03:00 there', (zone) => {
    const root = path.join(temp.root, zone.replace('/', '-'));
    const env = { TZ: zone };
    runOntocatOk(['init'], { root, env });
    const file = path.join(temp.root, `${zone.replace('/', '-')}.json`);
    writeFileSync(file, JSON.stringify({
      schema: 'ontocat.sources/1',
      sources: [{ id: 'nightly', service: 'edam', schedule: '0 3 * * *', artifacts: [{ type: 'url', url: 'http://127.0.0.1:9/EDAM.obo' }] }],
    }));
    runOntocatOk(['sources', 'import', file], { root, env });

    const info = runOntocat(['info', '--json'], { root, env }).json<CatalogInfo>();
    expect(info.time_zone).toBe(zone);
    const human = runOntocatOk(['info'], { root, env }).stdout;
    expect(human).toMatch(new RegExp(`^timezone: ${zone} \\(source schedules run in it\\)$`, 'm'));

    const [source] = runOntocat(['sources', 'list', '--json'], { root, env }).json<SourceSummary[]>();
    const next = source!.next_run!;
    expect(wallClock(next, zone)).toMatch(/ 03:00$/);
    // The first 03:00 there after now: within the coming day.
    const ahead = new Date(next).getTime() - Date.now();
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(25 * 3_600_000);
  }, 60_000);
});
