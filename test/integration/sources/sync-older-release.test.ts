/**
 * A mirror (another source of the service) serving a release the catalog already holds,
 * not the newest, and named by its own day (retrieval date or its own Last-Modified): the
 * same bytes are the same release, never a second version nor a candidate. The reference:
 * coreutils' sha256sum of the mirror's body against the first version's stored file.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import type { Clock } from '../../../electron/sources/clock.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** Two releases that state no version: only the day can name them. */
const first = Buffer.from('format-version: 1.2\nontology: x\n\n[Term]\nid: X:0000001\nname: one\n');
const second = Buffer.from('format-version: 1.2\nontology: x\n\n[Term]\nid: X:0000001\nname: one\n\n[Term]\nid: X:0000002\nname: two\n');
const served = new Map<string, { body: Buffer; lastModified?: string }>();
const local = localHttpServer((req, res) => {
  const answer = served.get(new URL(req.url ?? '/', 'http://x').pathname);
  if (!answer) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-length': answer.body.length, ...(answer.lastModified ? { 'last-modified': answer.lastModified } : {}) }).end(answer.body);
});

describe('sync: a mirror serving an older release under its own day', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let now = new Date('2026-01-01T10:00:00Z');
  const clock: Clock = { now: () => now, setTimer: () => () => undefined };
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-older-release');
    session = await openSession({ root: path.join(temp.root, 'root'), actor: 'test' });
    served.clear();
  });
  afterEach(async () => {
    await session.close();
    temp.cleanup();
  });

  const sync = async (id: string) => (await syncSources(session.catalog, { ids: [id], trigger: 'cli', actor: 'test', clock, fetch: { retries: 0 } })).runs[0]!;
  const versions = async () => (await session.call('versions:list', { service: 'x', sort: 'release', direction: 'asc' })).items.map((v) => v.version);

  it('is the version that holds it: unchanged, no second version, no candidate for the old release', async () => {
    for (const id of ['origin', 'mirror', 'dated-mirror']) {
      await session.call('sources:save', { spec: { id, service: 'x', artifacts: [{ type: 'url', url: `${local.base}/${id}/x.obo` }] } });
    }
    now = new Date('2026-01-01T10:00:00Z');
    served.set('/origin/x.obo', { body: first });
    expect(await sync('origin')).toMatchObject({ status: 'changed', version: '2026-01-01' });
    now = new Date('2026-02-01T10:00:00Z');
    served.set('/origin/x.obo', { body: second });
    expect(await sync('origin')).toMatchObject({ status: 'changed', version: '2026-02-01' });

    // The mirrors still serve the first release: one named by the retrieval day, one by its own Last-Modified.
    now = new Date('2026-03-01T10:00:00Z');
    served.set('/mirror/x.obo', { body: first });
    served.set('/dated-mirror/x.obo', { body: first, lastModified: 'Sun, 15 Feb 2026 08:00:00 GMT' });
    const bodyFile = path.join(temp.root, 'mirror.obo');
    writeFileSync(bodyFile, first);
    const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0]!;
    expect(sha256sum(bodyFile)).toBe(sha256sum(path.join(session.root, 'x', '2026-01-01', 'archives', 'x.obo')));
    for (const id of ['mirror', 'dated-mirror']) {
      const run = await sync(id);
      expect(run, id).toMatchObject({ status: 'unchanged', version: '2026-01-01' });
      expect(run.manifest.output!.reason, id).toBe('same content as x/2026-01-01, already in the catalog (not its newest version)');
      // Known from now on without reading it again.
      expect((await sync(id)).manifest.output!.reason, id).toBe('same content as x/2026-01-01, already recorded');
    }
    expect(await versions()).toEqual(['2026-01-01', '2026-02-01']);
    expect((await session.call('review:list', {})).items.map((c) => c.version).sort()).toEqual(['2026-01-01', '2026-02-01']);
  }, 120_000);
});
