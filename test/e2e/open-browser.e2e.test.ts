/**
 * `ontocat serve --open` hands the browser the app without putting the access token on
 * a command line: any local user reads another's command lines (ps, /proc/PID/cmdline),
 * and a browser that xdg-open starts keeps its arguments for as long as it runs. A
 * stand-in xdg-open records what it is given; Debian's Chromium opens that and must land
 * on the app with the token, and stat(1) says who may read what it opened.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../helpers/browser.js';
import { cliBin, projectRoot } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[open-browser.e2e] skipped: no Chromium at ${CHROMIUM_PATH}.`);

describe.skipIf(!hasChromium || process.platform !== 'linux')('ontocat serve --open keeps the token off command lines', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-open-browser');
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    temp?.cleanup();
  });

  it('gives xdg-open no token, and what it gives opens the app in Chromium', async () => {
    const bin = path.join(temp.root, 'bin');
    const argvFile = path.join(temp.root, 'xdg-open-argv');
    mkdirSync(bin, { recursive: true });
    rmSync(argvFile, { force: true });
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const root = path.join(temp.root, 'catalog');
    const child = spawn(process.execPath, [cliBin, 'serve', '--root', root, '--port', '0', '--open', '--json'], {
      cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    try {
      const started = await new Promise<{ url: string }>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`ontocat serve exited with ${code}`)));
        createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { url: string }));
      });
      const token = new URL(started.url).searchParams.get('token')!;
      for (let i = 0; i < 100 && !existsSync(argvFile); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      const argv = readFileSync(argvFile, 'utf8').trim().split('\n');
      expect(argv).toHaveLength(1);
      expect(argv[0]).not.toContain(token);
      // What xdg-open got holds the token, so it is a file the owner alone may read.
      expect(argv[0]).toMatch(/^file:\/\//);
      expect(execFileSync('stat', ['-c', '%a %U', fileURLToPath(argv[0]!)], { encoding: 'utf8' }).trim())
        .toBe(`600 ${execFileSync('id', ['-un'], { encoding: 'utf8' }).trim()}`);
      const context = await browser!.browser.newContext();
      const page = await context.newPage();
      await page.goto(argv[0]!);
      await page.waitForURL(started.url, { timeout: 30_000 });
      expect(page.url()).toBe(started.url);
      await context.close();
    } finally {
      // A child already gone never sends 'exit' again; one slow to stop (a loaded machine) is killed after 20 s.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        const slow = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(slow);
      }
    }
  }, 120_000);
});
