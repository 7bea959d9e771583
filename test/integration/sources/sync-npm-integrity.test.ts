/**
 * An npm release's tarball is the one the registry published: its bytes must hash to the
 * metadata's `dist.integrity` (or `shasum`). The references are outside ones: the real
 * registry integrity of @zazuko/rdf-vocabularies 2019.6.27 as package-lock.json records it
 * (stated for bytes this test does not serve), and coreutils' sha512sum / sha1sum of the
 * bytes it does serve.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSession } from '../../../electron/handlers/session.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { vocabulariesTarball } from '../../helpers/release-server.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { sessionPerTest } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const name = '@zazuko/rdf-vocabularies';
/** What the registry's metadata says of the one version it lists. */
let dist: { integrity?: string; shasum?: string } = {};
let tarball: Buffer = Buffer.alloc(0);
let version = '';
let server: http.Server;
let base = '';
beforeAll(async () => {
  ({ body: tarball, version } = await vocabulariesTarball('rdf-vocabularies-2019', ['skos.nq']));
  server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === `/registry/${encodeURIComponent(name)}` || pathname === `/registry/${name.replace('/', '%2f')}`) {
      const doc = { name, 'dist-tags': { latest: version }, versions: { [version]: { dist: { tarball: `${base}/tarballs/x-${version}.tgz`, ...dist } } } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    } else if (pathname === `/tarballs/x-${version}.tgz`) {
      res.writeHead(200, { 'content-length': tarball.length, 'content-type': 'application/octet-stream' }).end(tarball);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A digest of `bytes` by a coreutils tool (`sha512sum`, `sha1sum`), hex. */
function coreutilsDigest(tool: string, bytes: Buffer, dir: string): string {
  const file = path.join(dir, 'served.tgz');
  writeFileSync(file, bytes);
  return execFileSync(tool, [file], { encoding: 'utf8' }).split(/\s+/)[0]!;
}

describe('sync: an npm tarball must be the one the registry states', () => {
  const live = sessionPerTest('ontocat-npm-integrity');
  beforeEach(async () => {
    await live.session.call('sources:save', { spec: { id: 'vocabs', service: 'vocabs', artifacts: [{ type: 'npm', package: name, registry: `${base}/registry` }] } });
  });

  const sync = async () => (await syncSources(live.session.catalog, { trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
  const versions = async () => (await live.session.call('versions:list', { service: 'vocabs' })).items.map((v) => v.version);

  it('refuses bytes whose sha512 is not the registry\'s integrity, and records nothing', async () => {
    const lock = JSON.parse(readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { integrity: string }> };
    dist = { integrity: lock.packages['node_modules/rdf-vocabularies-2019']!.integrity };
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(run.error_message).toContain(dist.integrity);
    expect(await versions()).toEqual([]);
  }, 120_000);

  it('takes bytes that match the stated integrity (sha512, or the older sha1 shasum) and checks a wrong shasum', async () => {
    const sha512 = Buffer.from(coreutilsDigest('sha512sum', tarball, live.temp.root), 'hex').toString('base64');
    dist = { integrity: `sha512-${sha512}` };
    expect(await sync()).toMatchObject({ status: 'changed', version });

    const other = makeTempRoot('ontocat-npm-integrity-sha1');
    const second = await openSession({ root: path.join(other.root, 'root'), actor: 'test' });
    try {
      await second.call('sources:save', { spec: { id: 'vocabs', service: 'vocabs', artifacts: [{ type: 'npm', package: name, registry: `${base}/registry` }] } });
      dist = { shasum: '0'.repeat(40) };
      const refused = (await syncSources(second.catalog, { trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
      expect(refused).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
      dist = { shasum: coreutilsDigest('sha1sum', tarball, other.root) };
      expect((await syncSources(second.catalog, { trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]).toMatchObject({ status: 'changed', version });
    } finally {
      await second.close();
      other.cleanup();
    }
  }, 120_000);
});
