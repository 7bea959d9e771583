import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { sessionOn } from '../../helpers/temp-root.js';
import { sha256Hex, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
const withSession = sessionOn(() => root);
useBucketRoot('ontocat-bucket', (fixture) => ({ root, bucket, scratch } = fixture));

/** Writes a source folder and returns each file's content by path. */
function sourceFolder(name: string, files: Record<string, string | Buffer>): string {
  const dir = path.join(scratch, name);
  for (const [relpath, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    writeFileSync(path.join(dir, relpath), content);
  }
  return dir;
}

async function configure(session: Session): Promise<void> {
  await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
}

/** Every content object in the bucket, read back and hashed by the test itself (not by Ontocat). */
async function bucketContents(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const item of await bucket.list('cas/')) {
    const bytes = await bucket.get(item.key);
    const sha = sha256Hex(bytes);
    expect(item.key, 'every content key names the SHA-256 of its bytes').toBe(bucket.casKey(sha));
    out.set(sha, bytes.length);
  }
  return out;
}

const v1 = { 'a.obo': 'format-version: 1.2\n', 'shared/b.owl': '<rdf/>\n', 'c.txt': 'only in v1\n' };
const v2 = { 'a.obo': 'format-version: 1.4\n', 'shared/b.owl': '<rdf/>\n' };

describe('a root whose content objects live in a bucket', { timeout: 240_000 }, () => {
  it('ingest uploads each distinct content once, under its SHA-256, and nothing per version', async () => {
    await withSession(async (session) => {
      await configure(session);
      expect((await session.call('bucket:status', {})).kind).toBe('s3');
      await session.call('ingest:run', { source: sourceFolder('v1', v1), service: 'go', version: 'v1' });
      await session.call('ingest:run', { source: sourceFolder('v2', v2), service: 'go', version: 'v2' });
    });
    const stored = await bucketContents();
    const expected = new Map([...Object.values(v1), ...Object.values(v2)].map((text) => [sha256Hex(text), Buffer.byteLength(text)]));
    expect(stored).toEqual(expected);
    // Only content keys: no version folders, no copies.
    expect((await bucket.list()).every((item) => item.key.startsWith(`${bucket.prefix}/cas/sha256/`))).toBe(true);
    const config = JSON.parse(readFileSync(path.join(root, '.ontocat-storage.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ kind: 's3', bucket: bucket.bucket, prefix: bucket.prefix, path_style: true });
    expect(JSON.stringify(config)).not.toMatch(/S3RVER|secret/i);
  });

  it('verify and the bucket doctor pass on a clean root; doctor finds missing, unreferenced, size and corrupt objects', async () => {
    await withSession(async (session) => {
      await configure(session);
      await session.call('ingest:run', { source: sourceFolder('v1', v1), service: 'go', version: 'v1' });
      expect((await session.call('storage:verify', {})).mismatches).toEqual([]);
      const clean = await session.call('bucket:doctor', { deep: true });
      expect(clean).toMatchObject({ ok: true, listed: 3, referenced: 3, missing_count: 0, unreferenced_count: 0, size_mismatch_count: 0, stray_count: 0 });
      expect(clean.deep).toMatchObject({ checked: 3, corrupt: [] });

      const [a, b, c] = [v1['a.obo'], v1['shared/b.owl'], v1['c.txt']].map((text) => sha256Hex(text));
      await bucket.remove([bucket.casKey(a!)]);
      await bucket.put(bucket.casKey(b!), 'different and longer bytes\n');
      const samesize = 'X'.repeat(Buffer.byteLength(v1['c.txt']));
      await bucket.put(bucket.casKey(c!), samesize);
      const orphan = 'nobody references me\n';
      await bucket.put(bucket.casKey(sha256Hex(orphan)), orphan);
      await bucket.put(`${bucket.prefix}/cas/sha256/zz/not-a-content-key`, 'stray');

      const report = await session.call('bucket:doctor', { deep: true });
      expect(report.ok).toBe(false);
      expect(report.missing.map((m) => m.sha256)).toEqual([a]);
      expect(report.size_mismatches).toEqual([{ sha256: b, expected_size: Buffer.byteLength(v1['shared/b.owl']), actual_size: Buffer.byteLength('different and longer bytes\n') }]);
      expect(report.unreferenced).toEqual([{ key: bucket.casKey(sha256Hex(orphan)), size_bytes: Buffer.byteLength(orphan) }]);
      expect(report.strays.map((s) => s.key)).toEqual([`${bucket.prefix}/cas/sha256/zz/not-a-content-key`]);
      // Only a re-hash sees the same-size corruption of c.
      expect(report.deep!.corrupt.map((x) => x.sha256).sort()).toEqual([a, b, c].sort());
      expect(report.deep!.corrupt.find((x) => x.sha256 === a)!.actual_sha256).toBeNull();
      expect(report.deep!.corrupt.find((x) => x.sha256 === c)!.actual_sha256).toBe(sha256Hex(samesize));
      // The sample option re-hashes only that many.
      expect((await session.call('bucket:doctor', { deep: true, sample: 2 })).deep!.checked).toBe(2);

      // Push repairs what the local cache can: the missing and the wrong-size object.
      const pushed = await session.call('bucket:push', {});
      expect(pushed).toMatchObject({ referenced: 3, uploaded: 2, not_cached: [] });
      const after = await session.call('bucket:doctor', {});
      expect(after).toMatchObject({ missing_count: 0, size_mismatch_count: 0, unreferenced_count: 1 });
    });
  });

  it('prune on the bucket: plan, preview, apply into the trash prefix, restore, and empty', async () => {
    await withSession(async (session) => {
      await configure(session);
      await session.call('ingest:run', { source: sourceFolder('v1', v1), service: 'go', version: 'v1' });
      await session.call('ingest:run', { source: sourceFolder('v2', v2), service: 'go', version: 'v2', set_latest: true });
      // Remove v1 from the catalog with the ordinary prune; its own objects become unreferenced.
      const prune = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      await session.call('prune:apply', { plan_id: prune.plan_id });
      const onlyV1 = [v1['a.obo'], v1['c.txt']].map((text) => bucket.casKey(sha256Hex(text))).sort();

      const plan = await session.call('bucket:gc-plan', {});
      expect(plan.objects).toBe(2);
      expect(plan.preview.map((p) => p.key)).toEqual(onlyV1);
      // Planning moved nothing.
      expect((await bucket.list('cas/')).length).toBe(4);

      const applied = await session.call('bucket:gc-apply', { plan_id: plan.plan_id });
      expect(applied).toMatchObject({ moved: 2, skipped: [] });
      const keys = (await bucket.list()).map((item) => item.key);
      expect(keys.filter((key) => key.includes('/cas/sha256/') && !key.includes('/trash/')).sort()).toEqual(
        [v2['a.obo'], v2['shared/b.owl']].map((text) => bucket.casKey(sha256Hex(text))).sort());
      expect(keys.filter((key) => key.startsWith(`${bucket.prefix}/trash/${plan.plan_id}/`))).toHaveLength(2);
      await expect(session.call('bucket:gc-apply', { plan_id: plan.plan_id })).rejects.toThrow(/already applied/);
      expect(await session.call('bucket:trash-list', {})).toEqual([{ plan_id: plan.plan_id, objects: 2, bytes: Buffer.byteLength(v1['a.obo']) + Buffer.byteLength(v1['c.txt']) }]);
      expect((await session.call('bucket:doctor', {})).ok).toBe(true);

      const restored = await session.call('bucket:trash-restore', { plan_id: plan.plan_id });
      expect(restored.objects).toBe(2);
      const back = await bucketContents();
      for (const text of Object.values(v1)) expect(back.get(sha256Hex(text))).toBe(Buffer.byteLength(text));
      expect(await session.call('bucket:trash-list', {})).toEqual([]);

      const again = await session.call('bucket:gc-plan', {});
      await session.call('bucket:gc-apply', { plan_id: again.plan_id });
      const emptied = await session.call('bucket:trash-empty', { plan_id: again.plan_id });
      expect(emptied.objects).toBe(2);
      expect((await bucket.list()).length).toBe(2);
      await expect(session.call('bucket:trash-restore', { plan_id: again.plan_id })).rejects.toThrow(/holds nothing/);
    });
  });

  it('a GC plan is refused when the catalog changed since it was made, and re-checks each object', async () => {
    await withSession(async (session) => {
      await configure(session);
      await session.call('ingest:run', { source: sourceFolder('v1', v1), service: 'go', version: 'v1' });
      const orphan = 'left over\n';
      await bucket.put(bucket.casKey(sha256Hex(orphan)), orphan);
      const plan = await session.call('bucket:gc-plan', {});
      expect(plan.objects).toBe(1);
      // A new version now references the planned victim.
      await session.call('ingest:run', { source: sourceFolder('v3', { 'x.txt': orphan }), service: 'go', version: 'v3' });
      await expect(session.call('bucket:gc-apply', { plan_id: plan.plan_id })).rejects.toThrow(/STALE_PLAN|catalog changed/);
      expect((await bucket.list('cas/')).map((item) => item.key)).toContain(bucket.casKey(sha256Hex(orphan)));
    });
  });

  it('checkout links from the local cache, downloads what the cache lacks, and is atomic per file', async () => {
    const out = path.join(scratch, 'checkout');
    await withSession(async (session) => {
      await configure(session);
      await session.call('ingest:run', { source: sourceFolder('v1', v1), service: 'go', version: 'v1' });
      const first = await session.call('versions:checkout', { ref: 'go/v1', dir: out });
      expect(first).toMatchObject({ files: 3, linked: 3, downloaded: 0 });
      for (const [relpath, text] of Object.entries(v1)) expect(readFileSync(path.join(out, relpath), 'utf8')).toBe(text);
      const cached = path.join(root, ...casRelpath(sha256Hex(v1['a.obo'])).split('/'));
      expect(statSync(path.join(out, 'a.obo')).ino).toBe(statSync(cached).ino);

      // Drop two objects from the local cache (and the version folder's links): they come from the bucket.
      for (const relpath of ['a.obo', 'c.txt']) {
        unlinkSync(path.join(root, ...casRelpath(sha256Hex(v1[relpath as keyof typeof v1])).split('/')));
        unlinkSync(path.join(out, relpath));
      }
      const progress: number[] = [];
      const off = session.on('job:progress', (event) => { if (event.kind === 'checkout') progress.push(event.done); });
      const second = await session.call('versions:checkout', { ref: 'go/v1', dir: out });
      off();
      expect(second).toMatchObject({ files: 3, downloaded: 2, downloaded_bytes: Buffer.byteLength(v1['a.obo']) + Buffer.byteLength(v1['c.txt']), unchanged: 1 });
      for (const [relpath, text] of Object.entries(v1)) expect(sha256Hex(readFileSync(path.join(out, relpath)))).toBe(sha256Hex(text));
      expect(existsSync(path.join(root, ...casRelpath(sha256Hex(v1['a.obo'])).split('/')))).toBe(true);
      expect(progress.length).toBeGreaterThan(0);
      // No temp names are left behind.
      expect(readFileSync(path.join(out, 'a.obo'), 'utf8')).toBe(v1['a.obo']);
      await expect(session.call('versions:checkout', { ref: 'go/v1', dir: path.join(root, 'inside') })).rejects.toThrow(/storage root/);
      const copied = await session.call('versions:checkout', { ref: 'go/v1', dir: path.join(scratch, 'copy'), copy: true });
      expect(copied).toMatchObject({ copied: 3, linked: 0 });
    });
  });

  it('the doctor and the GC plan list a bucket of more than one page (1,000 keys) completely', async () => {
    const extra = Array.from({ length: 2150 }, (_, i) => `unreferenced object ${i}\n`);
    const { mapBounded } = await import('../../../electron/storage/bucket-store.js');
    await mapBounded(extra, 16, (text) => bucket.put(bucket.casKey(sha256Hex(text)), text));
    await withSession(async (session) => {
      await configure(session);
      await session.call('ingest:run', { source: sourceFolder('v1', v1), service: 'go', version: 'v1' });
      const report = await session.call('bucket:doctor', {});
      expect(report).toMatchObject({ listed: 2153, referenced: 3, missing_count: 0, unreferenced_count: 2150 });
      expect(report.unreferenced).toHaveLength(50);
      const plan = await session.call('bucket:gc-plan', {});
      expect(plan.objects).toBe(2150);
      const listedByTest = (await bucket.list('cas/')).length;
      expect(listedByTest).toBe(2153);
    });
  }, 300_000);

  it('a bucket that cannot be reached is refused at configure time, and the root stays on local disk', async () => {
    await withSession(async (session) => {
      await expect(session.call('bucket:configure', { url: 's3://no-such-bucket-here/x', endpoint: bucket.endpoint, region: bucket.region, path_style: true })).rejects.toThrow(/no-such-bucket-here/);
      await expect(session.call('bucket:configure', { url: 'http://not-s3' })).rejects.toThrow(/s3:\/\/BUCKET/);
      expect((await session.call('bucket:status', {})).kind).toBe('local');
      await expect(session.call('bucket:doctor', {})).rejects.toThrow(/local disk/);
    });
  });
});
