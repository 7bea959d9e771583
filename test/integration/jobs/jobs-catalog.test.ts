import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertVersion } from '../../../electron/catalog/write-records.js';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import type { EventMap, JobInfo } from '../../../electron/shared/contract.js';
import { OntocatError } from '../../../electron/shared/errors.js';
import { catalogFingerprint, seedSmallCatalog } from '../../helpers/small-catalog.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

describe('jobs over a real catalog', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;

  beforeEach(async () => {
    temp = makeTempRoot('ontocat-jobs');
    session = await openSession({ actor: 'test', root: temp.root, threads: 1 });
    await seedSmallCatalog(session.catalog);
  });
  afterEach(async () => {
    await session.close();
    temp.cleanup();
  });

  /** A long writer job: one transaction inserting versions one by one until told to stop. */
  function startBulkWrite(count: number): { id: string; written: () => number } {
    let written = 0;
    const id = session.jobs.start('bulk-versions', ({ signal, onProgress }) => session.catalog.write(async (tx) => {
      for (let i = 0; i < count; i += 1) {
        if (signal.aborted) throw new OntocatError('CANCELLED', 'Cancelled.');
        await upsertVersion(tx, { service: 'bulk', version: `v${i}` });
        written += 1;
        onProgress({ done: i + 1, total: count, bytes: 0, current: `bulk/v${i}` });
        await tick();
      }
      return { written: count };
    }));
    return { id, written: () => written };
  }

  it('cancelling a job that writes in one transaction rolls every row and event back', async () => {
    const before = await catalogFingerprint(session.catalog);
    const events: EventMap['job:progress'][] = [];
    session.on('job:progress', (payload) => events.push(payload));
    const job = startBulkWrite(100_000);
    await expect.poll(() => job.written() >= 20, { timeout: 10_000 }).toBe(true);

    const cancelled = await session.invoke('jobs:cancel', { job_id: job.id });
    expect(cancelled.ok).toBe(true);
    const final = await session.jobs.wait(job.id);
    expect(final.state).toBe('cancelled');
    expect(job.written()).toBeLessThan(100_000);
    expect(await catalogFingerprint(session.catalog)).toBe(before);
    expect(events.at(-1)).toMatchObject({ job_id: job.id, state: 'cancelled' });
    const dones = events.map((e) => e.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });

  it('a finished job committed its rows, and jobs:get / jobs:list report it', async () => {
    const job = startBulkWrite(5);
    await session.jobs.wait(job.id);
    const got = await session.invoke('jobs:get', { job_id: job.id });
    expect(got).toMatchObject({ ok: true, data: { state: 'done', result: { written: 5 }, done: 5, total: 5 } });
    const listed = await session.invoke('jobs:list', {});
    expect(listed.ok && (listed.data as JobInfo[]).map((j) => j.job_id)).toEqual([job.id]);
    const versions = await session.call('versions:list', { service: 'bulk' });
    expect(versions.total).toBe(5);
  });

  it('reads stay answered while a writer job holds the queue', async () => {
    const job = startBulkWrite(100_000);
    await expect.poll(() => job.written() >= 5, { timeout: 10_000 }).toBe(true);
    const info = await session.call('catalog:info', {});
    expect(info.versions).toBe(3); // the job's rows are not committed yet
    expect(session.jobs.get(job.id).state).toBe('running');
    session.jobs.cancel(job.id);
    await session.jobs.wait(job.id);
  });

  it('jobs:get and jobs:cancel answer NOT_FOUND for an unknown id and BAD_INPUT for junk', async () => {
    const unknown = await session.invoke('jobs:get', { job_id: 'job-00000000-0000-0000-0000-000000000000' });
    expect(unknown).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const junk = await session.invoke('jobs:cancel', { job_id: '../../etc/passwd' });
    expect(junk).toMatchObject({ ok: false, code: 'BAD_INPUT' });
  });

  it('closing the session cancels a running job, rolls it back and releases the catalog', async () => {
    const root = temp.root;
    const job = startBulkWrite(100_000);
    await expect.poll(() => job.written() >= 5, { timeout: 10_000 }).toBe(true);
    await session.close();
    session = await openSession({ actor: 'test', root, threads: 1 });
    const versions = await session.call('versions:list', { service: 'bulk' });
    expect(versions.total).toBe(0);
  });
});
