/**
 * What a served file must survive: requests cut part-way (a cancelled download, a tab closed
 * while an asset loads) leave no descriptor of it open in the server, as GNU find reads
 * /proc/PID/fd, and a whole request still hands out its bytes (coreutils sha256sum).
 */
import { execFileSync, spawnSync } from 'node:child_process';
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
