// bin/ontocat, the POSIX sh launcher: with a running `ontocat serve` on the root, the quick
// read commands are answered by it over the root's socket (curl, no Node process), and
// every command line must print exactly what `node bin/ontocat.mjs` prints, on the same
// streams, with the same exit code. Anything it does not take (a write, `--db`, no socket,
// a stale socket, no token) runs the Node CLI. Real serve process, real socket, real curl.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillCatalog } from '../../bench/cli-start.bench.js';
import { cliBin, projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { httpStatusFor } from '../../../electron/serve/http-status.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

const launcher = path.join(projectRoot, 'bin', 'ontocat');

function which(name: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

const curl = which('curl');
const dash = which('dash');
if (!curl) console.warn('sh-launcher tests SKIPPED: curl is not installed (.ci/run installs it with apt-get).');

interface Run { code: number | null; stdout: string; stderr: string }

/** `node bin/ontocat.mjs ARGS`: the reference. */
function viaNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [cliBin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `SHELL bin/ontocat ARGS` with `env` over this process's environment. */
function viaLauncher(args: readonly string[], env: NodeJS.ProcessEnv = {}, shell = '/bin/sh'): Run {
  const r = spawnSync(shell, [launcher, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!curl)('bin/ontocat, the sh launcher', () => {
  const temp = makeTempRoot('ontocat-sh-launcher');
  let root = '';
  let serve: RunningServe | null = null;
  // A PATH with the tools the fast path uses and no node: a command line answered there
  // did not fall back. Its curl logs its arguments (then runs the real curl).
  let noNodePath = '';
  let curlLog = '';

  beforeAll(async () => {
    root = path.join(temp.root, 'root with space é');
    mkdirSync(root);
    expect(viaNode(['init', '--root', root]).code).toBe(0);
    await fillCatalog(root, 500);
    const tools = path.join(temp.root, 'tools');
    mkdirSync(tools);
    for (const tool of ['mktemp', 'rm', 'dd', 'tail', 'uname', 'cat', 'ls', 'cut', 'stty']) {
      const at = which(tool);
      if (at) symlinkSync(at, path.join(tools, tool));
    }
    curlLog = path.join(temp.root, 'curl-args.log');
    writeFileSync(path.join(tools, 'curl'), `#!/bin/sh\nfor a do printf '%s\\n' "$a" >>'${curlLog}'; done\nexec '${curl}' "$@"\n`);
    chmodSync(path.join(tools, 'curl'), 0o755);
    noNodePath = tools;
    serve = await startServe(root);
  }, 300_000);

  afterAll(async () => {
    await serve?.stop();
    temp.cleanup();
  });

  const cases = (): string[][] => [
    ['info'], ['info', '--json'], ['versions'], ['versions', '--json'], ['versions', '--service', 'go', '--sort', 'files', '--desc', '--limit', '1'],
    ['versions', '--sort', 'bogus'], ['versions', '--limit', '0'], ['latest', 'get', 'uberon'], ['latest', 'get', 'uberon', '--json'],
    ['latest', 'get', 'nothing-here'], ['info', 'extra'], ['versions', '--bogus'], ['latest', 'get'], ['info', '--help'],
    ['latest', 'get', `it's a "quoted"\nline with spaces, ü and 雪 \\ $HOME \`x\``],
  ];

  it('answers every quick command line through the running serve exactly as the Node CLI, without starting node', () => {
    for (const argv of cases()) {
      const args = [...argv, '--root', root];
      const node = viaNode(args);
      const sh = viaLauncher(args, { PATH: noNodePath });
      expect({ argv, ...sh }).toEqual({ argv, ...node });
      if (!argv.includes('--help') && node.code !== 2) expect(sh.stderr).toContain('using the running ontocat-web');
    }
    // The argument with quotes, a newline and non-ASCII reached the owner intact: its
    // refusal quotes the name back, JSON-escaped.
    const odd = viaLauncher(['latest', 'get', 'a "b"\nc ü', '--root', root], { PATH: noNodePath });
    expect(odd.code).toBe(1);
    expect(odd.stderr).toContain(String.raw`Invalid service name 'a \"b\"\nc ü'`);
  }, 300_000);

  it('runs the same through dash, with the root from ONTOCAT_ROOT', () => {
    for (const argv of [['info'], ['versions', '--json'], ['latest', 'get', 'go']]) {
      const node = viaNode(argv, { ONTOCAT_ROOT: root });
      const sh = viaLauncher(argv, { ONTOCAT_ROOT: root, PATH: noNodePath }, dash ?? '/bin/sh');
      expect({ argv, ...sh }).toEqual({ argv, ...node });
    }
  }, 120_000);

  it('on a terminal, cuts tables to its width as the Node CLI does there', () => {
    const script = which('script');
    if (!script) return;
    const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;
    // util-linux script: a real pseudo-terminal, 60 columns wide.
    const inTerminal = (command: readonly string[], env: NodeJS.ProcessEnv = {}): string => {
      const run = spawnSync(script, ['-qec', `stty cols 60 rows 40; ${command.map(quote).join(' ')}`, '/dev/null'], {
        encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000,
      });
      return run.stdout.replace(/\r/g, '');
    };
    const args = ['versions', '--root', root];
    const node = inTerminal([process.execPath, cliBin, ...args]);
    const sh = inTerminal(['/bin/sh', launcher, ...args], { PATH: noNodePath });
    expect(sh).toBe(node);
    expect(node).toContain('…');
    expect(node).not.toBe(viaNode(args).stdout);
  }, 120_000);

  it("ignores the user's ~/.curlrc", () => {
    const home = path.join(temp.root, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, '.curlrc'), 'verbose\ninclude\n');
    const args = ['info', '--root', root];
    expect(viaLauncher(args, { HOME: home, PATH: noNodePath })).toEqual(viaNode(args, { HOME: home }));
  }, 60_000);

  it('never puts the token on a command line', () => {
    rmSync(curlLog, { force: true });
    expect(viaLauncher(['info', '--root', root], { PATH: noNodePath }).code).toBe(0);
    const token = readFileSync(path.join(root, '.ontocat.token'), 'utf8').trim();
    const logged = readFileSync(curlLog, 'utf8');
    expect(logged).toContain('--unix-socket');
    expect(logged).not.toContain(token);
  }, 60_000);

  it('a token file others can read: both paths refuse alike, saying why and what to do, and work once it is owner-only again', () => {
    const tokenFile = path.join(root, '.ontocat.token');
    chmodSync(tokenFile, 0o644);
    try {
      expect(spawnSync('stat', ['-c', '%a', tokenFile], { encoding: 'utf8' }).stdout.trim()).toBe('644');
      for (const argv of [['info'], ['pin', 'go/2024.1']]) {
        const args = [...argv, '--root', root];
        const node = viaNode(args);
        expect(node.code).toBe(1);
        expect(node.stderr).toContain(`its access token ${tokenFile} can be read by others (mode 644)`);
        expect(node.stderr).toContain(`run 'chmod 600 ${tokenFile}'`);
        expect(viaLauncher(args)).toEqual(node);
      }
    } finally {
      chmodSync(tokenFile, 0o600);
    }
    const again = viaLauncher(['info', '--root', root], { PATH: noNodePath });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('using the running ontocat-web');
  }, 120_000);

  it('the owner itself refuses (409) what is not a quick read on its root, and a wrong token (401)', () => {
    const token = readFileSync(path.join(root, '.ontocat.token'), 'utf8').trim();
    let lastBody = '';
    const post = (fields: readonly string[], withToken = token): string => {
      const bodyOut = path.join(temp.root, 'answer.bin');
      const r = spawnSync(curl!, ['-s', '-o', bodyOut, '-w', '%{http_code}', '--unix-socket', path.join(root, '.ontocat.sock'), '-K', '-', '--data-binary', '@' + bodyFile(fields), 'http://localhost/cli/quick'],
        { encoding: 'utf8', input: `header = "x-ontocat-token: ${withToken}"\n` });
      lastBody = readFileSync(bodyOut, 'utf8');
      return r.stdout;
    };
    const bodyFile = (fields: readonly string[]): string => {
      const file = path.join(temp.root, 'body.bin');
      writeFileSync(file, fields.map((f) => `${f}\0`).join(''));
      return file;
    };
    expect(post([root, 'info'])).toBe('200');
    expect(post([root, 'latest', 'set', 'go', '2024.1'])).toBe('409');
    // The refusal's code agrees with its status (httpStatusFor: CONFLICT is 409, BAD_INPUT 400),
    // so a client that reads the code does not take a well-formed line for a malformed one.
    const refusal = JSON.parse(lastBody) as { ok: boolean; code: string; message: string };
    expect(refusal).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(httpStatusFor(refusal.code)).toBe(409);
    expect(post([root, 'services'])).toBe('409');
    expect(post([root, 'info', '--db', path.join(root, 'catalog.duckdb')])).toBe('409');
    expect(post([temp.root, 'info'])).toBe('409');
    expect(post(['relative', 'info'])).toBe('409');
    expect(post([root, 'info', '--root', 'relative'])).toBe('409');
    expect(post([root, 'info'], 'y'.repeat(32))).toBe('401');
  }, 120_000);

  it('hands anything else to the Node CLI: a write, --db, a relative root, a command it does not take', () => {
    const db = path.join(root, 'catalog.duckdb');
    // The write sets the latest go it already is, so both runs print the same line.
    for (const argv of [['info', '--db', db, '--root', root], ['services', '--root', root], ['latest', 'set', 'go/2024.2', '--root', root], ['--help']]) {
      const sh = viaLauncher(argv);
      const node = viaNode(argv);
      expect({ argv, ...sh }).toEqual({ argv, ...node });
      // Without node on PATH it cannot answer: it did not take the fast path.
      expect(viaLauncher(argv, { PATH: noNodePath }).code).toBe(127);
    }
    const relative = spawnSync('/bin/sh', [launcher, 'info', '--root', path.basename(root)], { cwd: path.dirname(root), encoding: 'utf8', env: { ...process.env, PATH: noNodePath } });
    expect(relative.status).toBe(127);
  }, 300_000);

  it('falls back and still answers when the token is unreadable or wrong', () => {
    const tokenFile = path.join(root, '.ontocat.token');
    const token = readFileSync(tokenFile, 'utf8');
    try {
      // A wrong token: the owner refuses it (401), the launcher runs the Node CLI.
      writeFileSync(tokenFile, `${'x'.repeat(32)}\n`, { mode: 0o600 });
      expect(viaLauncher(['info', '--root', root], { PATH: noNodePath }).code).toBe(127);
      expect(viaLauncher(['info', '--root', root])).toEqual(viaNode(['info', '--root', root]));
      unlinkSync(tokenFile);
      expect(viaLauncher(['info', '--root', root], { PATH: noNodePath }).code).toBe(127);
      expect(viaLauncher(['info', '--root', root])).toEqual(viaNode(['info', '--root', root]));
    } finally {
      writeFileSync(tokenFile, token, { mode: 0o600 });
    }
    expect(viaLauncher(['info', '--root', root], { PATH: noNodePath }).code).toBe(0);
  }, 300_000);

  it('falls back to the catalog itself once serve stopped, and past a stale socket left by a killed process', async () => {
    await serve!.stop();
    serve = null;
    const gone = viaLauncher(['info', '--json', '--root', root]);
    expect(gone).toEqual(viaNode(['info', '--json', '--root', root]));
    expect(gone.code).toBe(0);
    expect(JSON.parse(gone.stdout)).toMatchObject({ versions: 10, files: 500 });
    // A socket file nobody listens on: a listener killed with SIGKILL leaves it behind.
    const sock = path.join(root, '.ontocat.sock');
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(sock)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(sock)).toBe(true);
    const stale = viaLauncher(['info', '--root', root]);
    expect(stale).toEqual(viaNode(['info', '--root', root]));
    expect(stale.code).toBe(0);
    expect(stale.stdout).toContain('files:    500');
  }, 300_000);

  it('is POSIX sh: sh -n and dash -n accept it', () => {
    expect(spawnSync('/bin/sh', ['-n', launcher]).status).toBe(0);
    if (dash) expect(spawnSync(dash, ['-n', launcher]).status).toBe(0);
  });
});
