/**
 * A redirect whose Location carries a path in raw UTF-8 (servers send it unescaped, e.g. a
 * release file named with an accent): the release is the file at that path. The references:
 * Python's urllib and curl, which both follow such a Location to the file (each percent-
 * encodes the header's bytes as they came), and coreutils' sha256sum of the real EDAM release.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { localHttpServer, referenceFetches, sessionPerTest, sha256sumOf } from '../../helpers/sync-fixtures.js';

const fixture = path.join(projectRoot, 'test', 'fixtures', 'edam', 'EDAM_1.0.obo');
const edam = readFileSync(fixture);
/** The file's path as a server holds it (decoded). */
const held = '/files/EDAM_1.0_café.obo';
const local = localHttpServer((req, res) => {
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  // Node writes header values byte for byte as latin1: these are the UTF-8 bytes of the path.
  if (pathname === '/latest') { res.writeHead(302, { location: Buffer.from(held, 'utf8').toString('latin1') }).end(); return; }
  if (decodeURIComponent(pathname) === held) { res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(edam); return; }
  res.writeHead(404).end();
});


describe('sync: a redirect to a path in raw UTF-8', () => {
  const live = sessionPerTest('ontocat-redirect-utf8');

  it('brings in the file the Location names, as urllib and curl fetch it', async () => {
    const url = `${local.base}/latest`;
    const reference = await referenceFetches(url, live.temp.root);
    expect(reference).toEqual({ python: sha256sumOf(fixture), curl: sha256sumOf(fixture) });

    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url, name: 'EDAM.obo' }] } });
    const run = (await syncSources(live.session.catalog, { ids: ['edam'], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
    expect(run).toMatchObject({ status: 'changed', version: '1.0' });
    const artifact = await live.session.catalog.read((conn) => conn.one<{ sha256: string }>('SELECT sha256 FROM artifacts WHERE service = $1', ['edam']));
    expect(artifact?.sha256).toBe(reference.python);
  }, 120_000);
});
