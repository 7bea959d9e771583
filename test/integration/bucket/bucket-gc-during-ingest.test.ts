/**
 * Bucket GC while an ingest is running: the ingest's uploader (the same BucketUploader the
 * ingest drives, here with the test standing in for the staging) has put its objects in the
 * bucket, or found them there, and its commit is what will reference them; a GC planned and
 * applied meanwhile must leave them in the content area. Judged by the test's own view of
 * the bucket (ListObjectsV2 and each object read back and hashed) on a real s3rver, the
 * objects being Debian's EMBOSS files.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import { BucketUploader } from '../../../electron/ingest/bucket-upload.js';
import { sessionOn } from '../../helpers/temp-root.js';
import { eventually, sha256Hex, type TestBucket, useBucketRoot } from '../../helpers/test-bucket.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
const withSession = sessionOn(() => root);
useBucketRoot('ontocat-bucket-gc-during-ingest', (fixture) => ({ root, bucket, scratch } = fixture));

const EMBOSS = '/usr/share/EMBOSS/data';

/** A local file holding `bytes`, as an ingest's local cache holds a content. */
function content(name: string, bytes: Buffer): { sha256: string; size: number; file: string } {
  const file = path.join(scratch, name);
  writeFileSync(file, bytes);
  return { sha256: sha256Hex(bytes), size: bytes.length, file };
}

async function setUp(session: Session): Promise<void> {
  await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
  const source = path.join(scratch, 'v1');
  mkdirSync(source, { recursive: true });
  copyFileSync(path.join(EMBOSS, 'EBLOSUM62'), path.join(source, 'EBLOSUM62'));
  await session.call('ingest:run', { source, service: 'emboss', version: '1' });
}

/** The content keys the bucket holds, each checked by the test to hold the bytes its name says. */
async function contentKeys(): Promise<string[]> {
  const keys: string[] = [];
  for (const item of await bucket.list('cas/')) {
    expect(bucket.casKey(sha256Hex(await bucket.get(item.key)))).toBe(item.key);
    keys.push(item.key);
  }
  return keys;
}

describe('bucket GC leaves what a running ingest is about to reference', { timeout: 240_000 }, () => {
  it('an object the ingest found already in the bucket (a killed run left it) stays, and goes once the ingest let go of it', async () => {
    const epam = content('EPAM250', readFileSync(path.join(EMBOSS, 'EPAM250')));
    await withSession(async (session) => {
      await setUp(session);
      await bucket.put(bucket.casKey(epam.sha256), readFileSync(epam.file));
      const plan = await session.call('bucket:gc-plan', {});
      expect(plan.preview.map((item) => item.key)).toEqual([bucket.casKey(epam.sha256)]);

      const uploader = BucketUploader.forRoot(session.catalog)!;
      uploader.offer([epam]);
      // Found there at its size, so not sent again: the ingest would now commit rows referencing it.
      expect(await uploader.finish([])).toMatchObject({ present: 1 });
      const applied = await session.call('bucket:gc-apply', { plan_id: plan.plan_id });
      expect(applied.moved).toBe(0);
      expect(applied.skipped).toEqual([{ key: bucket.casKey(epam.sha256), reason: 'an ingest running now is about to reference it' }]);
      expect(await contentKeys()).toContain(bucket.casKey(epam.sha256));
      uploader.release();

      // Once let go of (and still referenced by no row), the next GC takes it.
      const again = await session.call('bucket:gc-plan', {});
      expect((await session.call('bucket:gc-apply', { plan_id: again.plan_id })).moved).toBe(1);
      expect(await contentKeys()).not.toContain(bucket.casKey(epam.sha256));
    });
  });

  it('an object the ingest uploaded while staging stays', async () => {
    const edam = content('EDAM.obo', readFileSync(path.join(EMBOSS, 'EDAM.obo')));
    await withSession(async (session) => {
      await setUp(session);
      const uploader = BucketUploader.forRoot(session.catalog)!;
      uploader.offer([edam]);
      expect(await uploader.finish([])).toMatchObject({ uploaded: 1 });
      const plan = await session.call('bucket:gc-plan', {});
      expect(plan.objects).toBe(1);
      expect((await session.call('bucket:gc-apply', { plan_id: plan.plan_id })).moved).toBe(0);
      expect(await contentKeys()).toContain(bucket.casKey(edam.sha256));
      uploader.release();
    });
  });

  it('an object GC moved after the ingest listed its key folder is uploaded again, not taken as there', async () => {
    // Two contents whose keys share one folder (cas/sha256/<ab>/): EMBOSS's EDNAFULL and a
    // variant of EDNAMAT with a comment line appended, chosen so the first two hex digits agree.
    const first = readFileSync(path.join(EMBOSS, 'EDNAFULL'));
    const base = readFileSync(path.join(EMBOSS, 'EDNAMAT'));
    const ab = sha256Hex(first).slice(0, 2);
    let second = base;
    for (let n = 0; createHash('sha256').update(second).digest('hex').slice(0, 2) !== ab; n += 1) second = Buffer.concat([base, Buffer.from(`# ${n}\n`)]);
    const listedFirst = content('EDNAFULL', first);
    const leftover = content('EDNAMAT-variant', second);
    await withSession(async (session) => {
      await setUp(session);
      // A killed run's object, unreferenced, in the folder the ingest is about to list.
      await bucket.put(bucket.casKey(leftover.sha256), second);
      const plan = await session.call('bucket:gc-plan', {});
      expect(plan.preview.map((item) => item.key)).toEqual([bucket.casKey(leftover.sha256)]);

      const uploader = BucketUploader.forRoot(session.catalog)!;
      uploader.offer([listedFirst]);
      // Its upload listed the folder, leftover and all, and put the first content beside it.
      expect(await eventually(async () => (await bucket.list('cas/')).some((item) => item.key === bucket.casKey(listedFirst.sha256)))).toBe(true);
      // GC moves the leftover (nothing claims it yet) ...
      expect((await session.call('bucket:gc-apply', { plan_id: plan.plan_id })).moved).toBe(1);
      // ... and then the ingest stages a file with the leftover's bytes, and finishes.
      uploader.offer([leftover]);
      expect(await uploader.finish([])).toMatchObject({ uploaded: 2, present: 0 });
      const keys = await contentKeys();
      expect(keys).toContain(bucket.casKey(leftover.sha256));
      expect(keys).toContain(bucket.casKey(listedFirst.sha256));
      uploader.release();
    });
  });
});
