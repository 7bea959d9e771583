/**
 * The download routes of a real `ontocat serve` process, asked with curl and Python's
 * http.client, the bytes held to coreutils (sha256sum, stat) and the server's open files to
 * GNU find over /proc.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin, projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** Debian's NCBI taxonomy names (88 MB): far more than a loopback connection buffers. */
const BIG_FILE = '/usr/share/EMBOSS/data/TAXONOMY/names.dmp';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => { setTimeout(resolve, ms); });

describe('ontocat serve: GET /api/download/file', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let owner: ChildProcess;
  let started: { origin: string; root: string };
  let token: string;
  let stored: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-download-routes');
    const source = path.join(temp.root, 'taxonomy');
    mkdirSync(source);
    copyFileSync(BIG_FILE, path.join(source, 'names.dmp'));
    const root = path.join(temp.root, 'root');
    const ingest = runOntocat(['ingest', source, '--service', 'taxonomy', '--version', '2022'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    owner = spawn(process.execPath, [cliBin, 'serve', '--root', root, '--port', '0', '--json'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    started = await new Promise((resolve, reject) => {
      owner.once('exit', (code) => reject(new Error(`ontocat serve exited with ${code}`)));
      createInterface({ input: owner.stdout! }).once('line', (line) => resolve(JSON.parse(line) as typeof started));
    });
    token = readFileSync(path.join(started.root, '.ontocat.token'), 'utf8').trim();
    stored = path.join(started.root, 'taxonomy', '2022', 'data', 'names.dmp');
  }, 180_000);
  afterAll(async () => {
    if (owner && owner.exitCode === null) {
      const exited = new Promise((resolve) => owner.once('exit', resolve));
      owner.kill('SIGINT');
      await exited;
    }
    temp?.cleanup();
  });

  const url = (): string => `${started.origin}/api/download/file?ref=taxonomy/2022&relpath=names.dmp`;

  /** The serve process's open files that are the stored file, as GNU find reads /proc/PID/fd. */
  const openCopies = (): string[] => execFileSync('find', [`/proc/${owner.pid}/fd`, '-lname', stored], { encoding: 'utf8' }).split('\n').filter(Boolean);

  it('lets go of the stored file when the client goes away mid-download', async () => {
    for (let i = 0; i < 3; i += 1) {
      // A browser's cancelled download: curl reads a little, slowly, then gives up.
      const cut = spawnSync('curl', ['-s', '-o', '/dev/null', '--limit-rate', '200k', '--max-time', '1', '-H', `x-ontocat-token: ${token}`, url()]);
      expect(cut.status, 'curl timed out (28), as meant').toBe(28);
    }
    let open = openCopies();
    for (let waited = 0; open.length > 0 && waited < 5000; waited += 250) {
      await sleep(250);
      open = openCopies();
    }
    // Before: every cancelled download kept its descriptor for as long as serve ran.
    expect(open).toEqual([]);
    // A whole download still hands out the stored bytes (coreutils sha256sum).
    const target = path.join(temp.root, 'downloaded.dmp');
    const whole = spawnSync('curl', ['-s', '-f', '-o', target, '-H', `x-ontocat-token: ${token}`, url()]);
    expect(whole.status).toBe(0);
    const sha = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;
    expect(sha(target)).toBe(sha(BIG_FILE));
  }, 60_000);
});
