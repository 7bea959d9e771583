/**
 * A server that answers 503 or 429 with Retry-After (RFC 9110 §10.2.3: how long the client
 * ought to wait before asking again) is asked again no sooner than it said, and a wait
 * longer than a sync should sit through fails the run saying when to come back. The
 * reference: the server's own clock between the requests it saw.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { edamRelease } from '../../helpers/release-server.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

const body = edamRelease('EDAM_1.0.obo');
/** Per path: how many times to answer busy first, with which status and Retry-After. */
const busy = new Map<string, { times: number; status: number; retryAfter: string }>();
const seen = new Map<string, number[]>();
const local = localHttpServer((req, res) => {
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  seen.set(pathname, [...(seen.get(pathname) ?? []), performance.now()]);
  const trouble = busy.get(pathname);
  if (trouble && trouble.times > 0) {
    trouble.times -= 1;
    res.writeHead(trouble.status, { 'retry-after': trouble.retryAfter }).end('busy');
    return;
  }
  res.writeHead(200, { 'content-length': body.length }).end(body);
});

describe('sync: Retry-After', () => {
  const live = sessionPerTest('ontocat-retry-after');
  beforeEach(() => {
    busy.clear();
    seen.clear();
  });

  const syncOne = async (id: string) => {
    await live.session.call('sources:save', { spec: { id, service: id, artifacts: [{ type: 'url', url: `${local.base}/${id}/edam.obo` }] } });
    return (await syncSources(live.session.catalog, { ids: [id], trigger: 'cli', actor: 'test', fetch: { retries: 3, backoffMs: 10 } })).runs[0]!;
  };

  it('waits as long as the server asks (seconds, or an HTTP date) before asking again', async () => {
    busy.set('/seconds/edam.obo', { times: 1, status: 503, retryAfter: '2' });
    expect(await syncOne('seconds')).toMatchObject({ status: 'changed', version: '1.0' });
    const [first, second] = seen.get('/seconds/edam.obo')!;
    expect(second! - first!).toBeGreaterThanOrEqual(1900);

    busy.set('/date/edam.obo', { times: 1, status: 429, retryAfter: new Date(Date.now() + 3000).toUTCString() });
    expect(await syncOne('date')).toMatchObject({ status: 'changed', version: '1.0' });
    const [asked, again] = seen.get('/date/edam.obo')!;
    expect(again! - asked!).toBeGreaterThanOrEqual(1000);
  }, 120_000);

  it('a wait past what a sync sits through fails the run saying when to come back', async () => {
    busy.set('/later/edam.obo', { times: 10, status: 503, retryAfter: '86400' });
    const run = await syncOne('later');
    expect(run).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(run.error_message).toContain('Retry-After 86400');
    expect(seen.get('/later/edam.obo')).toHaveLength(1);
  }, 120_000);
});
