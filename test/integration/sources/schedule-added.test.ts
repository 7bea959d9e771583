/**
 * A schedule added to a source that has existed for days (or a schedule changed): the
 * firings before that moment were never the source's to run. The source must not run at
 * once; it runs first at the schedule's first firing after it was set, as croner computes it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../electron/sources/clock.js';
import { SourceScheduler } from '../../../electron/sources/scheduler.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

const edam = readFileSync(path.join(projectRoot, 'test', 'fixtures', 'edam', 'EDAM_1.0.obo'));
const requested: string[] = [];
const local = localHttpServer((req, res) => {
  requested.push(new URL(req.url ?? '/', 'http://x').pathname);
  res.writeHead(200, { 'content-type': 'text/plain' }).end(edam);
});

describe('scheduler: a schedule added to an existing source', () => {
  const live = sessionPerTest('ontocat-schedule-added');

  it('fires first at croner\'s first firing after the schedule was set, not at once', async () => {
    const schedule = '0 3 * * *';
    const spec = { id: 'edam', service: 'edam', artifacts: [{ type: 'url' as const, url: `${local.base}/edam.obo` }] };
    await live.session.call('sources:save', { spec });
    // The source was saved (without a schedule) three days ago.
    await live.session.catalog.write((tx) => tx.run("UPDATE sources SET created_at = created_at - INTERVAL 3 DAY, updated_at = updated_at - INTERVAL 3 DAY WHERE source_id = 'edam'"));

    const before = new Date();
    await live.session.call('sources:save', { spec: { ...spec, schedule } });
    const after = new Date();
    // croner's first firing after the moment the schedule was set (either end of the save).
    const expected = [before, after].map((at) => new Cron(schedule, { paused: true }).nextRun(at)!.toISOString());
    const listed = await live.session.call('sources:get', { id: 'edam' });
    expect(expected).toContain(listed.next_run);

    let now = new Date(after.getTime() + 1000);
    const clock: Clock = { now: () => now, setTimer: () => () => undefined };
    const ran: string[][] = [];
    const scheduler = new SourceScheduler(live.session.catalog, {
      clock,
      run: async (ids) => { ran.push([...ids]); await syncSources(live.session.catalog, { ids, trigger: 'schedule', actor: 'scheduler', clock, fetch: { retries: 0 } }); },
    });
    await scheduler.tick();
    expect(ran).toEqual([]);
    expect(requested).toEqual([]);

    // At croner's firing it runs, once.
    now = new Date(new Date(listed.next_run!).getTime() + 1000);
    await scheduler.tick();
    await scheduler.stop();
    expect(ran).toEqual([['edam']]);
    expect(requested).toEqual(['/edam.obo']);
    const ranListed = await live.session.call('sources:get', { id: 'edam' });
    expect(ranListed.next_run).toBe(new Cron(schedule, { paused: true }).nextRun(now)!.toISOString());
  }, 120_000);
});
