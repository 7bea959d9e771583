/**
 * A body over the limit gets its 413 every time, not a reset connection. The web host
 * answered and closed while curl was still sending the rest of a 1.1 MiB body, and about
 * one upload in five ended in curl's "failed sending data" instead of the answer. Forty
 * uploads with curl on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

const run = promisify(execFile);

describe('a request body over the limit', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let serve: RunningServe;
  let bigBody: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-too-large');
    serve = await startServe(path.join(temp.root, 'root'));
    bigBody = path.join(temp.root, 'big.json');
    writeFileSync(bigBody, JSON.stringify({ pad: 'x'.repeat(1100 * 1024) }));
  }, 120_000);
  afterAll(async () => {
    await serve?.stop();
    temp?.cleanup();
  });

  it('is answered 413 TOO_LARGE on every upload', async () => {
    const token = ['-H', `x-ontocat-token: ${serve.token}`, '-H', 'content-type: application/json', '--data-binary', `@${bigBody}`];
    const targets = [[`${serve.origin}/api/catalog:info`]];
    const answers: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      for (const target of targets) {
        // curl exits non-zero (55, 56) when the connection is reset before it reads the answer.
        const { stdout } = await run('curl', ['-s', '--max-time', '20', '-w', '\n%{http_code}', ...token, ...target], { encoding: 'utf8', maxBuffer: 1 << 20 })
          .catch((error: { code?: number; stdout?: string }) => ({ stdout: `curl exit ${error.code}\n0` }));
        const cut = stdout.lastIndexOf('\n');
        const code = stdout.startsWith('{') ? (JSON.parse(stdout.slice(0, cut)) as { code?: string }).code : stdout.slice(0, cut);
        answers.push(`${stdout.slice(cut + 1)} ${code}`);
      }
    }
    expect(answers).toEqual(Array(40).fill('413 TOO_LARGE'));
  }, 120_000);
});
