/**
 * A release behind a chain of redirects longer than five (http → https, w3id, a PURL, a
 * "latest" link, a release page, a CDN: each one hop). The references: Python's urllib
 * (follows up to 10) and curl -L (up to 50) fetch the file through the same chain;
 * coreutils' sha256sum of the real EDAM release.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { localHttpServer, referenceFetches, sessionPerTest, sha256sumOf } from '../../helpers/sync-fixtures.js';

const fixture = path.join(projectRoot, 'test', 'fixtures', 'edam', 'EDAM_1.0.obo');
const edam = readFileSync(fixture);
/** Redirects before the file. */
const HOPS = 8;
const local = localHttpServer((req, res) => {
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  const hop = /^\/hop\/(\d+)$/.exec(pathname);
  if (hop) {
    const next = Number(hop[1]) + 1;
    // Each redirect status, and absolute, path-absolute and relative Locations, in turn.
    const status = [301, 302, 303, 307, 308][next % 5]!;
    const location = next >= HOPS ? '/files/EDAM_1.0.obo' : [`${local.base}/hop/${next}`, `/hop/${next}`, String(next)][next % 3]!;
    res.writeHead(status, { location }).end();
    return;
  }
  if (pathname === '/files/EDAM_1.0.obo') { res.writeHead(200, { 'content-type': 'text/plain' }).end(edam); return; }
  res.writeHead(404).end();
});


describe('sync: a chain of redirects', () => {
  const live = sessionPerTest('ontocat-redirect-chain');

  it(`follows ${HOPS} redirects to the file, as urllib and curl do`, async () => {
    const url = `${local.base}/hop/0`;
    const reference = await referenceFetches(url, live.temp.root);
    expect(reference).toEqual({ python: sha256sumOf(fixture), curl: sha256sumOf(fixture) });

    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url, name: 'EDAM.obo' }] } });
    const run = (await syncSources(live.session.catalog, { ids: ['edam'], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
    expect(run).toMatchObject({ status: 'changed', version: '1.0' });
    expect(run.manifest.inputs[0]).toMatchObject({ final_url: `${local.base}/files/EDAM_1.0.obo` });
    const artifact = await live.session.catalog.read((conn) => conn.one<{ sha256: string }>('SELECT sha256 FROM artifacts WHERE service = $1', ['edam']));
    expect(artifact?.sha256).toBe(reference.python);
  }, 120_000);
});
