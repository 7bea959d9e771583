import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { estimateEtaMs } from '../../../electron/jobs/eta.js';
import { JobRunner, withCallRequest, withCallSignal, type JobControl } from '../../../electron/jobs/job-runner.js';
import { Throttle } from '../../../electron/jobs/throttle.js';
import type { EventMap } from '../../../electron/shared/contract.js';
import { OntocatError } from '../../../electron/shared/errors.js';

type ProgressEvent = EventMap['job:progress'];

function makeRunner(throttleMs = 100): { runner: JobRunner; events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  return { runner: new JobRunner({ emit: (payload) => events.push(payload), throttleMs }), events };
}

/** Work that counts to `total`, yielding to the event loop between steps and honouring cancel. */
function counting(total: number, seen?: number[]) {
  return async ({ signal, onProgress }: JobControl): Promise<{ counted: number }> => {
    for (let i = 1; i <= total; i += 1) {
      if (signal.aborted) throw new OntocatError('CANCELLED', 'stopped');
      seen?.push(i);
      onProgress({ done: i, total, bytes: i * 10, current: `item-${i}` });
      await tick();
    }
    return { counted: total };
  };
}

/** A promise with its resolve function, to hold a job open until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

describe('JobRunner', () => {
  it('runs work to done, pushes progress in order and ends with the final state', async () => {
    const { runner, events } = makeRunner(0);
    const id = runner.start('count', counting(50));
    const final = await runner.wait(id);
    expect(final.state).toBe('done');
    expect(final.result).toEqual({ counted: 50 });
    expect(final.done).toBe(50);
    expect(final.eta_ms).toBe(0);
    const dones = events.map((e) => e.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(events.every((e) => e.job_id === id && e.kind === 'count')).toBe(true);
    expect(events.at(-1)).toMatchObject({ state: 'done', done: 50, total: 50, bytes: 500 });
    expect(events.slice(0, -1).every((e) => e.state === 'running')).toBe(true);
  });

  it('throttles a burst of progress to a few pushes but always delivers the final state', async () => {
    const { runner, events } = makeRunner(100);
    const id = runner.start('burst', async ({ onProgress }) => {
      for (let i = 1; i <= 10_000; i += 1) onProgress({ done: i, total: 10_000, bytes: 0, current: null });
      return 'ok';
    });
    await runner.wait(id);
    // Start, first progress, final: a synchronous burst cannot produce 10 000 pushes.
    expect(events.length).toBeLessThan(10);
    expect(events.at(-1)).toMatchObject({ state: 'done', done: 10_000 });
  });

  it('pushes every phase change at once with its name, even inside a throttled burst', async () => {
    const { runner, events } = makeRunner(10_000);
    const phases = ['check', 'copy', 'link', 'record', 'validate'];
    const id = runner.start('ingest', async ({ onProgress }) => {
      for (const phase of phases) for (let i = 0; i <= 100; i += 1) onProgress({ done: i, total: 100, bytes: 0, current: null, phase });
      return 'ok';
    });
    await runner.wait(id);
    // The start push has no phase yet; then each phase in order.
    const seen = events.filter((e) => e.state === 'running' && e.phase !== null).map((e) => e.phase);
    expect([...new Set(seen)]).toEqual(phases);
    // Each phase arrives with its first count, so a reset to 0 always comes with its name.
    for (const phase of phases) expect(events.find((e) => e.phase === phase)?.done).toBe(0);
    expect(events.at(-1)).toMatchObject({ state: 'done', phase: 'validate', done: 100 });
  });

  it('delivers the last progress before a pause through the trailing push', async () => {
    const { runner, events } = makeRunner(30);
    const hold = gate();
    const id = runner.start('pause', async ({ onProgress }) => {
      onProgress({ done: 1, total: 3, bytes: 0, current: 'a' });
      onProgress({ done: 2, total: 3, bytes: 0, current: 'b' });
      await hold.promise;
      return null;
    });
    await expect.poll(() => events.some((e) => e.done === 2 && e.state === 'running'), { timeout: 2000 }).toBe(true);
    hold.open();
    await runner.wait(id);
    expect(events.at(-1)?.state).toBe('done');
  });

  it('runs writer jobs one at a time in order while non-exclusive jobs start at once', async () => {
    const { runner } = makeRunner(0);
    const first = gate();
    const order: string[] = [];
    const a = runner.start('write-a', async () => { order.push('a-start'); await first.promise; order.push('a-end'); });
    const b = runner.start('write-b', async () => { order.push('b'); });
    const r = runner.start('read', async () => { order.push('read'); }, { exclusive: false });
    await runner.wait(r);
    expect(runner.get(a).state).toBe('running');
    expect(runner.get(b).state).toBe('queued');
    expect(runner.get(r).state).toBe('done');
    first.open();
    await runner.wait(b);
    expect(order).toEqual(['a-start', 'read', 'a-end', 'b']);
    expect(runner.list().map((j) => j.job_id)).toEqual([r, b, a]);
  });

  it("marks each job's pushes with the request id of the call that started it, and null without one", async () => {
    const { runner, events } = makeRunner(0);
    const stop = new AbortController();
    // Two callers at once, one of them also with a signal (a CLI client of the owner), and one without an id.
    const mine = withCallSignal(stop.signal, () => withCallRequest('req-mine-0001', () => runner.start('verify', counting(3), { exclusive: false })));
    const theirs = withCallRequest('req-theirs-01', () => runner.start('verify', counting(3), { exclusive: false }));
    const anonymous = runner.start('verify', counting(3), { exclusive: false });
    await Promise.all([runner.wait(mine), runner.wait(theirs), runner.wait(anonymous)]);
    const requestOf = new Map(events.map((event) => [event.job_id, event.request_id]));
    expect([requestOf.get(mine), requestOf.get(theirs), requestOf.get(anonymous)]).toEqual(['req-mine-0001', 'req-theirs-01', null]);
    expect(events.every((event) => event.request_id === requestOf.get(event.job_id))).toBe(true);
    // The request id does not take the place of the call's signal: aborting it still cancels.
    const held = gate();
    const cancelled = withCallSignal(stop.signal, () => withCallRequest('req-mine-0002', () => runner.start('verify', async ({ signal }) => {
      await held.promise;
      if (signal.aborted) throw new OntocatError('CANCELLED', 'stopped');
    }, { exclusive: false })));
    await tick();
    stop.abort();
    held.open();
    expect((await runner.wait(cancelled)).state).toBe('cancelled');
  });

  it('cancels a running job: its work stops and the last push says cancelled', async () => {
    const { runner, events } = makeRunner(0);
    const seen: number[] = [];
    const id = runner.start('long', counting(1_000_000, seen));
    await expect.poll(() => seen.length > 5, { timeout: 2000 }).toBe(true);
    expect(runner.cancel(id).job_id).toBe(id);
    const final = await runner.wait(id);
    expect(final.state).toBe('cancelled');
    expect(final.error).toBeNull();
    const stoppedAt = seen.length;
    await tick();
    expect(seen.length).toBe(stoppedAt);
    expect(stoppedAt).toBeLessThan(1_000_000);
    expect(events.at(-1)).toMatchObject({ job_id: id, state: 'cancelled' });
  });

  it('cancels a queued job before it ever runs', async () => {
    const { runner } = makeRunner(0);
    const hold = gate();
    const a = runner.start('a', async () => { await hold.promise; });
    let ran = false;
    const b = runner.start('b', async () => { ran = true; });
    expect(runner.cancel(b).state).toBe('cancelled');
    hold.open();
    await runner.wait(a);
    await runner.wait(b);
    expect(ran).toBe(false);
    expect(runner.get(b).state).toBe('cancelled');
  });

  it('records a failure with its code and message, and the next writer job still runs', async () => {
    const { runner, events } = makeRunner(0);
    const bad = runner.start('bad', async () => { throw new OntocatError('NOT_FOUND', 'Unknown version go/9.'); });
    const good = runner.start('good', async () => 42);
    expect(await runner.wait(bad)).toMatchObject({ state: 'failed', error: { code: 'NOT_FOUND', message: 'Unknown version go/9.' } });
    expect(await runner.wait(good)).toMatchObject({ state: 'done', result: 42 });
    expect(events.find((e) => e.job_id === bad && e.state === 'failed')?.message).toBe('Unknown version go/9.');
  });

  it('answers NOT_FOUND for an unknown job and refuses new jobs after shutdown', async () => {
    const { runner } = makeRunner(0);
    expect(() => runner.get('job-00000000-0000-0000-0000-000000000000')).toThrow(/No job/);
    const seen: number[] = [];
    const id = runner.start('long', counting(1_000_000, seen));
    await expect.poll(() => seen.length > 0, { timeout: 2000 }).toBe(true);
    await runner.shutdown();
    expect(runner.get(id).state).toBe('cancelled');
    expect(() => runner.start('late', async () => null)).toThrow(/closing/);
  });

  it('shutdown gives up on a job that ignores its cancel, so a server can still stop', async () => {
    const { runner } = makeRunner(0);
    const held = gate();
    const stuck = runner.start('stuck-decoder', async () => { await held.promise; return null; });
    const polite = runner.start('polite', counting(1_000_000), { exclusive: false });
    await expect.poll(() => runner.get(stuck).state).toBe('running');
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => { errors.push(args.join(' ')); };
    try {
      expect(await runner.shutdown(200)).toEqual(['stuck-decoder']);
    } finally {
      console.error = original;
    }
    expect(runner.get(polite).state).toBe('cancelled');
    expect(String(errors[0])).toMatch(/gave up waiting for 1 cancelled job to stop: stuck-decoder/);
    held.open();
  });

  it('forgets the oldest finished jobs beyond the limit', async () => {
    const runner = new JobRunner({ emit: () => undefined, keepFinished: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(runner.start('n', async () => i));
    await runner.wait(ids.at(-1)!);
    expect(runner.list().map((j) => j.job_id)).toEqual(ids.slice(3).reverse());
  });
});

describe('estimateEtaMs', () => {
  it('extrapolates the rate so far and stays null without a basis', () => {
    expect(estimateEtaMs(25, 100, 1000)).toBe(3000);
    expect(estimateEtaMs(100, 100, 1000)).toBe(0);
    expect(estimateEtaMs(0, 100, 1000)).toBeNull();
    expect(estimateEtaMs(10, null, 1000)).toBeNull();
    expect(estimateEtaMs(10, 100, 10)).toBeNull();
  });
});

describe('Throttle', () => {
  it('fires at most once per interval on a fake clock, with one trailing push', async () => {
    let now = 0;
    let fired = 0;
    const throttle = new Throttle(100, () => { fired += 1; }, () => now);
    throttle.request();
    throttle.request();
    throttle.request();
    expect(fired).toBe(1);
    now = 150;
    throttle.request();
    expect(fired).toBe(2);
    throttle.flush();
    expect(fired).toBe(3);
  });
});
