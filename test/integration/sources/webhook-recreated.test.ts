/**
 * A candidate rejected and pruned, then a new release named the same (a retrieval-date rule,
 * the same day): a new candidate, which the desktop announces and the webhook must too. The
 * webhook took it for the first candidate's delivery (its key named type, service and version
 * only) and sent nothing. Reference: the IETF Idempotency-Key header draft
 * (draft-ietf-httpapi-idempotency-key-header: a key reused for a request with another
 * payload is a client error), and the test server's own log of what it received.
 */
import type http from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../electron/sources/clock.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

let body = Buffer.alloc(0);
const posts: { key: string; body: { type: string; version: string; run_id: string } }[] = [];
const local = localHttpServer((req: http.IncomingMessage, res: http.ServerResponse) => {
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof posts[number]['body'] });
      res.writeHead(204).end();
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }).end(body);
});

describe('webhooks: a new candidate under the name of a pruned one', () => {
  const live = sessionPerTest('ontocat-webhook-recreated');
  beforeEach(() => { posts.length = 0; });

  it('is POSTed like the desktop notification, with a key of its own', async () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const clock: Clock = { now: () => now, setTimer: () => () => undefined };
    const heard: string[] = [];
    const sync = async () => (await syncSources(live.session.catalog, {
      ids: ['x'], trigger: 'cli', actor: 'test', clock, fetch: { retries: 0 }, webhook: { retries: 0 },
      onEvent: (event) => heard.push(`${event.type} ${event.version} ${event.run_id}`),
    })).runs[0]!;
    await live.session.call('sources:save', { spec: { id: 'x', service: 'x', version_rule: 'retrieval-date', webhook: `${local.base}/hook`, artifacts: [{ type: 'url', url: `${local.base}/x.obo` }] } });

    body = Buffer.from('format-version: 1.2\nontology: x\n\n[Term]\nid: X:1\nname: broken\n');
    const first = await sync();
    expect(first).toMatchObject({ status: 'changed', version: '2026-03-02' });
    await live.session.call('review:reject', { ref: 'x/2026-03-02', reason: 'broken' });
    const plan = await live.session.call('prune:plan', { rejected: true, service: 'x', allow_large: true });
    await live.session.call('prune:apply', { plan_id: plan.plan_id });
    expect((await live.session.call('versions:list', { service: 'x' })).items).toHaveLength(0);

    body = Buffer.from('format-version: 1.2\nontology: x\n\n[Term]\nid: X:1\nname: fixed\n');
    const second = await sync();
    expect(second).toMatchObject({ status: 'changed', version: '2026-03-02' });
    expect(second.run_id).not.toBe(first.run_id);

    expect(heard).toEqual([`candidate.created 2026-03-02 ${first.run_id}`, `candidate.created 2026-03-02 ${second.run_id}`]);
    expect(posts.map((post) => `${post.body.type} ${post.body.version} ${post.body.run_id}`)).toEqual(heard);
    expect(new Set(posts.map((post) => post.key)).size).toBe(2);
  }, 120_000);
});
