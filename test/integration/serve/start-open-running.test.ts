/**
 * `npm start` / `npm run demo` on a root an Ontocat already owns opens that one in the
 * browser. The token URL must not go on xdg-open's command line: every local user can read
 * a command line (ps, /proc/PID/cmdline), and the browser xdg-open starts keeps it as long as
 * it runs. As `ontocat serve --open` does, xdg-open is given an owner-only page that forwards.
 *
 * A stand-in xdg-open, first on PATH, records the arguments it is given; coreutils stat
 * reads the page's mode and Python's html.parser reads where it forwards to.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { cliBin, projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temps: ReturnType<typeof makeTempRoot>[] = [];
afterEach(() => { for (const temp of temps.splice(0)) temp.cleanup(); });

/** Python's html.parser: the URL of a page's `<meta http-equiv="refresh">`. */
function refreshTarget(file: string): string {
  const script = [
    'import sys', 'from html.parser import HTMLParser',
    'class P(HTMLParser):',
    '    def handle_starttag(self, tag, attrs):',
    '        a = dict(attrs)',
    "        if tag == 'meta' and (a.get('http-equiv') or '').lower() == 'refresh': print(a['content'].split('url=', 1)[1])",
    'P().feed(open(sys.argv[1]).read())',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

it.skipIf(process.platform !== 'linux')('npm start on a root already owned gives xdg-open an owner-only forwarding page, never the token', async () => {
  const temp = makeTempRoot('ontocat-start-open');
  temps.push(temp);
  const bin = path.join(temp.root, 'bin');
  const argvFile = path.join(temp.root, 'xdg-open-argv');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`);
  chmodSync(path.join(bin, 'xdg-open'), 0o755);
  const root = path.join(temp.root, 'catalog');
  const owner = spawn(process.execPath, [cliBin, 'serve', '--root', root, '--port', '0', '--json'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const started = await new Promise<{ url: string }>((resolve, reject) => {
      owner.once('exit', (code) => reject(new Error(`ontocat serve exited with ${code}`)));
      createInterface({ input: owner.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { url: string }));
    });
    const token = new URL(started.url).searchParams.get('token')!;
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, ONTOCAT_NO_ELECTRON_DOWNLOAD: '1' };
    delete env.ONTOCAT_NO_BROWSER;
    const run = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'start.mjs'), '--root', root], { cwd: projectRoot, encoding: 'utf8', env, timeout: 200_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Ontocat is already running on ${root}: ontocat-web (pid `);
    for (let i = 0; i < 100 && !existsSync(argvFile); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    const argv = readFileSync(argvFile, 'utf8').trim().split('\n');
    expect(argv).toHaveLength(1);
    // Was: the token URL itself, readable in /proc/PID/cmdline by every local user.
    expect(argv[0]).not.toContain(token);
    expect(argv[0]).toMatch(/^file:\/\//);
    const page = fileURLToPath(argv[0]!);
    temps.push({ root: path.dirname(page), cleanup: () => rmSync(path.dirname(page), { recursive: true, force: true }) });
    expect(execFileSync('stat', ['-c', '%a %U', page], { encoding: 'utf8' }).trim()).toBe(`600 ${execFileSync('id', ['-un'], { encoding: 'utf8' }).trim()}`);
    expect(execFileSync('stat', ['-c', '%a', path.dirname(page)], { encoding: 'utf8' }).trim()).toBe('700');
    expect(refreshTarget(page)).toBe(started.url);
  } finally {
    const exited = new Promise((resolve) => owner.once('exit', resolve));
    owner.kill('SIGINT');
    await exited;
  }
}, 300_000);
