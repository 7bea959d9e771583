import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodName } from '../../../electron/shared/api-protocol.js';
import { channelNames } from '../../../electron/shared/contract.js';
import { createHttpBridge, TOKEN_HEADER, tokenFromLocation } from '../../../renderer/src/api/http-bridge.js';

interface Seen { url: string; method: string; token: string | undefined; body: unknown }
const seen: Seen[] = [];
let server: Server;
let base = '';

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      seen.push({ url: req.url ?? '', method: req.method ?? '', token: req.headers[TOKEN_HEADER] as string | undefined, body });
      if (req.url === '/api/catalog:info') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, data: { root: '/r', db_path: '/r/catalog.duckdb', read_only: false, schema_version: 2, versions: 0, files: 0 } }));
      } else if (req.url === '/api/files:get') {
        res.statusCode = 404;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: false, code: 'NOT_FOUND', message: 'No such file.' }));
      } else {
        res.statusCode = 500;
        res.end('boom');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

describe('HTTP bridge', () => {
  it('has one method per contract channel, built from channelNames', () => {
    const bridge = createHttpBridge({ base }) as unknown as Record<string, unknown>;
    for (const name of channelNames) expect(typeof bridge[methodName(name)], name).toBe('function');
    expect(typeof bridge.subscribe).toBe('function');
  });

  it('POSTs JSON to /api/<channel> with the token header and returns the Result', async () => {
    const bridge = createHttpBridge({ base, token: 'secret-1' });
    const info = await bridge.catalogInfo({});
    expect(info).toMatchObject({ ok: true, data: { root: '/r' } });
    expect(seen.at(-1)).toEqual({ url: '/api/catalog:info', method: 'POST', token: 'secret-1', body: {} });

    const missing = await bridge.filesGet({ ref: 'go/1', relpath: 'a.owl' });
    expect(missing).toEqual({ ok: false, code: 'NOT_FOUND', message: 'No such file.' });
    expect(seen.at(-1)?.body).toEqual({ ref: 'go/1', relpath: 'a.owl' });
  });

  it('turns a non-JSON answer and an unreachable server into failed Results', async () => {
    const bad = await createHttpBridge({ base }).servicesList({});
    expect(bad).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(bad.ok ? '' : bad.message).toContain('500');
    const down = await createHttpBridge({ base: 'http://127.0.0.1:9' }).servicesList({});
    expect(down).toMatchObject({ ok: false, code: 'IO_ERROR' });
  });

  it('subscribes over one EventSource on /api/events and parses event data', () => {
    const sources: { url: string; listeners: Map<string, (m: { data: string }) => void> }[] = [];
    class FakeEventSource {
      readonly listeners = new Map<string, (m: { data: string }) => void>();
      constructor(readonly url: string) { sources.push(this); }
      addEventListener(name: string, fn: (m: { data: string }) => void): void { this.listeners.set(name, fn); }
    }
    const bridge = createHttpBridge({ base, token: 'tok en', eventSourceImpl: FakeEventSource as unknown as typeof EventSource });
    const got: unknown[] = [];
    const off = bridge.subscribe('catalog:changed', (payload) => got.push(payload));
    bridge.subscribe('job:progress', () => {});
    expect(sources).toHaveLength(1);
    expect(sources[0]?.url).toBe(`${base}/api/events?token=tok%20en`);
    sources[0]?.listeners.get('catalog:changed')?.({ data: '{"channel":"latest:set","at":"t"}' });
    off();
    sources[0]?.listeners.get('catalog:changed')?.({ data: '{"channel":"latest:set","at":"t2"}' });
    expect(got).toEqual([{ channel: 'latest:set', at: 't' }]);
  });

  it('reads the token from the page URL', () => {
    expect(tokenFromLocation('?token=abc123')).toBe('abc123');
    expect(tokenFromLocation('')).toBeNull();
  });
});
