/**
 * Two ingests of one version started at once (two windows, the CLI beside the app): writer
 * jobs run one at a time, so the second sees what the first recorded: "unchanged" for the
 * same content, refused as a version already recorded for other content, never as files
 * "added or changed by hand". The data folder is held to coreutils' sha256sum of the source
 * the first ingest read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { sha256sumWalk } from '../../helpers/hash-files.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-concurrent-ingest');
const root = path.join(temp.root, 'root');
let session: Session;

function source(name: string, files: number): string {
  const dir = path.join(temp.root, 'src', name);
  for (let i = 0; i < files; i += 1) {
    const file = path.join(dir, `part${i % 7}`, `term_${i}.ttl`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `<http://example.org/${name}/${i}> <http://www.w3.org/2000/01/rdf-schema#label> "term ${i}" .\n`);
  }
  return dir;
}


beforeAll(async () => {
  session = await openSession({ actor: 'test', root, create: true });
}, 60_000);
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('two ingests of one version at once', () => {
  it('records the version once; the other, queued behind it, finds the same content and changes nothing', async () => {
    const src = source('same', 300);
    const [first, second] = await Promise.all([
      session.call('ingest:run', { source: src, service: 'onto', version: '1.0' }),
      session.call('ingest:run', { source: src, service: 'onto', version: '1.0' }),
    ]);
    expect([first.status, second.status]).toEqual(['ingested', 'unchanged']);
    expect(sha256sumWalk(path.join(root, 'onto', '1.0', 'data'))).toEqual(sha256sumWalk(src));
    const versions = await session.call('versions:list', { service: 'onto' });
    expect(versions.items.map((version) => `${version.service}/${version.version}:${version.files}`)).toEqual(['onto/1.0:300']);
  }, 120_000);

  it("with other content, the one queued second is refused as a version already recorded, and the first one's files stay", async () => {
    const a = source('a', 120);
    const b = source('b', 80);
    const runs = await Promise.allSettled([
      session.call('ingest:run', { source: a, service: 'onto', version: '2.0' }),
      session.call('ingest:run', { source: b, service: 'onto', version: '2.0' }),
    ]);
    expect(runs[0].status).toBe('fulfilled');
    expect(runs[1].status).toBe('rejected');
    const message = ((runs[1] as PromiseRejectedResult).reason as Error).message;
    expect(message).toMatch(/onto\/2\.0 is already in the catalog with different content/);
    expect(message).not.toMatch(/by hand/);
    expect(sha256sumWalk(path.join(root, 'onto', '2.0', 'data'))).toEqual(sha256sumWalk(a));
  }, 120_000);
});
