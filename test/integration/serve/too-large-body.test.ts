/**
 * A body over the limit gets its 413 every time, not a reset connection. The web host
 * answered and closed while curl was still sending the rest of a 1.1 MiB body, and about
 * one upload in five ended in curl's "failed sending data" instead of the answer. Forty
 * uploads with curl on 127.0.0.1.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlCode } from '../../helpers/http-request.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

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
    const upload = ['-H', `x-ontocat-token: ${serve.token}`, '-H', 'content-type: application/json', '--data-binary', `@${bigBody}`, `${serve.origin}/api/catalog:info`];
    const answers: string[] = [];
    for (let i = 0; i < 40; i += 1) answers.push((await curlCode(upload)).join(' '));
    expect(answers).toEqual(Array(40).fill('413 TOO_LARGE'));
  }, 120_000);
});
