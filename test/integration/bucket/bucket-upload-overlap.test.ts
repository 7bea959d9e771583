import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BucketUploader } from '../../../electron/ingest/bucket-upload.js';
import { writeStorageConfig } from '../../../electron/storage/bucket-config.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { MULTIPART_THRESHOLD, PART_SIZE } from '../../../electron/storage/bucket-store.js';
import { sessionOn } from '../../helpers/temp-root.js';
import { eventually, sha256Hex, type TestBucket, useBucketRoot } from '../../helpers/test-bucket.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
const withSession = sessionOn(() => root);
useBucketRoot('ontocat-bucket-overlap', (fixture) => ({ root, bucket, scratch } = fixture));

function sourceFolder(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  for (const [relpath, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    writeFileSync(path.join(dir, relpath), content);
  }
  return dir;
}

describe('uploads while an ingest stages', { timeout: 240_000 }, () => {
  it('an offered content goes up before the ingest asks to finish; one the catalog references is not sent again', async () => {
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      const v1 = { 'a.obo': 'format-version: 1.2\n' };
      await session.call('ingest:run', { source: sourceFolder('v1', v1), service: 'go', version: 'v1' });
      const known = sha256Hex(v1['a.obo']);
      // The referenced object goes away from the bucket: an uploader that asked the catalog
      // does not put it back (bucket doctor reports it missing; bucket push restores it).
      await bucket.remove([bucket.casKey(known)]);

      const fresh = ['new content one\n', 'new content two\n'].map((text, i) => {
        const file = path.join(scratch, `fresh${i}`);
        writeFileSync(file, text);
        return { sha256: sha256Hex(text), size: Buffer.byteLength(text), file };
      });
      const uploader = BucketUploader.forRoot(session.catalog)!;
      expect(uploader).not.toBeNull();
      uploader.offer([...fresh, { sha256: known, size: Buffer.byteLength(v1['a.obo']), file: path.join(root, ...casRelpath(known).split('/')) }]);
      // Without finish: both fresh objects appear, whole, while the "ingest" is still going.
      const keys = fresh.map((item) => bucket.casKey(item.sha256));
      const appeared = await eventually(async () => {
        const listed = new Set((await bucket.list('cas/')).map((item) => item.key));
        return keys.every((key) => listed.has(key));
      });
      expect(appeared, 'offered objects are uploaded before finish is called').toBe(true);
      for (const item of fresh) expect(sha256Hex(await bucket.get(bucket.casKey(item.sha256)))).toBe(item.sha256);

      const summary = await uploader.finish(fresh);
      uploader.release();
      expect(summary).toMatchObject({ uploaded: 2, already: 1 });
      expect((await bucket.list('cas/')).map((item) => item.key)).not.toContain(bucket.casKey(known));
    });
  });

  it('a local copy whose bytes are not its SHA-256 is never uploaded; finish names it', async () => {
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      const file = path.join(scratch, 'changed');
      writeFileSync(file, 'what the cache holds now\n');
      const claimed = sha256Hex('what was hashed at ingest\n');
      const uploader = BucketUploader.forRoot(session.catalog)!;
      uploader.offer([{ sha256: claimed, size: Buffer.byteLength('what was hashed at ingest\n'), file }]);
      await expect(uploader.finish([])).rejects.toThrow(new RegExp(`${claimed}.*changed before it was uploaded`));
      await uploader.discard();
      expect(await bucket.list('cas/')).toEqual([]);
    });
  });

  it('a large object goes up in parts byte for byte; a large local copy that is not its SHA-256 is never completed', async () => {
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      // Three parts, the last one short, so part order and the short tail both matter.
      const big = randomBytes(PART_SIZE * 2 + 54_321);
      expect(big.length).toBeGreaterThanOrEqual(MULTIPART_THRESHOLD);
      const good = path.join(scratch, 'big-good');
      writeFileSync(good, big);
      const bad = path.join(scratch, 'big-bad');
      const changed = Buffer.from(big);
      changed[PART_SIZE + 7] = (changed[PART_SIZE + 7]! + 1) % 256; // one byte of the middle part differs from what was hashed
      writeFileSync(bad, changed);
      const wanted = sha256Hex(big);
      const claimedForBad = sha256Hex(Buffer.concat([big, Buffer.from('x')])); // hashed at "ingest" from other bytes
      const uploader = BucketUploader.forRoot(session.catalog)!;
      uploader.offer([{ sha256: wanted, size: big.length, file: good }]);
      expect(await uploader.finish([])).toMatchObject({ uploaded: 1 });
      uploader.release();
      const stored = await bucket.get(bucket.casKey(wanted));
      expect(stored.length).toBe(big.length);
      expect(sha256Hex(stored)).toBe(wanted);

      const refused = BucketUploader.forRoot(session.catalog)!;
      refused.offer([{ sha256: claimedForBad, size: changed.length, file: bad }]);
      await expect(refused.finish([])).rejects.toThrow(new RegExp(`${claimedForBad}.*changed while it was uploaded`));
      await refused.discard();
      expect((await bucket.list('cas/')).map((item) => item.key)).toEqual([bucket.casKey(wanted)]);
    });
  });

  it('an ingest whose uploads fail commits nothing and leaves no version folder', async () => {
    mkdirSync(root, { recursive: true });
    // A bucket that does not exist on this endpoint: every PUT fails with NoSuchBucket.
    writeStorageConfig(root, { kind: 's3', bucket: 'no-such-bucket', prefix: bucket.prefix, endpoint: bucket.endpoint, region: bucket.region, path_style: true, profile: null });
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i += 1) files[`d${i % 7}/t${i}.obo`] = `term ${i}\n`;
    const source = sourceFolder('v1', files);
    await withSession(async (session) => {
      await expect(session.call('ingest:run', { source, service: 'go', version: 'v1' })).rejects.toThrow(/upload|NoSuchBucket|bucket/i);
      expect((await session.call('versions:list', {})).total).toBe(0);
      const events = await session.call('events:list', { limit: 1000 });
      const kinds = events.items.map((row) => row.type);
      expect(kinds).toContain('ingest.failed');
      expect(kinds).not.toContain('ingest.completed');
    });
    expect(existsSync(path.join(root, 'go', 'v1', 'data'))).toBe(false);
  });
});

