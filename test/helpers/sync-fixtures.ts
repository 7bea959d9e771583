/**
 * Scaffolding the sync tests share: a 127.0.0.1 HTTP server for a test file, and a fresh
 * storage root with a session on it for each test.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openSession, type Session } from '../../electron/handlers/session.js';
import { makeTempRoot } from './temp-root.js';

/** A server answering with `handler`, listening before the file's tests and closed after them; `base` once started. */
export function localHttpServer(handler: http.RequestListener): { readonly base: string } {
  const local = { base: '' };
  let server: http.Server;
  beforeAll(async () => {
    server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    local.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return local;
}

/** For each test of the enclosing block: a new storage root (`temp`, its catalog under `root/`) and a session on it. */
export function sessionPerTest(label: string): { readonly session: Session; readonly temp: ReturnType<typeof makeTempRoot> } {
  const live = {} as { session: Session; temp: ReturnType<typeof makeTempRoot> };
  beforeEach(async () => {
    live.temp = makeTempRoot(label);
    live.session = await openSession({ root: path.join(live.temp.root, 'root'), actor: 'test' });
  });
  afterEach(async () => {
    await live.session.close();
    live.temp.cleanup();
  });
  return live;
}
