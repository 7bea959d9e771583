/**
 * The renderer's static files on a real `ontocat serve` process, asked with curl, the bytes
 * held to coreutils sha256sum and the server's open files to GNU find over /proc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

/** Debian's NCBI taxonomy names (88 MB): far more than a loopback connection buffers. */
const BIG_FILE = '/usr/share/EMBOSS/data/TAXONOMY/names.dmp';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => { setTimeout(resolve, ms); });

describe('ontocat serve: the renderer\'s static files', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let started: RunningServe;
  let token: string;
  let asset: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-static-files');
    // A renderer folder (ONTOCAT_RENDERER_DIR) with one asset large enough to be cut mid-file.
    const renderer = path.join(temp.root, 'renderer');
    mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Ontocat</title>\n');
    asset = path.join(renderer, 'assets', 'big-3f2a.txt');
    copyFileSync(BIG_FILE, asset);
    const root = path.join(temp.root, 'root');
    started = await startServe(root, { env: { ONTOCAT_RENDERER_DIR: renderer } });
    token = started.token;
  }, 180_000);
  afterAll(async () => {
    await started?.stop();
    temp?.cleanup();
  });

  const url = (): string => `${started.origin}/assets/big-3f2a.txt`;

  /** The serve process's open files that are the asset, as GNU find reads /proc/PID/fd. */
  const openCopies = (): string[] => execFileSync('find', [`/proc/${started.child.pid}/fd`, '-lname', asset], { encoding: 'utf8' }).split('\n').filter(Boolean);

  it('lets go of the file when the client goes away mid-file', async () => {
    for (let i = 0; i < 3; i += 1) {
      // A tab closed while the asset loads: curl reads a little, slowly, then gives up.
      const cut = spawnSync('curl', ['-s', '-o', '/dev/null', '--limit-rate', '200k', '--max-time', '1', '-H', `x-ontocat-token: ${token}`, url()]);
      expect(cut.status, 'curl timed out (28), as meant').toBe(28);
    }
    let open = openCopies();
    for (let waited = 0; open.length > 0 && waited < 5000; waited += 250) {
      await sleep(250);
      open = openCopies();
    }
    // Before: every cut request kept its descriptor for as long as serve ran.
    expect(open).toEqual([]);
    // A whole request still hands out the file's bytes (coreutils sha256sum).
    const target = path.join(temp.root, 'fetched.txt');
    const whole = spawnSync('curl', ['-s', '-f', '-o', target, '-H', `x-ontocat-token: ${token}`, url()]);
    expect(whole.status).toBe(0);
    const sha = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;
    expect(sha(target)).toBe(sha(BIG_FILE));
  }, 60_000);
});
