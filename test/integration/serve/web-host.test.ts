import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { startWebHost, type WebHost } from '../../../electron/serve/web-host.js';
import { rawRequest } from '../../helpers/http-request.js';
import { seedSmallCatalog } from '../../helpers/small-catalog.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

describe('web host over real HTTP on 127.0.0.1', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let host: WebHost;
  let rendererDir: string;
  let outside: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-serve');
    session = await openSession({ actor: 'web', root: path.join(temp.root, 'root'), threads: 1 });
    await seedSmallCatalog(session.catalog);
    // A fake built renderer beside a secret the static server must never reach.
    outside = path.join(temp.root, 'site');
    rendererDir = path.join(outside, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Ontocat</title><script src="/assets/app.js"></script>');
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
    writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET');
    host = await startWebHost({ session, rendererDir, heartbeatMs: 200 });
  });
  afterAll(async () => {
    await host.close();
    await session.close();
    temp.cleanup();
  });

  const auth = (): Record<string, string> => ({ 'x-ontocat-token': host.token });

  it('binds 127.0.0.1 on a random port and prints a URL with the token', () => {
    expect(host.host).toBe('127.0.0.1');
    expect(host.port).toBeGreaterThan(0);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers 401 without a token or with a wrong one, for pages and API alike', async () => {
    for (const [pathName, headers] of [
      ['/', {}],
      ['/?token=wrong', {}],
      ['/assets/app.js', { cookie: `ontocat_token_${host.port}=nope` }],
      ['/api/events', {}],
    ] as const) {
      const res = await rawRequest(host.port, { path: pathName, headers });
      expect(res.status, pathName).toBe(401);
      expect(res.body).not.toContain('Ontocat</title>');
    }
    const api = await rawRequest(host.port, { method: 'POST', path: '/api/catalog:info', headers: { 'x-ontocat-token': 'wrong', 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(401);
    expect(api.json()).toMatchObject({ ok: false });
  });

  it('turns the URL token into an HttpOnly SameSite=Strict cookie that then works alone', async () => {
    const first = await rawRequest(host.port, { path: `/?token=${host.token}` });
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>Ontocat</title>');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    expect(pair).toBe(`ontocat_token_${host.port}=${host.token}`);
    const asset = await rawRequest(host.port, { path: '/assets/app.js', headers: { cookie: pair } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const call = await rawRequest(host.port, { method: 'POST', path: '/api/services:list', headers: { cookie: pair, 'content-type': 'application/json' }, body: '{}' });
    expect(call.status).toBe(200);
    expect(call.json<{ ok: boolean; data: { service: string }[] }>().data.map((s) => s.service).sort()).toEqual(['chebi', 'go']);
  });

  it('answers 403 to a foreign Host (DNS rebinding) or a foreign Origin, even with the token', async () => {
    const rebound = await rawRequest(host.port, { path: '/', headers: { ...auth(), host: `evil.example:${host.port}` } });
    expect(rebound.status).toBe(403);
    const wrongPort = await rawRequest(host.port, { path: '/', headers: { ...auth(), host: '127.0.0.1:1' } });
    expect(wrongPort.status).toBe(403);
    const foreign = await rawRequest(host.port, {
      method: 'POST', path: '/api/latest:set', body: JSON.stringify({ ref: 'go/2024-01-01' }),
      headers: { ...auth(), origin: 'http://evil.example', 'content-type': 'application/json' },
    });
    expect(foreign.status).toBe(403);
    expect((await session.call('latest:get', { service: 'go' }))?.version).toBe('2024-02-01');
    const own = await rawRequest(host.port, { path: '/', headers: { ...auth(), origin: `http://127.0.0.1:${host.port}` } });
    expect(own.status).toBe(200);
    const localhost = await rawRequest(host.port, { path: '/', headers: { ...auth(), host: `localhost:${host.port}` } });
    expect(localhost.status).toBe(200);
  });

  it('never serves a file outside the renderer folder (../, %2e%2e, backslashes, NUL)', async () => {
    for (const attempt of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt', '/..\\secret.txt', '/%00index.html', '/assets/%2e%2e/%2e%2e/secret.txt', '//etc/passwd']) {
      const res = await rawRequest(host.port, { path: attempt, headers: auth() });
      expect(res.status, attempt).toBe(404);
      expect(res.body, attempt).not.toContain('TOP SECRET');
    }
  });

  it('sends CSP and nosniff with pages and serves index.html for client-side routes', async () => {
    const page = await rawRequest(host.port, { path: '/versions/go', headers: auth() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Ontocat</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const missingAsset = await rawRequest(host.port, { path: '/assets/nope.js', headers: auth() });
    expect(missingAsset.status).toBe(404);
  });

  it('refuses an oversized body with 413, by declared length and by streamed size', async () => {
    const big = JSON.stringify({ search: 'x'.repeat(1024 * 1024 + 10) });
    const declared = await rawRequest(host.port, { method: 'POST', path: '/api/events:list', headers: { ...auth(), 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, method: 'POST', path: '/api/events:list',
        headers: { ...auth(), host: `127.0.0.1:${host.port}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error); });
      for (let i = 0; i < 20; i += 1) req.write('x'.repeat(100 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
  });

  it('answers channel calls with Results: data, BAD_INPUT for junk, NOT_FOUND for unknown things', async () => {
    const post = (channel: string, body: string) => rawRequest(host.port, { method: 'POST', path: `/api/${channel}`, headers: { ...auth(), 'content-type': 'application/json' }, body });
    const info = await post('catalog:info', '{}');
    expect(info.json()).toMatchObject({ ok: true, data: { versions: 3 } });
    expect((await post('versions:list', '{"limit":"ten"}')).json()).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    const notJson = await post('catalog:info', '{nope');
    expect(notJson.status).toBe(400);
    expect(notJson.json()).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    const unknownChannel = await post('nope:nothing', '{}');
    expect(unknownChannel.status).toBe(404);
    expect(unknownChannel.json()).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const missing = await post('versions:stats', JSON.stringify({ ref: 'go/1999' }));
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const viaGet = await rawRequest(host.port, { path: '/api/catalog:info', headers: auth() });
    expect(viaGet.status).toBe(405);
    const form = await rawRequest(host.port, { method: 'POST', path: '/api/latest:set', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, body: 'ref=go/2024-01-01' });
    expect(form.status).toBe(415);
  });

  it('streams events over SSE: a write call pushes catalog:changed, with heartbeats', async () => {
    const received: string[] = [];
    const stream = await new Promise<IncomingMessage>((resolve, reject) => {
      request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { ...auth(), host: `127.0.0.1:${host.port}` } }, resolve).on('error', reject).end();
    });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => received.push(chunk));
    await expect.poll(() => received.join('').includes(': connected'), { timeout: 5000 }).toBe(true);
    const set = await rawRequest(host.port, { method: 'POST', path: '/api/latest:set', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ ref: 'go/2024-01-01' }) });
    expect(set.json()).toMatchObject({ ok: true, data: { previous: '2024-02-01' } });
    await expect.poll(() => received.join(''), { timeout: 5000 }).toMatch(/event: catalog:changed\ndata: \{"channel":"latest:set"/);
    await expect.poll(() => received.join(''), { timeout: 5000 }).toContain(': ping');
    // Job progress reaches the browser too, ending with the final state.
    const jobId = session.jobs.start('sse-test', async ({ onProgress }) => {
      onProgress({ done: 1, total: 2, bytes: 5, current: 'first' });
      return 'finished';
    }, { exclusive: false });
    await expect.poll(() => received.join(''), { timeout: 5000 }).toMatch(new RegExp(`event: job:progress\ndata: [{]"job_id":"${jobId}"[^\n]*"state":"done"`));
    stream.destroy();
  });
});

describe('web host installed under a folder named assets', () => {
  it('caches the renderer as it does anywhere else: only the hashed assets for good, never index.html', async () => {
    const temp = makeTempRoot('ontocat-serve-assets');
    const session = await openSession({ actor: 'web', root: path.join(temp.root, 'root'), threads: 1 });
    // The same built renderer in an ordinary folder and in an install under /srv/assets/…
    const dirs = [path.join(temp.root, 'site', 'renderer'), path.join(temp.root, 'assets', 'ontocat', 'renderer')];
    for (const dir of dirs) {
      mkdirSync(path.join(dir, 'assets'), { recursive: true });
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Ontocat</title><script src="/assets/app-1a2b.js"></script>');
      writeFileSync(path.join(dir, 'assets', 'app-1a2b.js'), 'console.log("app");');
    }
    const hosts = await Promise.all(dirs.map((rendererDir) => startWebHost({ session, rendererDir })));
    try {
      const caching = (host: WebHost) => Promise.all(['/', '/index.html', '/versions', '/assets/app-1a2b.js'].map(async (pathName) => {
        const res = await rawRequest(host.port, { path: pathName, headers: { 'x-ontocat-token': host.token } });
        expect(res.status, pathName).toBe(200);
        return `${pathName}: ${String(res.headers['cache-control'])}`;
      }));
      const [ordinary, underAssets] = [await caching(hosts[0]!), await caching(hosts[1]!)];
      expect(ordinary).toEqual(['/: no-cache', '/index.html: no-cache', '/versions: no-cache', '/assets/app-1a2b.js: public, max-age=31536000, immutable']);
      expect(underAssets).toEqual(ordinary);
    } finally {
      for (const host of hosts) await host.close();
      await session.close();
      temp.cleanup();
    }
  });
});

describe('web host without a built renderer', () => {
  it('serves a page saying how to build it instead of failing', async () => {
    const temp = makeTempRoot('ontocat-serve-empty');
    const session = await openSession({ actor: 'web', root: temp.root, threads: 1 });
    const missing = mkdtempSync(path.join(tmpdir(), 'no-renderer-'));
    rmSync(missing, { recursive: true });
    const host = await startWebHost({ session, rendererDir: missing });
    try {
      const res = await rawRequest(host.port, { path: `/?token=${host.token}` });
      expect(res.status).toBe(200);
      expect(res.body).toContain('npm run build');
      const api = await rawRequest(host.port, { method: 'POST', path: '/api/catalog:info', headers: { 'x-ontocat-token': host.token }, body: '{}' });
      expect(api.json()).toMatchObject({ ok: true });
    } finally {
      await host.close();
      await session.close();
      temp.cleanup();
    }
  });
});
