/**
 * `bucket trash empty` and the catalog's writer: while a large entry of the bucket's trash
 * is deleted, other clients' writes must go on (a pin asked for meanwhile completes first),
 * and a restore of the entry must be refused once its objects are going. A real s3rver, a
 * real DuckDB catalog; the bucket's trash as the test's own client lists it.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import { sessionOn } from '../../helpers/temp-root.js';
import { sha256Hex, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
const withSession = sessionOn(() => root);
useBucketRoot('ontocat-bucket-trash-writer', (fixture) => ({ root, bucket, scratch } = fixture));

const OBJECTS = 3000;
const PLAN_ID = 'bucketgc-20260101T000000Z-0123456789ab';

/** emboss/1 ingested (EDAM.obo), and OBJECTS objects in the bucket's trash of PLAN_ID, none referenced. */
async function largeTrash(session: Session): Promise<void> {
  const source = path.join(scratch, 'v1');
  mkdirSync(source, { recursive: true });
  copyFileSync('/usr/share/EMBOSS/data/EDAM.obo', path.join(source, 'EDAM.obo'));
  await session.call('bucket:configure', { url: bucket.url, endpoint: bucket.endpoint, region: bucket.region, path_style: bucket.pathStyle });
  await session.call('ingest:run', { source, service: 'emboss', version: '1' });
  const keys = Array.from({ length: OBJECTS }, (_, i) => {
    const body = `trashed object ${i}\n`;
    return { key: bucket.casKey(sha256Hex(body)).replace(`${bucket.prefix}/`, `${bucket.prefix}/trash/${PLAN_ID}/`), body };
  });
  for (let start = 0; start < keys.length; start += 50) {
    await Promise.all(keys.slice(start, start + 50).map((item) => bucket.put(item.key, item.body)));
  }
  expect(await trashCount()).toBe(OBJECTS);
}

const trashCount = async (): Promise<number> => (await bucket.list(`trash/${PLAN_ID}/`)).length;

/** Waits until the empty marked the entry in the catalog (or ended, as it did when it held the writer throughout). */
async function untilMarked(session: Session, settled: () => boolean): Promise<void> {
  while (!settled() && (await session.call('events:list', { type: 'bucket.trash.emptying' })).items.length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe("bucket trash empty and the catalog's writer", { timeout: 300_000 }, () => {
  it('another write made while the objects are deleted completes before the empty, while the trash still holds objects', async () => {
    await withSession(async (session) => {
      await largeTrash(session);
      const order: string[] = [];
      let settled = false;
      const empty = session.call('bucket:trash-empty', { plan_id: PLAN_ID }).then((result) => { order.push('empty'); return result; }).finally(() => { settled = true; });
      await untilMarked(session, () => settled);
      let leftWhenPinned = -1;
      const pin = session.call('versions:pin', { ref: 'emboss/1', pinned: true, reason: 'keep' }).then(async (result) => {
        order.push('pin');
        leftWhenPinned = await trashCount();
        return result;
      });
      const [emptied, pinned] = await Promise.all([empty, pin]);
      expect(order).toEqual(['pin', 'empty']);
      expect(leftWhenPinned).toBeGreaterThan(0);
      expect(pinned).toMatchObject({ ref: 'emboss/1', pinned: true });
      expect(emptied).toMatchObject({ plan_id: PLAN_ID, objects: OBJECTS });
      expect(await trashCount()).toBe(0);
      expect((await session.call('events:list', { type: 'bucket.trash.emptied' })).items).toHaveLength(1);
      expect(await session.call('bucket:trash-list', {})).toEqual([]);
    });
  });

  it('a restore asked for while the objects are deleted is refused, saying so, and the empty finishes', async () => {
    await withSession(async (session) => {
      await largeTrash(session);
      let settled = false;
      const empty = session.call('bucket:trash-empty', { plan_id: PLAN_ID }).finally(() => { settled = true; });
      await untilMarked(session, () => settled);
      const restore = await session.call('bucket:trash-restore', { plan_id: PLAN_ID }).then(() => 'restored', (error: Error) => error.message);
      expect(restore).toMatch(/being emptied/);
      expect((await empty).objects).toBe(OBJECTS);
      expect(await trashCount()).toBe(0);
      // Nothing went back under the content keys: only the ingested file's object is there.
      expect((await bucket.list('cas/')).map((item) => item.key)).toEqual([bucket.casKey(sha256Hex(readFileSync('/usr/share/EMBOSS/data/EDAM.obo')))]);
    });
  });
});
