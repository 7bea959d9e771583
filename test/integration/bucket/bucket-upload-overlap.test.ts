import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BucketUploader } from '../../../electron/ingest/bucket-upload.js';
import { writeStorageConfig } from '../../../electron/storage/bucket-config.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { sessionOn } from '../../helpers/temp-root.js';
import { sha256Hex, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';

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

/** Polls until `check` holds (generous: the machine may be loaded). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
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
      expect(await bucket.list('cas/')).toEqual([]);
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
