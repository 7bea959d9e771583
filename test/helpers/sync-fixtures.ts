/**
 * Scaffolding the sync tests share: a 127.0.0.1 HTTP server for a test file, and a fresh
 * storage root with a session on it for each test.
 */
import { execFile, execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
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

/**
 * What two HTTP clients nobody here wrote make of `url`: the bytes Python's urllib and
 * `curl -L` save (both follow redirects), as coreutils' sha256sum reads them. Asynchronous:
 * the server answering them may run in the test's own process.
 */
export async function referenceFetches(url: string, dir: string): Promise<{ readonly python: string; readonly curl: string }> {
  const python = path.join(dir, 'python.download');
  await promisify(execFile)('python3', ['-c', 'import sys, urllib.request; open(sys.argv[2], "wb").write(urllib.request.urlopen(sys.argv[1]).read())', url, python]);
  const curled = path.join(dir, 'curl.download');
  await promisify(execFile)('curl', ['-sSfL', '-o', curled, url]);
  return { python: sha256sumOf(python), curl: sha256sumOf(curled) };
}

/** coreutils' sha256sum of a file. */
export function sha256sumOf(file: string): string {
  return execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0]!;
}
