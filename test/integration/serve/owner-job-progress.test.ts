import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliBin, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

/** Debian's emboss-data: real files nobody here wrote. */
const EMBOSS = '/usr/share/EMBOSS/data';
const OWN_SOURCE = path.join(EMBOSS, 'TAXONOMY');
const OTHER_SOURCE = path.join(EMBOSS, 'CODONS');

/**
 * Runs the real CLI on a pseudo-terminal (Python's pty module), so it draws its progress
 * bar as it does for a person at a terminal; resolves with everything the terminal got.
 */
function runOnTerminal(args: readonly string[]): Promise<{ code: number; output: string }> {
  const script = [
    'import os, pty, struct, sys, fcntl, termios',
    'pid, fd = pty.fork()',
    'if pid == 0:',
    '    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))',
    '    os.execv(sys.argv[1], sys.argv[1:])',
    'out = bytearray()',
    'while True:',
    '    try:',
    '        chunk = os.read(fd, 65536)',
    '    except OSError:',
    '        break',
    '    if not chunk:',
    '        break',
    '    out += chunk',
    '_, status = os.waitpid(pid, 0)',
    'sys.stdout.buffer.write(bytes(out))',
    'sys.exit(os.waitstatus_to_exitcode(status))',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, process.execPath, cliBin, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** One channel call over the owner's Unix socket, as another client makes it. */
function socketCall(socketPath: string, token: string, channel: string, input: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: 'POST', path: `/api/${channel}`, headers: { host: 'localhost', 'content-type': 'application/json', 'x-ontocat-token': token } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

describe.skipIf(!existsSync(OWN_SOURCE) || !existsSync(OTHER_SOURCE) || spawnSync('python3', ['-c', 'import pty']).status !== 0)('a CLI command run through the owner', () => {
  const temps: ReturnType<typeof makeTempRoot>[] = [];
  const serves: RunningServe[] = [];
  afterEach(async () => {
    for (const serve of serves.splice(0)) await serve.stop();
    for (const temp of temps.splice(0)) temp.cleanup();
  });

  it('draws the progress of its own job only, while another client runs jobs at the same time', async () => {
    const temp = makeTempRoot('ontocat-own-progress');
    temps.push(temp);
    const root = temp.root;
    const serve = await startServe(root);
    serves.push(serve);
    runOntocatOk(['ingest', OWN_SOURCE, '--service', 'taxonomy', '--version', '1', '--json'], { root });
    runOntocatOk(['ingest', OTHER_SOURCE, '--service', 'codons', '--version', '1', '--json'], { root });
    const ownFiles = readdirSync(OWN_SOURCE).sort();
    const otherFiles = new Set(readdirSync(OTHER_SOURCE));

    // Another client verifies codons/1 over and over (a verify runs beside other jobs)
    // for as long as the CLI's own verify of taxonomy/1 runs.
    let stop = false;
    const otherCalls: string[] = [];
    const other = (async () => {
      while (!stop) otherCalls.push(await socketCall(serve.endpoint, serve.token, 'storage:verify', { ref: 'codons/1' }));
    })();
    const own = await runOnTerminal(['verify', 'taxonomy/1', '--root', root]);
    stop = true;
    await other;
    expect(otherCalls.length).toBeGreaterThan(0);
    expect(JSON.parse(otherCalls[0]!)).toMatchObject({ ok: true, data: { checked: otherFiles.size } });

    expect(own.code).toBe(0);
    expect(own.output).toContain(`Checked ${ownFiles.length} files`);
    // Each drawn bar line: "verify verify [####......] 40% 2/5 … names.dmp".
    // eslint-disable-next-line no-control-regex
    const drawn = own.output.split(/\r\x1b\[2K/).map((line) => line.trim()).filter((line) => line.startsWith('verify '));
    expect(drawn.length).toBeGreaterThan(0);
    // The bar counts taxonomy/1's files and names them, never codons/1's: a line of the
    // job's start (no count yet) aside, each says N/5 and one of taxonomy/1's files.
    const foreign = drawn.filter((line) => {
      const total = /\d+\/(\d+)/.exec(line)?.[1];
      const current = line.split(' ').at(-1)!;
      return (total !== undefined && total !== String(ownFiles.length)) || otherFiles.has(current);
    });
    expect(foreign).toEqual([]);
    expect(drawn.filter((line) => ownFiles.includes(line.split(' ').at(-1)!)).length).toBeGreaterThan(0);
  }, 240_000);
});
