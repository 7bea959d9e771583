/**
 * The version and release date a source's release gets from its HTTP Last-Modified, read
 * by the grammar of RFC 9110 §5.6.7 (the outside reference): its three example forms of
 * one instant name the same day and date; a header that is no HTTP date, or that lies in
 * the future, is no evidence (RFC 9110 §8.8.2.1), so the release falls to the retrieval day.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import type { Clock } from '../../../electron/sources/clock.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** An OBO file that states no version of its own: only Last-Modified or the day can name it. */
const body = Buffer.from('format-version: 1.2\nontology: x\n\n[Term]\nid: X:0000001\nname: thing\n');
const headers = new Map<string, string>();
const local = localHttpServer((req, res) => {
  const lastModified = headers.get(new URL(req.url ?? '/', 'http://x').pathname);
  if (lastModified === undefined) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'last-modified': lastModified, 'content-length': body.length, 'content-type': 'text/plain' }).end(body);
});

const retrieved = new Date('2026-03-01T12:00:00Z');
const clock: Clock = { now: () => retrieved, setTimer: () => () => undefined };

describe('sync: the version and release date from Last-Modified', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-last-modified');
    session = await openSession({ root: temp.root, actor: 'test' });
    headers.clear();
  });
  afterEach(async () => {
    await session.close();
    temp.cleanup();
  });

  /** Syncs one source whose server sends `lastModified`; what the catalog recorded. */
  const syncWith = async (id: string, lastModified: string) => {
    headers.set(`/${id}/x.obo`, lastModified);
    await session.call('sources:save', { spec: { id, service: id, artifacts: [{ type: 'url', url: `${local.base}/${id}/x.obo` }] } });
    const run = (await syncSources(session.catalog, { ids: [id], trigger: 'cli', actor: 'test', clock, fetch: { retries: 0 } })).runs[0]!;
    expect(run.status).toBe('changed');
    const [version] = (await session.call('versions:list', { service: id })).items;
    return { run, version: version! };
  };

  it('the three forms RFC 9110 gives for one instant name the same version and release date', async () => {
    const forms = { imf: 'Sun, 06 Nov 1994 08:49:37 GMT', rfc850: 'Sunday, 06-Nov-94 08:49:37 GMT', asctime: 'Sun Nov  6 08:49:37 1994' };
    for (const [id, lastModified] of Object.entries(forms)) {
      const { run, version } = await syncWith(id, lastModified);
      expect(run.manifest.output!.version_rule, id).toMatchObject({ rule: 'last-modified', evidence: `HTTP Last-Modified ${lastModified}` });
      expect(version, id).toMatchObject({ version: '1994-11-06', release_date_source: 'http-last-modified' });
      expect(version.release_date, id).toMatch(/^1994-11-06[T ]08:49:37/);
    }
  }, 120_000);

  it('a Last-Modified that is no HTTP date, or lies in the future, names nothing: the retrieval day does', async () => {
    for (const [id, lastModified] of Object.entries({ zero: '0', words: 'garbage 12', offset: 'Thu, 13 Dec 2012 00:00:00 +0900', future: 'Mon, 01 Jan 2099 00:00:00 GMT' })) {
      const { run, version } = await syncWith(id, lastModified);
      expect(run.manifest.output!.version_rule, id).toMatchObject({ rule: 'retrieval-date' });
      expect(run.manifest.output!.version_rule!.evidence, id).toContain(`HTTP Last-Modified ${lastModified}`);
      expect(version, id).toMatchObject({ version: '2026-03-01', release_date_source: 'ingest' });
    }
  }, 120_000);
});
