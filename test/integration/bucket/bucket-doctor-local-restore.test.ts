/**
 * The root's ordinary doctor on a bucket root: a version's file and its local cache copy
 * gone, while the bucket holds the object. Doctor must say the bucket holds it and put the
 * file back from there, not call it lost ("no copy exists") and mark the version damaged.
 * A real s3rver, Debian's EMBOSS files, bytes by coreutils sha256sum, inodes by stat.
 */
import { copyFileSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { casRelpath } from '../../../electron/storage/layout.js';
import { sessionOn } from '../../helpers/temp-root.js';
import { cutOffBucket, modeAndInode, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';
import { sha256sumOf } from '../../helpers/sync-fixtures.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
const withSession = sessionOn(() => root);
useBucketRoot('ontocat-bucket-doctor-local', (fixture) => ({ root, bucket, scratch } = fixture));

const EMBOSS = '/usr/share/EMBOSS/data';
const NAMES = ['EDAM.obo', 'EBLOSUM62', 'EPAM250'];


describe('doctor on a bucket root', { timeout: 240_000 }, () => {
  it('puts a file back from the bucket when the local cache lost its copy, and calls lost only what the bucket lacks too', async () => {
    const source = path.join(scratch, 'v1');
    mkdirSync(source, { recursive: true });
    for (const name of NAMES) copyFileSync(path.join(EMBOSS, name), path.join(source, name));
    const sha = Object.fromEntries(NAMES.map((name) => [name, sha256sumOf(path.join(EMBOSS, name))]));
    const cached = (name: string): string => path.join(root, ...casRelpath(sha[name]!).split('/'));
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      await session.call('ingest:run', { source, service: 'emboss', version: '1' });
      // EDAM.obo: the file and its cached copy gone, the bucket still holds it.
      // EPAM250: gone everywhere, the bucket's object deleted too (the test's own client).
      for (const name of ['EDAM.obo', 'EPAM250']) {
        unlinkSync(cached(name));
        unlinkSync(path.join(root, 'emboss', '1', 'data', name));
      }
      await bucket.remove([bucket.casKey(sha.EPAM250!)]);
      expect((await bucket.list('cas/')).map((item) => item.key)).toContain(bucket.casKey(sha['EDAM.obo']!));

      const plan = await session.call('doctor:plan', {});
      const byPath = new Map(plan.findings.map((item) => [item.path, item]));
      const edam = byPath.get('emboss/1/data/EDAM.obo');
      expect(edam).toMatchObject({ kind: 'missing_file', fix: 'relink_from_cas' });
      expect(edam!.detail).not.toMatch(/no copy exists/);
      const object = byPath.get(casRelpath(sha['EDAM.obo']!));
      expect(object).toMatchObject({ kind: 'cas_missing', fix: 'download_object' });
      expect(object!.detail).toContain('bucket');
      // Lost for real: neither the cache nor the bucket holds it.
      expect(byPath.get('emboss/1/data/EPAM250')).toMatchObject({ kind: 'missing_file', fix: 'mark_damaged' });
      expect(byPath.get('emboss/1/data/EPAM250')!.detail).toMatch(/nor the bucket/);

      const result = await session.call('doctor:apply', { plan_id: plan.plan_id });
      expect(result.actions).toMatchObject({ download_object: 1, relink_from_cas: 1, mark_damaged: 1 });
      const again = await session.call('doctor:plan', {});
      expect(again.findings).toEqual([]);
    });
    const restored = path.join(root, 'emboss', '1', 'data', 'EDAM.obo');
    expect(sha256sumOf(restored)).toBe(sha['EDAM.obo']);
    expect(sha256sumOf(cached('EDAM.obo'))).toBe(sha['EDAM.obo']);
    // The file is a link of the cache's copy again, read-only as every object of the store.
    expect(modeAndInode(restored).inode).toBe(modeAndInode(cached('EDAM.obo')).inode);
    expect(modeAndInode(cached('EDAM.obo')).mode).toBe('444');
    expect(existsSync(path.join(root, 'emboss', '1', 'data', 'EPAM250'))).toBe(false);
  });

  it('marks nothing damaged when the bucket cannot be reached to ask', async () => {
    const source = path.join(scratch, 'v1');
    mkdirSync(source, { recursive: true });
    copyFileSync(path.join(EMBOSS, 'EDAM.obo'), path.join(source, 'EDAM.obo'));
    const sha = sha256sumOf(path.join(EMBOSS, 'EDAM.obo'));
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      await session.call('ingest:run', { source, service: 'emboss', version: '1' });
    });
    unlinkSync(path.join(root, ...casRelpath(sha).split('/')));
    unlinkSync(path.join(root, 'emboss', '1', 'data', 'EDAM.obo'));
    // The root's bucket now answers nowhere: port 9 (discard) on 127.0.0.1 refuses the connection.
    cutOffBucket(root);
    await withSession(async (session) => {
      const plan = await session.call('doctor:plan', {});
      const edam = plan.findings.find((item) => item.path === 'emboss/1/data/EDAM.obo');
      expect(edam).toMatchObject({ kind: 'missing_file', fix: 'leave' });
      expect(edam!.detail).toContain('could not be reached');
      await session.call('doctor:apply', { plan_id: plan.plan_id });
      expect((await session.call('doctor:plan', {})).damaged_versions).toEqual([]);
    });
  });
});
