/**
 * A version's file edited in place, same size (the editor writes into the file, which is a
 * hard link of its content store object), changes the stored copy too. Ingesting that
 * content again must not link the changed object into the new version under the source's
 * hash: it is refused, naming the object, and after doctor the same ingest stores the
 * source's bytes. Checked by a hash walk of the version folder against its source.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { hashTree } from './ingest-checks.js';

const temp = makeTempRoot('ontocat-edited-object');
const root = path.join(temp.root, 'root');
const src = path.join(temp.root, 'src');
let session: Session;

const text = '<http://e.org/a> <http://e.org/p> "the catalogued content" .\n';
beforeAll(async () => {
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, 'a.nt'), text);
  writeFileSync(path.join(src, 'b.txt'), 'unchanged\n');
  session = await openSession({ actor: 'test', root });
  await session.call('ingest:run', { source: src, service: 'go', version: 'v1' });
}, 60_000);
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('an object edited in place through a version file', () => {
  it('is never linked into a new version; after doctor the ingest stores the source\'s bytes', async () => {
    const file = path.join(root, 'go/v1/data/a.nt');
    const object = casRelpath(createHash('sha256').update(text).digest('hex'));
    expect(statSync(file).ino).toBe(statSync(path.join(root, object)).ino);
    // Same size, other bytes, a later mtime: what an editor writing in place leaves.
    chmodSync(file, 0o644);
    writeFileSync(file, text.replace('catalogued', 'edited!!!!'));
    expect(statSync(file).size).toBe(Buffer.byteLength(text));

    await expect(session.call('ingest:run', { source: src, service: 'go', version: 'v2' }))
      .rejects.toThrow(new RegExp(`the content store's copy ${object.replaceAll('/', '\\/')} was changed on disk since it was recorded.*Nothing was changed`));
    expect((await session.call('versions:list', {})).items.map((v) => v.version)).toEqual(['v1']);

    const plan = await session.call('doctor:plan', {});
    await session.call('doctor:apply', { plan_id: plan.plan_id });
    await session.call('ingest:run', { source: src, service: 'go', version: 'v2' });
    expect(hashTree(path.join(root, 'go/v2/data'))).toEqual(hashTree(src));
    expect((await session.call('storage:verify', { ref: 'go/v2' })).mismatches).toEqual([]);
  }, 60_000);
});
