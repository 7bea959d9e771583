/**
 * A linked checkout on a bucket root whose local cache lacks some objects: the objects
 * downloaded into the cache are as read-only as those ingest stored there, so the linked
 * files handed out (which share their bytes with the cache) are read-only too. Modes read
 * with coreutils stat, bytes with sha256sum, on a real s3rver with Debian's EMBOSS files.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { casRelpath } from '../../../electron/storage/layout.js';
import { sessionOn } from '../../helpers/temp-root.js';
import { useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';
import { sha256sumOf } from '../../helpers/sync-fixtures.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
const withSession = sessionOn(() => root);
useBucketRoot('ontocat-bucket-checkout-mode', (fixture) => ({ root, bucket, scratch } = fixture));

const EMBOSS = '/usr/share/EMBOSS/data';
const NAMES = ['EDAM.obo', 'EBLOSUM62', 'EPAM250'];

/** `stat -c '%a %h %i'` of a file: mode, link count, inode. */
function statOf(file: string): { mode: string; links: number; inode: string } {
  const run = spawnSync('stat', ['-c', '%a %h %i', file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const [mode, links, inode] = run.stdout.trim().split(' ');
  return { mode: mode!, links: Number(links), inode: inode! };
}


describe('checkout from the bucket', { timeout: 240_000 }, () => {
  it('hands out downloaded objects read-only, as the ones the cache held', async () => {
    const source = path.join(scratch, 'v1');
    mkdirSync(source, { recursive: true });
    for (const name of NAMES) copyFileSync(path.join(EMBOSS, name), path.join(source, name));
    const out = path.join(scratch, 'checkout');
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      await session.call('ingest:run', { source, service: 'emboss', version: '1' });
      // The local cache loses two objects (and the version folder's links to them): the bucket has them.
      for (const name of ['EDAM.obo', 'EPAM250']) {
        const sha = sha256sumOf(path.join(EMBOSS, name));
        unlinkSync(path.join(root, ...casRelpath(sha).split('/')));
        unlinkSync(path.join(root, 'emboss', '1', 'data', name));
      }
      const result = await session.call('versions:checkout', { ref: 'emboss/1', dir: out });
      expect(result).toMatchObject({ files: 3, linked: 3, downloaded: 2 });
    });
    for (const name of NAMES) {
      const sha = sha256sumOf(path.join(EMBOSS, name));
      const cached = path.join(root, ...casRelpath(sha).split('/'));
      expect(sha256sumOf(path.join(out, name))).toBe(sha);
      // One inode, shared by the cache and the checkout: read-only for everyone.
      expect(statOf(path.join(out, name)).inode).toBe(statOf(cached).inode);
      expect({ name, mode: statOf(path.join(out, name)).mode }).toEqual({ name, mode: '444' });
      expect({ name, mode: statOf(cached).mode }).toEqual({ name, mode: '444' });
    }
  });
});
