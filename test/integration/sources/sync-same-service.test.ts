/**
 * Sources of one service checked at once (sync's concurrency) whose releases get the same
 * version name (no version of their own: the retrieval day names each): one becomes the
 * version, the others are refused as a same-named version with other bytes, and the version
 * holds exactly one release. The references: coreutils' sha256sum of the served bodies and
 * of every file under the version folder.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const ids = ['a', 'b', 'c', 'd'];
/** An OBO file per source that states no version: the retrieval day names all four the same. */
const bodies = new Map(ids.map((id) => [`/${id}/${id}.obo`, Buffer.from(`format-version: 1.2\nontology: ${id}\n\n[Term]\nid: X:000000${ids.indexOf(id)}\nname: ${id}\n`)]));
let server: http.Server;
let base = '';
beforeAll(async () => {
  // Half the body, a pause, the rest: the four downloads overlap.
  server = http.createServer((req, res) => {
    const body = bodies.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'text/plain' });
    res.write(body.subarray(0, 10));
    setTimeout(() => res.end(body.subarray(10)), 300);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** `sha256sum` of each file, by path relative to `dir`. */
function sha256sum(dir: string, files: readonly string[]): Map<string, string> {
  const out = execFileSync('sha256sum', files, { cwd: dir, encoding: 'utf8' });
  return new Map(out.trim().split('\n').map((line) => { const [sum, file] = line.split(/\s+/); return [file!, sum!]; }));
}

describe('sync: sources of one service at once', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-same-service');
    session = await openSession({ root: temp.root, actor: 'test' });
  });
  afterEach(async () => {
    await session.close();
    temp.cleanup();
  });

  it('the same version name from several sources at once: one release becomes the version, whole; the others are refused', async () => {
    for (const id of ids) await session.call('sources:save', { spec: { id, service: 'svc', artifacts: [{ type: 'url', url: `${base}/${id}/${id}.obo` }] } });
    const result = await syncSources(session.catalog, { trigger: 'cli', actor: 'test', concurrency: 4, fetch: { retries: 0 } });
    const changed = result.runs.filter((run) => run.status === 'changed');
    expect(changed).toHaveLength(1);
    const winner = changed[0]!.source_id;
    for (const run of result.runs.filter((r) => r.source_id !== winner)) {
      expect(run, run.source_id).toMatchObject({ status: 'failed', error_code: 'CONFLICT' });
      expect(run.error_message, run.source_id).toContain('the source published different bytes under the same version');
    }
    const [version] = (await session.call('versions:list', { service: 'svc' })).items;
    // What is on disk under the version is the winner's body, as an archive and as data, and nothing else.
    const served = path.join(temp.root, 'served.obo');
    writeFileSync(served, bodies.get(`/${winner}/${winner}.obo`)!);
    const servedSum = sha256sum(temp.root, ['served.obo']).get('served.obo')!;
    const dir = path.join(temp.root, 'svc', version!.version);
    const onDisk = ['archives', 'data'].flatMap((folder) => readdirSync(path.join(dir, folder)).map((name) => `${folder}/${name}`));
    expect(onDisk.sort()).toEqual([`archives/${winner}.obo`, `data/${winner}.obo`]);
    expect([...sha256sum(dir, onDisk).values()]).toEqual([servedSum, servedSum]);
    // And the catalog says the same: one artifact, one file, those bytes.
    const artifacts = await session.catalog.read((conn) => conn.all<{ fs_relpath: string; sha256: string; size_bytes: number }>(
      "SELECT fs_relpath, sha256, size_bytes FROM artifacts WHERE service = 'svc' ORDER BY fs_relpath"));
    expect(artifacts).toEqual([{ fs_relpath: `svc/${version!.version}/archives/${winner}.obo`, sha256: servedSum, size_bytes: bodies.get(`/${winner}/${winner}.obo`)!.length }]);
    const files = await session.catalog.read((conn) => conn.all<{ relpath: string; sha256: string }>("SELECT relpath, sha256 FROM extracted_files WHERE service = 'svc'"));
    expect(files).toEqual([{ relpath: `${winner}.obo`, sha256: servedSum }]);
    expect((await session.call('review:list', {})).items.map((c) => [c.version, c.source_id])).toEqual([[version!.version, winner]]);
  }, 120_000);
});
