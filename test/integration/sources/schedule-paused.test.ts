/**
 * A source paused (or removed) while a scheduled sync that holds it is under way (a long
 * batch, or a job waiting for the writer): the schedule must not check it any more, and the
 * batch's other sources still run. The server's own request log says what Ontocat fetched.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
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
  setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end(edam), 200);
});

describe('scheduler: a source paused during its scheduled batch', () => {
  const live = sessionPerTest('ontocat-schedule-paused');

  it('is not checked once paused; the others are', async () => {
    const ids = ['s1', 's2', 's3'];
    for (const id of ids) {
      await live.session.call('sources:save', { spec: { id, service: id, schedule: '0 3 * * *', artifacts: [{ type: 'url', url: `${local.base}/${id}/edam.obo` }] } });
    }
    const now = new Date(Date.now() + 2 * 86_400_000);
    const clock: Clock = { now: () => now, setTimer: () => () => undefined };
    let paused = false;
    const scheduler = new SourceScheduler(live.session.catalog, {
      clock,
      run: async (due) => {
        await syncSources(live.session.catalog, {
          ids: due, trigger: 'schedule', actor: 'scheduler', clock, concurrency: 1, fetch: { retries: 0 },
          // The curator pauses s3 while s1 is being checked.
          onProgress: (progress) => {
            if (paused || !/^s1:/.test(progress.current ?? '')) return;
            paused = true;
            void live.session.call('sources:set-enabled', { id: 's3', enabled: false });
          },
        });
      },
    });
    await scheduler.tick();
    await scheduler.stop();
    expect(paused).toBe(true);
    expect(requested).toEqual(['/s1/edam.obo', '/s2/edam.obo']);
    const s3 = await live.session.call('sources:get', { id: 's3' });
    expect(s3).toMatchObject({ enabled: false, last_run: null });
  }, 120_000);

  it('a source removed since the batch fell due is skipped; the others of the batch run', async () => {
    requested.length = 0;
    for (const id of ['s1', 's2']) {
      await live.session.call('sources:save', { spec: { id, service: id, schedule: '0 3 * * *', artifacts: [{ type: 'url', url: `${local.base}/${id}/edam.obo` }] } });
    }
    await live.session.call('sources:remove', { id: 's1' });
    const result = await syncSources(live.session.catalog, { ids: ['s1', 's2'], trigger: 'schedule', actor: 'scheduler', fetch: { retries: 0 } });
    expect(result.runs.map((run) => [run.source_id, run.status])).toEqual([['s2', 'changed']]);
    expect(requested).toEqual(['/s2/edam.obo']);
  }, 120_000);
});
