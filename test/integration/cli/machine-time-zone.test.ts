/**
 * The catalog's times are the same instants whatever zone the machine runs in. DuckDB takes
 * its session zone from the machine, and `now()::TIMESTAMP` is that zone's wall time, while
 * every reader takes a TIMESTAMP for UTC: on a desktop in Los Angeles the events of an
 * ingest were stored 8 hours before it happened (22:28Z for an ingest at 06:28Z), behind the
 * version row JavaScript dated right. Outside truth: the system clock (`date -u +%s`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-machine-zone');
afterAll(() => temp.cleanup());

/** Seconds since the epoch by coreutils' date. */
const clock = (): number => Number(execFileSync('date', ['-u', '+%s'], { encoding: 'utf8' }).trim());

describe.each(['America/Los_Angeles', 'Asia/Kolkata', 'UTC'])('a machine whose zone is %s', (zone) => {
  it('records the ingest\'s events at the instant they happened, as the version row and the clock say', () => {
    const root = path.join(temp.root, zone.replace('/', '-'));
    const src = path.join(temp.root, `src-${zone.replace('/', '-')}`);
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'a.nt'), '<http://example.org/a> <http://example.org/b> "c" .\n');
    const env = { TZ: zone };
    const before = clock();
    for (const args of [['init'], ['ingest', src, '--service', 's', '--version', '1']]) {
      const run = runOntocat(args, { root, env });
      expect(run.code, run.stderr).toBe(0);
    }
    const after = clock();
    const events = runOntocat(['events', '--json', '--limit', '20'], { root, env }).json<{ ts: string; type: string }[]>();
    const [version] = runOntocat(['versions', '--json'], { root, env }).json<{ created_at: string }[]>();
    const seconds = (iso: string): number => Date.parse(iso) / 1000;
    for (const event of events) {
      expect(seconds(event.ts), `${event.type} at ${event.ts}`).toBeGreaterThanOrEqual(before - 1);
      expect(seconds(event.ts), `${event.type} at ${event.ts}`).toBeLessThanOrEqual(after + 1);
    }
    expect(Math.abs(seconds(events.find((event) => event.type === 'version.created')!.ts) - seconds(version!.created_at))).toBeLessThan(5);
  }, 120_000);
});
