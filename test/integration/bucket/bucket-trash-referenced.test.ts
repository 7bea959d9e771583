/**
 * `bucket trash empty` after a catalog backup from before a prune was restored: the
 * bucket's trash of the GC that followed the prune holds the bucket's only copy of objects
 * the restored catalog references again. Judged by the test's own view of the bucket (a
 * plain ListObjectsV2 walk, each object read back and hashed) against sha256 of the files
 * that were ingested (Debian's EMBOSS data), on a real s3rver and a real DuckDB catalog.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionOn } from '../../helpers/temp-root.js';
import { sha256Hex, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
const withSession = sessionOn(() => root);
useBucketRoot('ontocat-bucket-trash-referenced', (fixture) => ({ root, bucket, scratch } = fixture));

const EMBOSS = '/usr/share/EMBOSS/data';

/** A source folder of EMBOSS files (relpath → file name under EMBOSS). */
function sourceFolder(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  for (const [relpath, from] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    copyFileSync(path.join(EMBOSS, from), path.join(dir, relpath));
  }
  return dir;
}

/** Every object under the prefix's area, read back and hashed by the test: SHA-256 → keys. */
async function objectsByHash(area: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const item of await bucket.list(area)) {
    const sha = sha256Hex(await bucket.get(item.key));
    out.set(sha, [...(out.get(sha) ?? []), item.key]);
  }
  return out;
}

describe("the bucket's trash keeps what a restored catalog references", { timeout: 240_000 }, () => {
  it('refuses to empty a GC trash holding the only copy of objects the restored catalog references, and restores them', async () => {
    const v1 = { 'EDAM.obo': 'EDAM.obo', 'matrices/EPAM250': 'EPAM250', 'matrices/EBLOSUM62': 'EBLOSUM62' };
    const v2 = { 'matrices/EBLOSUM62': 'EBLOSUM62' };
    const onlyInV1 = ['EDAM.obo', 'EPAM250'].map((name) => sha256Hex(readFileSync(path.join(EMBOSS, name))));
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      await session.call('ingest:run', { source: sourceFolder('v1', v1), service: 'emboss', version: '1' });
      await session.call('ingest:run', { source: sourceFolder('v2', v2), service: 'emboss', version: '2', set_latest: true });
      const backup = await session.call('backup:create', {});

      // Version 1 pruned and its trash emptied; the bucket GC then moves its own objects to the bucket's trash.
      const prune = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      await session.call('prune:apply', { plan_id: prune.plan_id });
      await session.call('trash:empty', {});
      const gc = await session.call('bucket:gc-plan', {});
      expect(gc.objects).toBe(2);
      await session.call('bucket:gc-apply', { plan_id: gc.plan_id });
      const trashed = await objectsByHash(`trash/${gc.plan_id}/`);
      expect([...trashed.keys()].sort()).toEqual([...onlyInV1].sort());

      // The catalog from before the prune references version 1's objects again; cas/ lacks them.
      await session.call('backup:restore', { timestamp: backup.timestamp });
      expect((await session.call('bucket:doctor', {})).missing.map((m) => m.sha256).sort()).toEqual([...onlyInV1].sort());

      await expect(session.call('bucket:trash-empty', { plan_id: gc.plan_id })).rejects.toThrow(/only copy of 2 objects.*emboss\/1\/data\/EDAM\.obo.*bucket trash restore.*Nothing was deleted/s);
      // The test's own listing: both trash copies still there, with the ingested bytes.
      expect(await objectsByHash(`trash/${gc.plan_id}/`)).toEqual(trashed);

      await session.call('bucket:trash-restore', { plan_id: gc.plan_id });
      const content = await objectsByHash('cas/');
      for (const sha of onlyInV1) expect(content.get(sha)).toEqual([bucket.casKey(sha)]);
      expect((await session.call('bucket:doctor', { deep: true })).ok).toBe(true);
    });
  });

  it('still empties a trash whose objects nothing references, or that the content area holds again', async () => {
    const only = { 'EDAM.obo': 'EDAM.obo' };
    await withSession(async (session) => {
      await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
      await session.call('ingest:run', { source: sourceFolder('a', only), service: 'emboss', version: '1' });
      await session.call('ingest:run', { source: sourceFolder('b', { 'EPAM250': 'EPAM250' }), service: 'emboss', version: '2', set_latest: true });
      const prune = await session.call('prune:plan', { keep_last: 1, allow_large: true });
      await session.call('prune:apply', { plan_id: prune.plan_id });
      const gc = await session.call('bucket:gc-plan', {});
      await session.call('bucket:gc-apply', { plan_id: gc.plan_id });
      // Ingested again as version 3: its upload puts the object back under cas/, so the trash copy is a spare.
      rmSync(path.join(scratch, 'a'), { recursive: true, force: true });
      await session.call('ingest:run', { source: sourceFolder('a', only), service: 'emboss', version: '3' });
      const emptied = await session.call('bucket:trash-empty', { plan_id: gc.plan_id });
      expect(emptied.objects).toBe(1);
      expect(await bucket.list(`trash/`)).toEqual([]);
      expect((await session.call('bucket:doctor', { deep: true })).ok).toBe(true);
    });
  });
});
