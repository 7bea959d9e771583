import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/http-request.js';
import { cliBin } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

describe('ontocat serve (real child process)', () => {
  const temps: ReturnType<typeof makeTempRoot>[] = [];
  afterEach(() => { for (const temp of temps.splice(0)) temp.cleanup(); });

  it('prints its URL, answers with the token, and closes the catalog cleanly on Ctrl-C', async () => {
    const temp = makeTempRoot('ontocat-serve-cli');
    temps.push(temp);
    const child = spawn(process.execPath, [cliBin, 'serve', '--json', '--root', temp.root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => stdout.includes('\n'), { timeout: 60_000, interval: 100 }).toBe(true);
    const started = JSON.parse(stdout.split('\n')[0]!) as { url: string; port: number; host: string; root: string };
    expect(started.host).toBe('127.0.0.1');
    expect(started.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${started.port}/\\?token=[\\w-]{20,}$`));
    expect(existsSync(path.join(temp.root, '.ontocat.lock'))).toBe(true);

    const token = new URL(started.url).searchParams.get('token')!;
    const info = await rawRequest(started.port, { method: 'POST', path: '/api/catalog:info', headers: { 'x-ontocat-token': token, 'content-type': 'application/json' }, body: '{}' });
    expect(info.json()).toMatchObject({ ok: true, data: { root: temp.root } });
    expect((await rawRequest(started.port, { method: 'POST', path: '/api/catalog:info', body: '{}' })).status).toBe(401);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/unexpected/i);
    expect(existsSync(path.join(temp.root, '.ontocat.lock'))).toBe(false);
  });

  it('warns when asked to bind an address other than loopback, and rejects a bad port', async () => {
    const temp = makeTempRoot('ontocat-serve-cli');
    temps.push(temp);
    const bad = spawn(process.execPath, [cliBin, 'serve', '--port', 'eighty', '--root', temp.root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let badErr = '';
    bad.stderr.setEncoding('utf8').on('data', (chunk: string) => { badErr += chunk; });
    expect(await new Promise((resolve) => bad.on('exit', resolve))).toBe(2);
    expect(badErr).toMatch(/--port/);

    const child = spawn(process.execPath, [cliBin, 'serve', '--host', '0.0.0.0', '--root', temp.root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await expect.poll(() => stdout.includes('Press Ctrl-C'), { timeout: 60_000, interval: 100 }).toBe(true);
    expect(stderr).toMatch(/WARNING: listening on 0\.0\.0\.0/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
