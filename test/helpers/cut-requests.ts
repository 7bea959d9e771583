/**
 * What a served file must survive: requests cut part-way (a cancelled download, a tab closed
 * while an asset loads) leave no descriptor of it open in the server, as GNU find reads
 * /proc/PID/fd, and a whole request still hands out its bytes (coreutils sha256sum).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { expect } from 'vitest';
import type { RunningServe } from './web-host.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => { setTimeout(resolve, ms); });
const sha256 = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;

/** Cuts three requests of `url` (the server's copy `served`), then fetches it whole into `saveTo` and holds it to `reference`. */
export async function expectLetGoAfterCuts(serve: RunningServe, url: string, served: string, reference: string, saveTo: string): Promise<void> {
  const openCopies = (): string[] => execFileSync('find', [`/proc/${serve.child.pid}/fd`, '-lname', served], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (let i = 0; i < 3; i += 1) {
    // curl reads a little, slowly, then gives up.
    const cut = spawnSync('curl', ['-s', '-o', '/dev/null', '--limit-rate', '200k', '--max-time', '1', '-H', `x-ontocat-token: ${serve.token}`, url]);
    expect(cut.status, 'curl timed out (28), as meant').toBe(28);
  }
  let open = openCopies();
  for (let waited = 0; open.length > 0 && waited < 5000; waited += 250) {
    await sleep(250);
    open = openCopies();
  }
  // Before: every cut request kept its descriptor for as long as serve ran.
  expect(open).toEqual([]);
  const whole = spawnSync('curl', ['-s', '-f', '-o', saveTo, '-H', `x-ontocat-token: ${serve.token}`, url]);
  expect(whole.status).toBe(0);
  expect(sha256(saveTo)).toBe(sha256(reference));
}

/**
 * Fetches `url` slowly with curl and, once its first bytes are in, cuts the server's copy
 * `served` to 1 MiB with coreutils truncate: the answer already promised the whole length,
 * so curl must report a partial file (exit 18) at once: neither wait for the rest (until the
 * server's keep-alive timeout, or exit 28 at its own limit) nor take the short body for a
 * whole one (exit 0).
 */
export async function expectCutFileFailsClient(serve: RunningServe, url: string, served: string, saveTo: string): Promise<void> {
  const size = Number(execFileSync('stat', ['-c', '%s', served], { encoding: 'utf8' }).trim());
  const curl = spawn('curl', ['-s', '-o', saveTo, '--limit-rate', '16M', '--max-time', '30', '-H', `x-ontocat-token: ${serve.token}`, url], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => { curl.on('exit', (code) => resolve(code)); });
  for (let waited = 0; waited < 10_000 && !(statSync(saveTo, { throwIfNoEntry: false })?.size); waited += 50) await sleep(50);
  execFileSync('chmod', ['u+w', served]);
  execFileSync('truncate', ['-s', '1M', served]);
  const cutAt = Date.now();
  const code = await exited;
  const waited = Date.now() - cutAt;
  expect(code, 'curl: 18 partial file (28 = it waited for bytes that never came, 0 = took the cut body as whole)').toBe(18);
  // What was on the way drains at 16 MB/s within a second; a server that ended the
  // answer short on a kept-alive connection let curl wait until its keep-alive timeout (5 s).
  expect(waited).toBeLessThan(3000);
  expect(statSync(saveTo).size).toBeLessThan(size);
}
