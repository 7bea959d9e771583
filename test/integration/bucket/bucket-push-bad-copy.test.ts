/**
 * `ontocat bucket push` when one local copy no longer hashes to its name (bit rot, an edit
 * through a hardlink): that object must not go up, but every other missing object must,
 * and the push names the bad copy, says to run doctor, and exits non-zero. The bucket's own
 * ListObjectsV2 (AWS SDK against s3rver) says what it holds, and the push's head counts
 * what was already there as that listing does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { casRelpath } from '../../../electron/storage/layout.js';
import { runOntocatAsync } from '../../helpers/run-cli.js';
import { sha256Hex, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
useBucketRoot('ontocat-bucket-push-bad', (fixture) => ({ root, bucket, scratch } = fixture));

/** A real `ontocat` child; s3rver runs in this process, so the call must not block it. */
function cli(args: readonly string[]) {
  return runOntocatAsync(args, { root, env: bucket.env });
}

describe('bucket push with a bad local copy', { timeout: 240_000 }, () => {
  it('uploads every other missing object, names the bad copy and exits non-zero', async () => {
    const init = await cli(['init', '--s3', bucket.url, '--endpoint', bucket.endpoint, '--region', bucket.region, '--path-style']);
    expect(init.code, init.stderr).toBe(0);
    const source = path.join(scratch, 'release');
    mkdirSync(source, { recursive: true });
    const texts = Array.from({ length: 30 }, (_, i) => `format-version: 1.2\n! term ${i}\n`);
    texts.forEach((text, i) => writeFileSync(path.join(source, `t${String(i).padStart(2, '0')}.obo`), text));
    const ingest = await cli(['ingest', source, '--service', 'go', '--version', 'v1']);
    expect(ingest.code, ingest.stderr).toBe(0);

    // The bucket loses every object; the first one's local copy changes (same size, other bytes).
    await bucket.remove((await bucket.list('cas/')).map((item) => item.key));
    expect(await bucket.list('cas/')).toEqual([]);
    const shas = texts.map((text) => sha256Hex(text)).sort();
    const bad = shas[0]!;
    const badText = texts.find((text) => sha256Hex(text) === bad)!;
    writeFileSync(path.join(root, ...casRelpath(bad).split('/')), badText.replace('term', 'TERM'));

    const push = await cli(['bucket', 'push']);
    const said = `${push.stdout}\n${push.stderr}`;
    expect(push.code, said).not.toBe(0);
    expect(said).toContain(bad);
    expect(said).toMatch(/doctor/);
    // ListObjectsV2: every good object is there, whole; the bad copy is not.
    const listed = await bucket.list('cas/');
    expect(listed.map((item) => item.key).sort()).toEqual(shas.slice(1).map((sha) => bucket.casKey(sha)).sort());
    for (const item of listed) expect(bucket.casKey(sha256Hex(await bucket.get(item.key)))).toBe(item.key);
    // The head says what the listing shows: 29 sent, none was there before, the bad one is in neither.
    expect(push.stdout).toContain(`Uploaded ${listed.length} of 30 referenced objects`);
    expect(push.stdout).toContain('; 0 were already in the bucket.');
    expect(push.stdout).not.toContain('the others were already in the bucket');

    // Pushed again: the 29 are there, the one bad copy is still not.
    const again = await cli(['bucket', 'push']);
    expect(again.stdout).toContain('Uploaded 0 of 30 referenced objects (0 B); 29 were already in the bucket.');
  });
});
