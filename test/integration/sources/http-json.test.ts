/**
 * The registry-metadata GET (npm resolver) against a real 127.0.0.1 server that behaves as
 * real ones do: a CDN coding the JSON with gzip or br although nothing asked for it (it
 * failed as "did not answer JSON"), and a 503 with Retry-After (asked again after 500 ms
 * whatever the server said). Outside truth for the wait: RFC 9110 §10.2.3, read off the
 * server's own clock between the requests.
 */
import type http from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { getJson } from '../../../electron/sources/http-json.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';

const metadata = { name: '@zazuko/rdf-vocabularies', 'dist-tags': { latest: '2021.9.22' } };
type Answer = (res: http.ServerResponse) => void;
let answers: Answer[] = [];
let seen: number[] = [];
const local = localHttpServer((_req, res) => {
  seen.push(Date.now());
  const answer = answers.shift();
  if (!answer) { res.writeHead(404).end(); return; }
  answer(res);
});
beforeEach(() => {
  answers = [];
  seen = [];
});

const json = JSON.stringify(metadata);

describe('registry metadata over HTTP', () => {
  it.each([
    ['gzip', (text: string) => gzipSync(text)],
    ['br', (text: string) => brotliCompressSync(text)],
    ['deflate', (text: string) => deflateSync(text)],
    // Raw deflate under the zlib format's name, as some servers send it (curl reads it too).
    ['deflate', (text: string) => deflateRawSync(text)],
  ])('reads JSON sent in %s coding nobody asked for', async (coding, encode) => {
    answers.push((res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding }).end(encode(json)));
    expect(await getJson(`${local.base}/meta`, { retries: 0 })).toEqual(metadata);
  });

  it('asks again no sooner than Retry-After says', async () => {
    answers.push((res) => res.writeHead(503, { 'retry-after': '1' }).end());
    answers.push((res) => res.writeHead(200, { 'content-type': 'application/json' }).end(json));
    expect(await getJson(`${local.base}/meta`, { retries: 2, backoffMs: 10 })).toEqual(metadata);
    expect(seen).toHaveLength(2);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(1000);
  });

  it('fails at once, saying when, when Retry-After is past a minute', async () => {
    answers.push((res) => res.writeHead(503, { 'retry-after': '3600' }).end());
    const error = await getJson(`${local.base}/meta`, { retries: 3, backoffMs: 10 }).then(() => null, (e: unknown) => e);
    expect(isOntocatError(error, 'FETCH_FAILED')).toBe(true);
    expect(String((error as Error).message)).toMatch(/HTTP 503 with Retry-After 3600: it asks to be asked again no sooner than \d{4}-\d{2}-\d{2}T/);
    expect(seen).toHaveLength(1);
  });
});
