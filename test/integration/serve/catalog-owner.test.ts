import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/http-request.js';
import { cliBin, projectRoot, runOntocat, type CliRun } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

/** Debian's emboss-data OBO files: real releases nobody here wrote. */
const EMBOSS_OBO = '/usr/share/EMBOSS/data/OBO';
const usingLine = /^ontocat: using the running ontocat-web \(pid (\d+)\) on this root$/;

/** Runs the real CLI without blocking this process (so it can listen on the socket meanwhile). */
function runOntocatAsync(args: readonly string[], root: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args, '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }));
  });
}

/** Copies a few small emboss-data OBO files into a source folder for `ontocat ingest`. */
function oboSource(dir: string, names: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const name of names) copyFileSync(path.join(EMBOSS_OBO, name), path.join(dir, name));
  return dir;
}

/** One request over the owner's Unix socket. */
function socketRequest(socketPath: string, options: { method?: string; path: string; token?: string; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: 'localhost', 'content-type': 'application/json' };
    if (options.token) headers['x-ontocat-token'] = options.token;
    const req = request({ socketPath, method: options.method ?? 'POST', path: options.path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe.skipIf(!existsSync(EMBOSS_OBO))('one owner per root, every other Ontocat process its client', () => {
  const temps: ReturnType<typeof makeTempRoot>[] = [];
  const serves: RunningServe[] = [];
  afterEach(async () => {
    for (const serve of serves.splice(0)) await serve.stop();
    for (const temp of temps.splice(0)) temp.cleanup();
  });
  const tempRoot = (label: string): string => {
    const temp = makeTempRoot(label);
    temps.push(temp);
    return temp.root;
  };

  it('runs CLI commands through a running `ontocat serve` with the output and exit codes of a direct run', async () => {
    const root = tempRoot('ontocat-owner');
    const source = oboSource(path.join(tempRoot('ontocat-owner-src'), 'v1'), ['eco.obo', 'ro.obo']);
    const serve = await startServe(root);
    serves.push(serve);
    const lock = JSON.parse(readFileSync(path.join(root, '.ontocat.lock'), 'utf8')) as Record<string, unknown>;
    expect(lock).toMatchObject({ pid: serve.child.pid, host: hostname(), app: 'ontocat-web', endpoint: path.join(root, '.ontocat.sock') });
    // Owner-only: a socket others could connect to would hand them the catalog.
    expect(statSync(path.join(root, '.ontocat.sock')).mode & 0o777).toBe(0o600);

    // Relative source path: the owner runs in another folder, so the CLI must resolve it.
    const ingest = await runOntocatAsync(['ingest', path.relative(process.cwd(), source), '--service', 'emboss', '--version', '6.6', '--set-latest', '--json'], root);
    expect(ingest.stderr.trim().split('\n')).toEqual([expect.stringMatching(usingLine)]);
    expect(usingLine.exec(ingest.stderr.trim())![1]).toBe(String(serve.child.pid));
    expect(ingest.code).toBe(0);
    expect(ingest.json()).toMatchObject({ service: 'emboss', version: '6.6', status: 'ingested', files: 2, set_latest: true });

    const remote = {
      services: runOntocat(['services', '--json'], { root }),
      versions: runOntocat(['versions', '--json'], { root }),
      latestSet: runOntocat(['latest', 'set', 'emboss', '6.6', '--json'], { root }),
      latestMissing: runOntocat(['latest', 'set', 'emboss', 'no-such-version'], { root }),
      usage: runOntocat(['latest', 'set', 'emboss'], { root }),
    };
    for (const run of [remote.services, remote.versions, remote.latestSet, remote.latestMissing]) {
      expect(run.stderr.split('\n').filter((line) => usingLine.test(line))).toHaveLength(1);
    }
    expect(remote.services.code).toBe(0);
    expect(remote.services.json<Array<{ service: string }>>().map((s) => s.service)).toEqual(['emboss']);
    expect(remote.latestMissing.code).toBe(1);
    expect(remote.usage.code).toBe(2);

    // The audit log credits what was typed in a terminal to the CLI, not to the web host that ran it.
    const events = runOntocat(['events', '--json', '--limit', '100'], { root }).json<Array<{ type: string; actor: string | null }>>();
    const written = events.filter((event) => event.type === 'ingest.completed' || event.type === 'latest.set');
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(new Set(written.map((event) => event.actor))).toEqual(new Set(['cli']));

    // Commands that need the catalog in this process say so, and change nothing.
    const restore = runOntocat(['restore', '20200101T000000Z'], { root });
    expect(restore.code).toBe(1);
    expect(restore.stderr.trim()).toMatch(/^ontocat: 'ontocat restore' cannot run through the running ontocat-web \(pid \d+\) on this root: .*Stop it first\.$/);
    expect(runOntocat(['compact'], { root }).stderr).toMatch(/'ontocat compact' cannot run through the running ontocat-web/);

    // The same commands run directly once the owner is gone: identical stdout and codes.
    await serve.stop();
    expect(existsSync(path.join(root, '.ontocat.sock'))).toBe(false);
    const direct = {
      services: runOntocat(['services', '--json'], { root }),
      versions: runOntocat(['versions', '--json'], { root }),
      latestSet: runOntocat(['latest', 'set', 'emboss', '6.6', '--json'], { root }),
      latestMissing: runOntocat(['latest', 'set', 'emboss', 'no-such-version'], { root }),
      usage: runOntocat(['latest', 'set', 'emboss'], { root }),
    };
    for (const key of Object.keys(direct) as Array<keyof typeof direct>) {
      expect(direct[key].stderr).not.toMatch(/using the running/);
      expect({ key, code: remote[key].code, stdout: remote[key].stdout }).toEqual({ key, code: direct[key].code, stdout: direct[key].stdout });
      expect(remote[key].stderr.split('\n').filter((line) => !usingLine.test(line)).join('\n')).toBe(direct[key].stderr);
    }
    expect(direct.versions.stdout).toContain('"6.6"');
  }, 240_000);

  it('streams job progress on the socket while a client ingests, and wants the token there too', async () => {
    const root = tempRoot('ontocat-owner');
    const source = oboSource(path.join(tempRoot('ontocat-owner-src'), 'v1'), ['eco.obo', 'ro.obo', 'software.obo']);
    const serve = await startServe(root);
    serves.push(serve);
    const socket = path.join(root, '.ontocat.sock');
    const token = readFileSync(path.join(root, '.ontocat.token'), 'utf8').trim();
    expect(token).toBe(serve.token);

    expect((await socketRequest(socket, { path: '/api/catalog:info', body: '{}' })).status).toBe(401);
    expect((await socketRequest(socket, { path: '/api/catalog:info', body: '{}', token: 'x'.repeat(token.length) })).status).toBe(401);
    const info = await socketRequest(socket, { path: '/api/catalog:info', body: '{}', token });
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, data: { root } });

    const events: Array<{ state: string; done: number }> = [];
    const stream = request({ socketPath: socket, path: '/api/events', method: 'GET', headers: { host: 'localhost', 'x-ontocat-token': token } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        for (const match of buffer.matchAll(/event: job:progress\ndata: (.*)\n\n/g)) events.push(JSON.parse(match[1]!) as { state: string; done: number });
        buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
      });
    });
    stream.on('error', () => undefined);
    stream.end();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const ingest = await runOntocatAsync(['ingest', source, '--service', 'emboss', '--version', '1', '--json'], root);
    stream.destroy();
    expect(ingest.code).toBe(0);
    expect(ingest.json()).toMatchObject({ status: 'ingested', files: 3 });
    expect(events.some((event) => event.state === 'running')).toBe(true);
    expect(events.at(-1)?.state).toMatch(/^(done|succeeded|finished|ok)$/);
  }, 240_000);

  it('keeps the token across restarts, and tells a browser without it how to open the app', async () => {
    const root = tempRoot('ontocat-owner');
    const first = await startServe(root);
    serves.push(first);
    const tokenFile = path.join(root, '.ontocat.token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    await first.stop();

    // Without --port, the restart comes back on the last port: an open tab's URL still works.
    const second = await startServe(root, { port: 'default' });
    serves.push(second);
    expect(second.token).toBe(first.token);
    expect(second.origin).toBe(first.origin);
    const port = Number(new URL(second.origin).port);
    const api = await rawRequest(port, { method: 'POST', path: '/api/catalog:info', body: '{}', headers: { 'x-ontocat-token': first.token, 'content-type': 'application/json' } });
    expect(api.json()).toMatchObject({ ok: true, data: { root } });

    // A page load without the token: HTML with the way in, not raw JSON.
    for (const pagePath of ['/', '/versions', `/?token=${'y'.repeat(32)}`]) {
      const page = await rawRequest(port, { path: pagePath, headers: { accept: 'text/html' } });
      expect(page.status).toBe(401);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('ontocat serve --open');
      expect(page.body).not.toContain('"ok":false');
    }
    // API callers keep their JSON error.
    const denied = await rawRequest(port, { method: 'POST', path: '/api/catalog:info', body: '{}' });
    expect(denied.status).toBe(401);
    expect(denied.json()).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
  }, 240_000);

  it('imports a sources file of more than 1 MiB through a running `ontocat serve` as a direct run does', async () => {
    // 600 sources with the longest note the schema allows, written by Python's json module:
    // about 1.3 MB, well inside what sources:import takes (10,000 sources, 20,000,000 characters).
    const file = path.join(tempRoot('ontocat-owner-sources'), 'sources.json');
    execFileSync('python3', ['-c', [
      'import json, sys',
      'note = "Kept in git; " + "x" * 1985',
      'sources = [{"id": f"obo-{i:04d}", "service": f"onto{i:04d}", "artifacts": [{"type": "url", "url": f"https://purl.obolibrary.org/obo/onto{i:04d}.owl"}], "note": note} for i in range(600)]',
      'json.dump({"schema": "ontocat.sources/2", "sources": sources}, open(sys.argv[1], "w"))',
    ].join('\n'), file]);
    expect(statSync(file).size).toBeGreaterThan(1024 * 1024);
    const ids = (JSON.parse(readFileSync(file, 'utf8')) as { sources: Array<{ id: string }> }).sources.map((source) => source.id);

    const viaOwner = tempRoot('ontocat-owner');
    serves.push(await startServe(viaOwner));
    const direct = tempRoot('ontocat-owner-direct');
    const runs = {
      owner: await runOntocatAsync(['sources', 'import', file, '--json'], viaOwner),
      direct: runOntocat(['sources', 'import', file, '--json'], { root: direct }),
    };
    expect(runs.owner.stderr.trim().split('\n')).toEqual([expect.stringMatching(usingLine)]);
    expect({ code: runs.owner.code, stdout: runs.owner.stdout }).toEqual({ code: runs.direct.code, stdout: runs.direct.stdout });
    expect(runs.direct.json<{ added: string[] }>().added).toEqual(ids);
    const exported = JSON.parse((await runOntocatAsync(['sources', 'export'], viaOwner)).stdout) as { sources: Array<{ id: string }> };
    expect(exported.sources.map((source) => source.id).sort()).toEqual(ids);
  }, 240_000);

  it('Ctrl-C on a command run through a running `ontocat serve` stops its work, as it does a direct run', async () => {
    // A release server that takes about ten seconds to send one small OBO file.
    let requests = 0;
    const slow = createServer((_req, res) => {
      requests += 1;
      const body = Buffer.from(`format-version: 1.2\n${'! padding\n'.repeat(50)}`);
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed) { clearInterval(timer); return; }
        res.write(body.subarray(sent, sent + 20));
        sent += 20;
        if (sent >= body.length) { clearInterval(timer); res.end(); }
      }, 400);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/go.obo`;
    const interrupted = async (root: string): Promise<number | null> => {
      const before = requests;
      const child = spawn(process.execPath, [cliBin, 'ingest', url, '--service', 'slow', '--version', '1', '--root', root], { stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      for (let i = 0; i < 200 && requests === before; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(requests).toBe(before + 1);
      child.kill('SIGINT');
      return exited;
    };
    const versions = (root: string): unknown[] => runOntocat(['versions', '--json'], { root }).json<unknown[]>();
    try {
      const direct = tempRoot('ontocat-owner-direct');
      expect(runOntocat(['init'], { root: direct }).code).toBe(0);
      await interrupted(direct);
      const viaOwner = tempRoot('ontocat-owner');
      serves.push(await startServe(viaOwner));
      await interrupted(viaOwner);
      // Past the time the server needs to send the whole file.
      await new Promise((resolve) => setTimeout(resolve, 14_000));
      expect(versions(direct)).toEqual([]);
      expect(versions(viaOwner)).toEqual(versions(direct));
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  }, 240_000);

  it('still refuses a holder that is not Ontocat, and recovers a dead one, without trying a socket', async () => {
    const root = tempRoot('ontocat-owner');
    expect(runOntocat(['init'], { root }).code).toBe(0);
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/helpers/lock-holder.ts'), root], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(); });
      holder.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
    });
    try {
      const refused = runOntocat(['services', '--json'], { root });
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toMatch(new RegExp(`^ontocat: The catalog .* open for writing by lock-holder-test \\(pid ${holder.pid} `));
    } finally {
      holder.stdin.end();
      await new Promise((resolve) => holder.on('exit', resolve));
    }

    // An Ontocat lock whose process is gone (and whose socket file is left behind) is recovered.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(path.join(root, '.ontocat.lock'), JSON.stringify({ pid: dead.pid, host: hostname(), started_at: '2026-01-01T00:00:00.000Z', app: 'ontocat-web', endpoint: path.join(root, '.ontocat.sock') }));
    writeFileSync(path.join(root, '.ontocat.sock'), '');
    const recovered = runOntocat(['latest', 'set', 'nothing', 'here'], { root });
    expect(recovered.stderr).not.toMatch(/using the running/);
    expect(recovered.stderr).toMatch(/not found|no version|unknown/i);
    const events = runOntocat(['events', '--json'], { root });
    expect(events.stdout).toContain('lock.recovered');

    // A live Ontocat pid that does not listen is refused, not hung on. (Its lock is newer than
    // the process: a lock older than the process that has its pid is a reused pid, recovered
    // on Linux, see writer-lock.test.ts.)
    writeFileSync(path.join(root, '.ontocat.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString(), app: 'ontocat-web', endpoint: path.join(root, '.ontocat.sock') }));
    const read = runOntocat(['services'], { root });
    expect({ code: read.code, stderr: read.stderr }).toEqual({ code: 0, stderr: '' });
    const unreachable = runOntocat(['latest', 'set', 'nothing', 'here'], { root });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim()).toMatch(new RegExp(`open for writing by ontocat-web \\(pid ${process.pid} `));
  }, 240_000);
});
