/**
 * The Review queue's order: candidates by service, then by their release order, newest
 * first, as every other version list reads, whatever order sync found them in. Real EDAM
 * releases (vendored) served on 127.0.0.1 and brought in out of order (a backfill); the
 * order of their OBO `date:` headers by GNU date is the reference.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { edamRelease, release, ReleaseServer } from '../../helpers/release-server.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const server = new ReleaseServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

/** Seconds since the epoch of a release's OBO `date:` header (dd:MM:yyyy HH:mm), by GNU date. */
function headerEpoch(file: string): number {
  const stated = /^date:\s*(\d\d):(\d\d):(\d{4}) (\d\d:\d\d)/m.exec(readFileSync(path.join(projectRoot, 'test', 'fixtures', 'edam', file), 'utf8'))!;
  return Number(execFileSync('date', ['-u', '-d', `${stated[3]}-${stated[2]}-${stated[1]} ${stated[4]} UTC`, '+%s'], { encoding: 'utf8' }).trim());
}

describe('the Review queue', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-review-order');
    session = await openSession({ root: temp.root, actor: 'test' });
    server.current.clear();
  });
  afterEach(async () => {
    await session.close();
    temp.cleanup();
  });

  it('lists candidates by service, then release order newest first, not in the order sync found them', async () => {
    await session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }] } });
    await session.call('sources:save', { spec: { id: 'edam-beta', service: 'edam-beta', artifacts: [{ type: 'url', url: `${server.base}/beta.obo` }] } });
    // Arrival: the newest 1.2 first, then a backfill of the older releases, the two services interleaved.
    const arrivals: [string, string, string][] = [
      ['edam', '/edam.obo', 'EDAM_1.2.obo'], ['edam-beta', '/beta.obo', 'EDAM_beta10.obo'],
      ['edam', '/edam.obo', 'EDAM_1.0.obo'], ['edam', '/edam.obo', 'EDAM_1.1.obo'], ['edam-beta', '/beta.obo', 'EDAM_beta08.obo'],
    ];
    const versionOf = new Map<string, string>();
    for (const [id, at, file] of arrivals) {
      server.current.set(at, release(edamRelease(file), 'Mon, 01 Jan 2024 00:00:00 GMT'));
      const run = (await syncSources(session.catalog, { ids: [id], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
      expect(run, file).toMatchObject({ status: 'changed' });
      versionOf.set(file, `${id}/${run.version!}`);
    }
    // Outside truth: by service name, then each release's own date, newest first.
    const expected = arrivals
      .map(([id, , file]) => ({ id, file, at: headerEpoch(file) }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : b.at - a.at))
      .map((entry) => versionOf.get(entry.file)!);
    expect(expected).toEqual(['edam/1.2', 'edam/1.1', 'edam/1.0', 'edam-beta/Beta10', 'edam-beta/Beta08']);

    const queue = async () => (await session.call('review:list', {})).items.map((c) => `${c.service}/${c.version}`);
    expect(await queue()).toEqual(expected);
    // The versions list agrees on each service's order.
    for (const service of ['edam', 'edam-beta']) {
      const listed = (await session.call('versions:list', { service })).items.map((v) => `${service}/${v.version}`);
      expect(listed).toEqual(expected.filter((ref) => ref.startsWith(`${service}/`)));
    }
    // The CLI shows the same order, in --json and in its table.
    await session.close();
    const json = runOntocat(['review', 'list', '--json'], { root: temp.root });
    expect(json.code).toBe(0);
    expect(json.json<{ items: { service: string; version: string }[]; total: number }>().items.map((c) => `${c.service}/${c.version}`)).toEqual(expected);
    const table = runOntocat(['review', 'list'], { root: temp.root });
    expect(table.stdout.split('\n').slice(2).filter(Boolean).map((line) => line.split(/\s+/)[0])).toEqual(expected);
    session = await openSession({ root: temp.root, actor: 'test' });

    // A decided candidate keeps its place among all of them.
    await session.call('review:reject', { ref: 'edam/1.1', reason: 'superseded' });
    expect(await queue()).toEqual(expected.filter((ref) => ref !== 'edam/1.1'));
    expect((await session.call('review:list', { state: 'all' })).items.map((c) => `${c.service}/${c.version}`)).toEqual(expected);
  }, 180_000);
});
