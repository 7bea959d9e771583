/**
 * A scheduled sync the curator cancels: that firing of the schedule is over. Sources the
 * cancelled sync had not reached yet must not start again on the scheduler's next look (a
 * minute later), only at the schedule's next firing as croner computes it; their history
 * says the check was cancelled, and the Sources page shows that next firing.
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
const local = localHttpServer((_req, res) => {
  // Slow enough that the cancel lands while the first sources are still downloading.
  setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end(edam), 300);
});

describe('scheduler: a cancelled scheduled sync', () => {
  const live = sessionPerTest('ontocat-schedule-cancel');

  it('does not start again before the schedule fires again, and runs every source at that firing', async () => {
    const schedule = '0 3 * * *';
    const ids = ['s1', 's2', 's3', 's4', 's5', 's6'];
    for (const id of ids) {
      await live.session.call('sources:save', { spec: { id, service: id, schedule, artifacts: [{ type: 'url', url: `${local.base}/${id}/edam.obo` }] } });
    }
    // Two days later: every source is due once.
    let now = new Date(Date.now() + 2 * 86_400_000);
    const clock: Clock = { now: () => now, setTimer: () => () => undefined };
    const batches: string[][] = [];
    const scheduler = new SourceScheduler(live.session.catalog, {
      clock,
      run: async (due) => {
        batches.push([...due]);
        const controller = new AbortController();
        await syncSources(live.session.catalog, {
          ids: due, trigger: 'schedule', actor: 'scheduler', clock, signal: controller.signal, concurrency: 2, fetch: { retries: 0 },
          // The curator cancels as soon as the first download is under way (once).
          onProgress: () => { if (batches.length === 1) controller.abort(); },
        }).catch(() => undefined);
      },
    });
    await scheduler.tick();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual(ids);
    // Every source's history says the check was cancelled, and the Sources page shows the
    // next run at croner's next firing, not as due now.
    const after = new Cron(schedule, { paused: true }).nextRun(now)!;
    for (const id of ids) {
      const listed = await live.session.call('sources:get', { id });
      expect(listed.last_run, id).toMatchObject({ trigger: 'schedule', status: 'cancelled' });
      expect(listed.next_run, id).toBe(after.toISOString());
    }

    // The scheduler's next look, a minute later: croner says the schedule fires next at 03:00 after the cancelled firing.
    const fired = new Cron(schedule, { paused: true }).nextRun(new Date(now.getTime() - 86_400_000))!;
    now = new Date(now.getTime() + 60_000);
    expect(new Cron(schedule, { paused: true }).nextRun(fired)!.getTime()).toBeGreaterThan(now.getTime());
    await scheduler.tick();
    expect(batches).toHaveLength(1);

    // At that next firing every source runs again, once.
    now = new Date(new Cron(schedule, { paused: true }).nextRun(now)!.getTime() + 1000);
    await scheduler.tick();
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual(ids);
    await scheduler.stop();
  }, 120_000);
});
