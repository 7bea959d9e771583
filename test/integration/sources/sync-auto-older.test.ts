/**
 * Automatic promotion of a candidate older than the service's latest: a second source of the
 * service (a mirror that lags behind) brings in a release from before the latest one, with no
 * NEW ERROR finding against it. Promoting it moved the latest back in time. The releases are
 * real `@zazuko/rdf-vocabularies` ones; which is newer is what their own package.json
 * versions say (calver), served as each release's HTTP Last-Modified day.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { vocabulariesTarball } from '../../helpers/release-server.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

const served = new Map<string, { body: Buffer; lastModified: string }>();
const local = localHttpServer((req, res) => {
  const answer = served.get(new URL(req.url ?? '/', 'http://x').pathname);
  if (!answer) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': answer.body.length, 'last-modified': answer.lastModified }).end(answer.body);
});

/** A calver version (`2021.9.22`) as the HTTP date of that day. */
const dayOf = (version: string): { day: string; http: string } => {
  const [y, m, d] = version.split('.').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d, 12));
  return { day: at.toISOString().slice(0, 10), http: at.toUTCString() };
};

describe('sync: auto promotion of a release older than the latest', () => {
  const live = sessionPerTest('ontocat-auto-older');
  beforeEach(() => served.clear());
  const sync = async (id: string) => (await syncSources(live.session.catalog, { ids: [id], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
  const latest = async () => (await live.session.call('latest:get', { service: 'vocabs' }))?.version;

  it('leaves the older candidate for review; the latest stays the newer release', async () => {
    const newer = await vocabulariesTarball('rdf-vocabularies-2021');
    const older = await vocabulariesTarball('rdf-vocabularies-2020');
    const [newDay, oldDay] = [dayOf(newer.version), dayOf(older.version)];
    expect(oldDay.day < newDay.day).toBe(true);
    served.set('/upstream/vocabs.tgz', { body: newer.body, lastModified: newDay.http });
    served.set('/mirror/vocabs.tgz', { body: older.body, lastModified: oldDay.http });
    for (const id of ['upstream', 'mirror']) {
      await live.session.call('sources:save', { spec: { id, service: 'vocabs', promotion: 'auto', version_rule: 'last-modified', artifacts: [{ type: 'url', url: `${local.base}/${id}/vocabs.tgz` }] } });
    }

    expect(await sync('upstream')).toMatchObject({ status: 'changed', version: newDay.day });
    expect(await latest()).toBe(newDay.day);

    const run = await sync('mirror');
    expect(run).toMatchObject({ status: 'changed', version: oldDay.day });
    expect(run.manifest.output!.promotion).toMatchObject({ promoted: false, reason: expect.stringContaining('older than the latest') });
    expect(await latest()).toBe(newDay.day);
    expect((await live.session.call('review:list', {})).items.map((candidate) => candidate.version)).toEqual([oldDay.day]);
  }, 120_000);
});