describe('a failed or refused ingest removes what it uploaded, and nothing else', { timeout: 240_000 }, () => {
  const configure = (session: Parameters<Parameters<typeof withSession>[0]>[0]) =>
    session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
  const keysOf = async (): Promise<string[]> => (await bucket.list('cas/')).map((item) => item.key);

  it('discard removes the objects the uploader put, keeps one the bucket held before and one a row references', async () => {
    await withSession(async (session) => {
      await configure(session);
      const v1 = 'referenced by v1\n';
      await session.call('ingest:run', { source: sourceFolder('v1', { 'a.txt': v1 }), service: 'go', version: 'v1' });
      // In the bucket before, referenced by no row (a killed run's, or another tool's).
      const before = 'already in the bucket\n';
      await bucket.put(bucket.casKey(sha256Hex(before)), before);
      const items = ['new one\n', 'new two\n', before, v1].map((text, i) => {
        const file = path.join(scratch, `item${i}`);
        writeFileSync(file, text);
        return { sha256: sha256Hex(text), size: Buffer.byteLength(text), file };
      });
      const uploader = BucketUploader.forRoot(session.catalog)!;
      uploader.offer(items);
      const fresh = items.slice(0, 2).map((item) => bucket.casKey(item.sha256));
      expect(await eventually(async () => {
        const listed = new Set(await keysOf());
        return fresh.every((key) => listed.has(key));
      }), 'the two new objects were uploaded').toBe(true);

      expect(await uploader.discard()).toEqual({ removed: 2, kept: 0 });
      expect(await keysOf()).toEqual([bucket.casKey(sha256Hex(v1)), bucket.casKey(sha256Hex(before))].sort());
      expect((await bucket.get(bucket.casKey(sha256Hex(before)))).toString()).toBe(before);
    });
  });

  it('an ingest refused for a conflict leaves the bucket as it was before it', async () => {
    await withSession(async (session) => {
      await configure(session);
      const v1 = { 'a.txt': 'kept a\n', 'b.txt': 'kept b\n' };
      await session.call('ingest:run', { source: sourceFolder('v1', v1), service: 'go', version: 'v1' });
      const before = 'in the bucket before, unreferenced\n';
      await bucket.put(bucket.casKey(sha256Hex(before)), before);
      const was = await keysOf();
      expect(was).toHaveLength(3);

      // The same version again with other content, without --replace: refused after staging,
      // while the new contents (named first, so staged and uploaded first) are going up; the
      // many copies of a referenced content after them keep the staging busy meanwhile.
      const again: Record<string, string> = { '0/new1.txt': 'new content 1\n', '0/new2.txt': 'new content 2\n', '0/before.txt': before, 'a.txt': v1['a.txt'] };
      for (let i = 0; i < 1500; i += 1) again[`pad/p${i}.txt`] = v1['b.txt'];
      await expect(session.call('ingest:run', { source: sourceFolder('v1-again', again), service: 'go', version: 'v1' })).rejects.toThrow(/already in the catalog with different content/);

      expect(await keysOf()).toEqual(was);
      const events = await session.call('events:list', { limit: 100 });
      const failed = events.items.find((row) => row.type === 'ingest.failed');
      expect(failed, 'the refusal is recorded').toBeDefined();
      expect(JSON.stringify(failed)).toMatch(/bucket_objects_removed/);
      // The catalog's version is untouched and every object it references is still whole.
      const doctor = await session.call('bucket:doctor', {});
      expect(doctor).toMatchObject({ ok: true, missing_count: 0 });
      expect(doctor.unreferenced_count).toBe(1);
    });
  });
});
