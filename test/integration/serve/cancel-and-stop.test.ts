import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { startWebHost, type WebHost } from '../../../electron/serve/web-host.js';
import { rawRequest, type RawResponse } from '../../helpers/http-request.js';
import { cliBin } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { writeTree } from '../ingest/archive-fixtures.js';

/** A real HTTP server whose `.tar.xz` download trickles forever and never finishes. */
async function startTrickleServer(): Promise<{ url: string; open: () => number; close: () => Promise<void> }> {
  let open = 0;
  const server: Server = createServer((req, res) => {
    open += 1;
    res.writeHead(200, { 'Content-Type': 'application/x-xz', 'Content-Length': 50_000_000 });
    res.write(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
    const timer = setInterval(() => res.write(Buffer.alloc(64, 1)), 100);
    res.on('close', () => { clearInterval(timer); open -= 1; });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/release.tar.xz`,
    open: () => open,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const ingestLeftovers = (root: string): string[] => {
  try { return readdirSync(path.join(root, '.tmp')).filter((name) => name.startsWith('ingest-')); } catch { return []; }
};

function call(port: number, token: string, channel: string, body: unknown): Promise<RawResponse> {
  return rawRequest(port, { method: 'POST', path: `/api/${channel}`, headers: { 'x-ontocat-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function runningJob(port: number, token: string, kind: string): Promise<{ job_id: string; bytes: number }> {
  let found: { job_id: string; bytes: number } | undefined;
  await expect.poll(async () => {
    const jobs = (await call(port, token, 'jobs:list', {})).json<{ data: { job_id: string; kind: string; state: string; bytes: number }[] }>().data;
    found = jobs.find((job) => job.kind === kind && job.state === 'running' && job.bytes > 0);
    return found !== undefined;
  }, { timeout: 60_000, interval: 100 }).toBe(true);
  return found!;
}

describe('every job can be cancelled, every server stopped (issue 18 item 3)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const cleanup of cleanups.splice(0).reverse()) await cleanup(); });

  it('jobs:cancel in the web host stops a hanging download-and-ingest, removes its work folder and frees the writer', async () => {
    const temp = makeTempRoot('ontocat-cancel');
    cleanups.push(() => temp.cleanup());
    const trickle = await startTrickleServer();
    cleanups.push(() => trickle.close());
    const root = path.join(temp.root, 'root');
    const session: Session = await openSession({ actor: 'web', root, threads: 1 });
    cleanups.push(() => session.close());
    const rendererDir = path.join(temp.root, 'renderer');
    mkdirSync(rendererDir);
    const host: WebHost = await startWebHost({ session, rendererDir });
    cleanups.push(() => host.close());

    const hanging = call(host.port, host.token, 'ingest:run', { source: trickle.url, service: 'slow', version: '1' });
    const job = await runningJob(host.port, host.token, 'ingest');
    expect(trickle.open()).toBe(1);
    expect(ingestLeftovers(root)).toHaveLength(1);

    const cancelledAt = Date.now();
    expect((await call(host.port, host.token, 'jobs:cancel', { job_id: job.job_id })).status).toBe(200);
    const answer = await hanging;
    expect(answer.json()).toMatchObject({ ok: false, code: 'CANCELLED' });
    expect((await call(host.port, host.token, 'jobs:get', { job_id: job.job_id })).json()).toMatchObject({ ok: true, data: { state: 'cancelled' } });
    // The download itself stopped (its connection closed), and its work folder is gone.
    await expect.poll(() => trickle.open(), { timeout: 10_000 }).toBe(0);
    expect(ingestLeftovers(root)).toEqual([]);

    // The next write proceeds at once: the writer queue and the lock were released.
    const folder = path.join(temp.root, 'src');
    writeTree(folder, { 'a.ttl': '@prefix ex: <http://example.org/> .\nex:a a ex:B .\n' });
    const next = await call(host.port, host.token, 'ingest:run', { source: folder, service: 'fast', version: '1' });
    expect(next.json()).toMatchObject({ ok: true, data: { status: 'ingested', files: 1 } });
    // Loose on purpose: a stuck queue would never answer at all.
    expect(Date.now() - cancelledAt).toBeLessThan(30_000);
    expect(ingestLeftovers(root)).toEqual([]);
    expect(readdirSync(path.join(root, '.tmp')).filter((name) => name !== 'duckdb')).toEqual([]);
  }, 120_000);

  it('SIGTERM stops `ontocat serve` with an ingest running: exit 0, lock released, no work folder left', async () => {
    const temp = makeTempRoot('ontocat-sigterm');
    cleanups.push(() => temp.cleanup());
    const trickle = await startTrickleServer();
    cleanups.push(() => trickle.close());
    const child = spawn(process.execPath, [cliBin, 'serve', '--json', '--root', temp.root], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => stdout.includes('\n'), { timeout: 60_000, interval: 100 }).toBe(true);
    const started = JSON.parse(stdout.split('\n')[0]!) as { url: string; port: number };
    const token = new URL(started.url).searchParams.get('token')!;

    void call(started.port, token, 'ingest:run', { source: trickle.url, service: 'slow', version: '1' }).catch(() => undefined);
    await runningJob(started.port, token, 'ingest');
    expect(ingestLeftovers(temp.root)).toHaveLength(1);

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    const stopMs = Date.now() - signalledAt;
    expect(code, stderr).toBe(0);
    expect(stopMs).toBeLessThan(20_000);
    expect(existsSync(path.join(temp.root, '.ontocat.lock'))).toBe(false);
    expect(ingestLeftovers(temp.root)).toEqual([]);
    expect(trickle.open()).toBe(0);
  }, 120_000);

  describe('request timeouts: a client holding the token cannot hold a connection by sending slowly', () => {
    async function quickHost(): Promise<WebHost> {
      const temp = makeTempRoot('ontocat-timeouts');
      cleanups.push(() => temp.cleanup());
      const session = await openSession({ actor: 'web', root: path.join(temp.root, 'root'), threads: 1 });
      cleanups.push(() => session.close());
      const host = await startWebHost({ session, rendererDir: temp.root, headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 500, heartbeatMs: 200 });
      cleanups.push(() => host.close());
      return host;
    }

    /** Opens a raw socket, writes `text`, and resolves with what came back once the server closed it. */
    function sendAndWaitForClose(port: number, text: string, giveUpMs = 15_000): Promise<{ closedAfterMs: number; reply: string }> {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const socket = connect(port, '127.0.0.1', () => socket.write(text));
        let reply = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => { reply += chunk; });
        const timer = setTimeout(() => { socket.destroy(); reject(new Error(`the server kept the connection open for ${giveUpMs} ms`)); }, giveUpMs);
        socket.on('close', () => { clearTimeout(timer); resolve({ closedAfterMs: Date.now() - started, reply }); });
        socket.on('error', () => undefined);
      });
    }

    it('partial headers, a partial body and an idle keep-alive connection are all closed', async () => {
      const host = await quickHost();
      const hostHeader = `Host: 127.0.0.1:${host.port}\r\n`;
      const partialHeaders = await sendAndWaitForClose(host.port, `POST /api/catalog:info HTTP/1.1\r\n${hostHeader}x-ontocat-token: ${host.token}\r\n`);
      expect(partialHeaders.reply).toMatch(/^HTTP\/1\.1 408/);
      const partialBody = await sendAndWaitForClose(host.port,
        `POST /api/catalog:info HTTP/1.1\r\n${hostHeader}x-ontocat-token: ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`);
      expect(partialBody.reply).toMatch(/^HTTP\/1\.1 408/);
      // A complete request is answered, then the idle keep-alive connection is closed.
      const idle = await sendAndWaitForClose(host.port,
        `POST /api/catalog:info HTTP/1.1\r\n${hostHeader}x-ontocat-token: ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
      expect(idle.reply).toMatch(/^HTTP\/1\.1 200/);
    }, 60_000);

    it('an event stream outlives the request timeout (it is an answer, not a request)', async () => {
      const host = await quickHost();
      const socket = connect(host.port, '127.0.0.1');
      let received = '';
      let closed = false;
      socket.setEncoding('utf8').on('data', (chunk: string) => { received += chunk; });
      socket.on('close', () => { closed = true; });
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nx-ontocat-token: ${host.token}\r\n\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(closed).toBe(false);
      expect(received).toMatch(/^HTTP\/1\.1 200/);
      expect(received.match(/^:/gm)?.length ?? 0).toBeGreaterThan(3);
      socket.destroy();
    }, 30_000);
  });
});
