/**
 * A server answering 200 with an HTML error page where the release file should be (a
 * maintenance or login page): no version is made of it, the run fails saying what came,
 * and the next check after the server recovers brings the real release in. The page is
 * the error page Python's http.server writes (its DEFAULT_ERROR_MESSAGE and content type),
 * the releases real EDAM ones.
 */
import { execFileSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { edamRelease } from '../../helpers/release-server.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

const python = JSON.parse(execFileSync('python3', ['-c', [
  'import http.server, json',
  "page = http.server.DEFAULT_ERROR_MESSAGE % {'code': 503, 'message': 'Service Unavailable', 'explain': 'The server is down for maintenance.'}",
  "print(json.dumps({'page': page, 'type': http.server.DEFAULT_ERROR_CONTENT_TYPE}))",
].join('\n')], { encoding: 'utf8' })) as { page: string; type: string };

/** `piece`: the body is sent that many bytes at a time, 5 ms apart (a slow or proxied server). */
const answers = new Map<string, { body: Buffer; type: string; piece?: number }>();
const local = localHttpServer((req, res) => {
  const answer = answers.get(new URL(req.url ?? '/', 'http://x').pathname);
  if (!answer) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': answer.type, 'content-length': answer.body.length });
  if (!answer.piece) { res.end(answer.body); return; }
  const piece = answer.piece;
  const send = (at: number): void => {
    if (at >= answer.body.length) { res.end(); return; }
    res.write(answer.body.subarray(at, at + piece));
    setTimeout(() => send(at + piece), 5);
  };
  send(0);
});

describe('sync: an HTML error page answered with 200', () => {
  const live = sessionPerTest('ontocat-html-page');
  beforeEach(() => {
    answers.clear();
  });

  const sync = async (id: string) => (await syncSources(live.session.catalog, { ids: [id], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
  const versions = async (service: string) => (await live.session.call('versions:list', { service, sort: 'release', direction: 'asc' })).items.map((v) => v.version);

  it('is no release: the run fails naming the page, nothing is recorded, the real release comes next time', async () => {
    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${local.base}/edam.obo` }] } });
    answers.set('/edam.obo', { body: edamRelease('EDAM_1.0.obo'), type: 'application/octet-stream' });
    expect(await sync('edam')).toMatchObject({ status: 'changed', version: '1.0' });

    answers.set('/edam.obo', { body: Buffer.from(python.page), type: python.type });
    const down = await sync('edam');
    expect(down).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(down.error_message).toContain('an HTML page');
    expect(down.error_message).toContain('Error response');
    expect(await versions('edam')).toEqual(['1.0']);

    answers.set('/edam.obo', { body: edamRelease('EDAM_1.1.obo'), type: 'text/plain' });
    expect(await sync('edam')).toMatchObject({ status: 'changed', version: '1.1' });
    expect(await versions('edam')).toEqual(['1.0', '1.1']);
  }, 120_000);

  it('is recognised however the page is cut into chunks', async () => {
    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${local.base}/edam.obo` }] } });
    answers.set('/edam.obo', { body: Buffer.from(python.page), type: python.type, piece: 7 });
    const down = await sync('edam');
    expect(down).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(down.error_message).toContain('Error response');
    expect(await versions('edam')).toEqual([]);
  }, 120_000);

  it('an artifact that is an HTML file by its name is taken as it is', async () => {
    await live.session.call('sources:save', { spec: { id: 'page', service: 'page', artifacts: [{ type: 'url', url: `${local.base}/docs/index.html` }] } });
    answers.set('/docs/index.html', { body: Buffer.from(python.page), type: python.type });
    expect(await sync('page')).toMatchObject({ status: 'changed' });
  }, 120_000);
});
