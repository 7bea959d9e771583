import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/http-request.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

function electronPresent(): boolean {
  try {
    const binary = createRequire(path.join(projectRoot, 'package.json'))('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary);
  } catch {
    return false;
  }
}

describe.skipIf(electronPresent())('npm start without an Electron binary', () => {
  const temps: ReturnType<typeof makeTempRoot>[] = [];
  afterEach(() => { for (const temp of temps.splice(0)) temp.cleanup(); });

  it('builds, says in one line that it falls back, serves the catalog and stops cleanly', async () => {
    const temp = makeTempRoot('ontocat-start');
    temps.push(temp);
    const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'start.mjs')], {
      cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ONTOCAT_ROOT: temp.root, ONTOCAT_NO_ELECTRON_DOWNLOAD: '1' },
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await expect.poll(() => /Open: (\S+)/.test(stdout), { timeout: 150_000, interval: 200 }).toBe(true);
    expect(stdout.split('\n').filter((line) => /Electron binary could not be obtained/.test(line))).toHaveLength(1);
    expect(existsSync(path.join(projectRoot, 'dist', 'preload', 'preload.cjs'))).toBe(true);
    const url = new URL(/Open: (\S+)/.exec(stdout)![1]!);
    const info = await rawRequest(Number(url.port), {
      method: 'POST', path: '/api/catalog:info', body: '{}',
      headers: { 'x-ontocat-token': url.searchParams.get('token')!, 'content-type': 'application/json' },
    });
    expect(info.json()).toMatchObject({ ok: true, data: { root: temp.root } });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(path.join(temp.root, '.ontocat.lock'))).toBe(false);
  }, 200_000);
});
