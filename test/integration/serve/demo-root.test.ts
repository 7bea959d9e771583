import { spawn, spawnSync } from 'node:child_process';
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

const startScript = path.join(projectRoot, 'scripts', 'start.mjs');
const env = { ...process.env, ONTOCAT_NO_ELECTRON_DOWNLOAD: '1', ONTOCAT_NO_BROWSER: '1', ONTOCAT_ROOT: '/nonexistent/not-this-one' };

describe.skipIf(electronPresent())('npm run demo', () => {
  const temps: ReturnType<typeof makeTempRoot>[] = [];
  afterEach(() => { for (const temp of temps.splice(0)) temp.cleanup(); });

  it('builds the demo in --root, and a second run opens the running one instead of failing', async () => {
    const temp = makeTempRoot('ontocat-demo-root');
    temps.push(temp);
    const child = spawn(process.execPath, [startScript, '--demo', '--root', temp.root], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await expect.poll(() => /Open: (\S+)/.test(stdout), { timeout: 200_000, interval: 200 }).toBe(true);
      const url = new URL(/Open: (\S+)/.exec(stdout)![1]!);
      const token = url.searchParams.get('token')!;
      const info = await rawRequest(Number(url.port), {
        method: 'POST', path: '/api/catalog:info', body: '{}',
        headers: { 'x-ontocat-token': token, 'content-type': 'application/json' },
      });
      // The demo went into --root (not $ONTOCAT_ROOT), with the three zazuko releases.
      expect(info.json()).toMatchObject({ ok: true, data: { root: temp.root, versions: 3 } });

      // Demo again on the same root: the demo build runs through the owner, then the running app is pointed at.
      const again = spawnSync(process.execPath, [startScript, '--demo', `--root=${temp.root}`], { cwd: projectRoot, encoding: 'utf8', env, timeout: 200_000 });
      expect(again.status).toBe(0);
      expect(again.stdout).toContain(`Ontocat is already running on ${temp.root}: ontocat-web (pid `);
      expect(again.stdout).toContain(`Open: ${url.href}`);
      expect(again.stderr).toMatch(/using the running ontocat-web \(pid \d+\) on this root/);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    expect(existsSync(path.join(temp.root, '.ontocat.lock'))).toBe(false);
  }, 400_000);
});
