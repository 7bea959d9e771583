/**
 * The root's ordinary doctor on a bucket root, with a local cache object damaged (bytes
 * that no longer match its name, or cut to another size) and no good local copy, while the
 * bucket holds the good object. Doctor must trash the damaged copy and download the good
 * one from the bucket, then put the files back from it, not call them lost ("no good copy
 * exists") and quarantine or mark them damaged.
 * A real s3rver, Debian's EMBOSS files, bytes by coreutils sha256sum, inodes by stat, the
 * cut by coreutils truncate, the trash by GNU find.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { casRelpath } from '../../../electron/storage/layout.js';
import { sessionOn } from '../../helpers/temp-root.js';
import { sha256sumOf } from '../../helpers/sync-fixtures.js';
import { cutOffBucket, modeAndInode, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
const withSession = sessionOn(() => root);
useBucketRoot('ontocat-bucket-doctor-damaged', (fixture) => ({ root, bucket, scratch } = fixture));

const EMBOSS = '/usr/share/EMBOSS/data';
const NAMES = ['EDAM.obo', 'EBLOSUM62', 'EPAM250'];

function run(command: string, args: string[]): string {
  const done = spawnSync(command, args, { encoding: 'utf8' });
  expect(done.status, done.stderr).toBe(0);
  return done.stdout;
}

/** Flips one byte in the middle of a file, in place (its size stays). */
function flipByte(file: string): void {
  chmodSync(file, 0o644);
  const fd = openSync(file, 'r+');
  try {
    const at = 100;
    const one = Buffer.alloc(1);
    readSync(fd, one, 0, 1, at);
    one[0] = one[0]! ^ 0xff;
    writeSync(fd, one, 0, 1, at);
  } finally {
    closeSync(fd);
  }
  chmodSync(file, 0o444);
}

describe('doctor on a bucket root with a damaged cache object', { timeout: 240_000 }, () => {
  it('downloads the good object from the bucket in place of a damaged or cut cache copy, and puts the files back from it', async () => {
    const source = path.join(scratch, 'v1');
    mkdirSync(source, { recursive: true });
    for (const name of NAMES) copyFileSync(path.join(EMBOSS, name), path.join(source, name));
    const sha = Object.fromEntries(NAMES.map((name) => [name, sha256sumOf(path.join(EMBOSS, name))]));
    const cached = (name: string): string => path.join(root, ...casRelpath(sha[name]!).split('/'));
    const data = (name: string): string => path.join(root, 'emboss', '1', 'data', name);
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      await session.call('ingest:run', { source, service: 'emboss', version: '1' });
    });
    // The bucket holds every object, at its size.
    const held = new Map((await bucket.list('cas/')).map((item) => [item.key, item.size]));
    for (const name of NAMES) expect(held.get(bucket.casKey(sha[name]!))).toBeGreaterThan(0);

    // EBLOSUM62: one byte of the cached object flipped; its file is a hard link of it, so no good local copy is left.
    expect(modeAndInode(data('EBLOSUM62')).inode).toBe(modeAndInode(cached('EBLOSUM62')).inode);
    flipByte(cached('EBLOSUM62'));
    expect(sha256sumOf(data('EBLOSUM62'))).not.toBe(sha.EBLOSUM62);
    // EPAM250: the cached object cut to 100 bytes (coreutils truncate) and the file gone.
    chmodSync(cached('EPAM250'), 0o644);
    run('truncate', ['-s', '100', cached('EPAM250')]);
    chmodSync(cached('EPAM250'), 0o444);
    unlinkSync(data('EPAM250'));

    await withSession(async (session) => {
      const plan = await session.call('doctor:plan', {});
      const byPath = new Map(plan.findings.map((item) => [item.path, item]));
      for (const name of ['EBLOSUM62', 'EPAM250']) {
        const object = byPath.get(casRelpath(sha[name]!));
        expect(object, name).toMatchObject({ kind: 'cas_corrupt', fix: 'download_object' });
        expect(object!.detail).toContain('bucket');
        expect(object!.detail).not.toMatch(/no good copy exists/);
      }
      expect(byPath.get('emboss/1/data/EBLOSUM62')).toMatchObject({ fix: 'restore_from_cas' });
      expect(byPath.get('emboss/1/data/EPAM250')).toMatchObject({ kind: 'missing_file', fix: 'relink_from_cas' });
      expect(plan.findings.filter((item) => item.fix === 'quarantine' || item.fix === 'mark_damaged')).toEqual([]);

      const result = await session.call('doctor:apply', { plan_id: plan.plan_id });
      expect(result.actions).toMatchObject({ download_object: 2, restore_from_cas: 1, relink_from_cas: 1 });
      const again = await session.call('doctor:plan', { deep: true });
      expect(again.findings).toEqual([]);
      expect(again.damaged_versions).toEqual([]);
    });
    for (const name of NAMES) {
      expect(sha256sumOf(data(name)), name).toBe(sha[name]);
      expect(sha256sumOf(cached(name)), name).toBe(sha[name]);
      // Each file is a link of the cache's copy again, read-only as every object of the store.
      expect(modeAndInode(data(name)).inode, name).toBe(modeAndInode(cached(name)).inode);
      expect(modeAndInode(cached(name)).mode, name).toBe('444');
    }
    // The damaged copies went to the trash (the changed file and the two objects), not deleted.
    const trashed = run('find', [path.join(root, '.trash'), '-type', 'f', '!', '-name', 'manifest.json', '-printf', '%s\\n']).trim().split('\n').map(Number).sort((a, b) => a - b);
    expect(trashed).toContain(100);
    expect(trashed.filter((size) => size === Number(run('stat', ['-c', '%s', path.join(EMBOSS, 'EBLOSUM62')]).trim())).length).toBeGreaterThanOrEqual(1);
  });

  it('marks nothing damaged when the bucket cannot be reached to ask for a good copy', async () => {
    const source = path.join(scratch, 'v1');
    mkdirSync(source, { recursive: true });
    copyFileSync(path.join(EMBOSS, 'EBLOSUM62'), path.join(source, 'EBLOSUM62'));
    const sha = sha256sumOf(path.join(EMBOSS, 'EBLOSUM62'));
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      await session.call('ingest:run', { source, service: 'emboss', version: '1' });
    });
    flipByte(path.join(root, ...casRelpath(sha).split('/')));
    // The root's bucket now answers nowhere: port 9 (discard) on 127.0.0.1 refuses the connection.
    cutOffBucket(root);
    await withSession(async (session) => {
      const plan = await session.call('doctor:plan', {});
      const file = plan.findings.find((item) => item.path === 'emboss/1/data/EBLOSUM62');
      expect(file).toMatchObject({ fix: 'leave' });
      expect(file!.detail).toContain('could not be reached');
      expect(plan.findings.find((item) => item.path === casRelpath(sha))!.detail).toContain('could not be reached');
      await session.call('doctor:apply', { plan_id: plan.plan_id });
      expect((await session.call('doctor:plan', {})).damaged_versions).toEqual([]);
    });
  });
});
