/**
 * A content-negotiated ontology address (w3id.org, purl): the same URL answers its HTML
 * page to a browser (or to a request that prefers nothing, as curl's default "*\/*") and the
 * ontology to a client that asks for RDF. A source must ask for the ontology: the release
 * it stores is what curl gets with Ontocat's Accept header (sha256sum), not the page.
 */
import { execFile } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ONTOLOGY_ACCEPT } from '../../../electron/ingest/http-download.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

const owl = gunzipSync(readFileSync(path.join(projectRoot, 'test', 'fixtures', 'edam', 'EDAM_1.2.owl.gz')));
const page = Buffer.from('<!DOCTYPE html>\n<html><head><title>EDAM</title></head><body><h1>EDAM ontology</h1></body></html>\n');

/** The q of `type` in an Accept header (exact, then type/*, then *\/*; 0 when not acceptable). */
function quality(accept: string, type: string): number {
  const entries = accept.split(',').map((part) => {
    const [range, ...params] = part.trim().split(';').map((piece) => piece.trim());
    const q = params.find((param) => param.startsWith('q='));
    return { range: range!.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
  });
  const exact = entries.find((entry) => entry.range === type);
  const wide = entries.find((entry) => entry.range === `${type.split('/')[0]}/*`);
  const any = entries.find((entry) => entry.range === '*/*');
  return (exact ?? wide ?? any)?.q ?? 0;
}

// As w3id.org's rules do: the page unless the client prefers RDF/XML to HTML.
const local = localHttpServer((req, res) => {
  const accept = req.headers.accept ?? '';
  const rdf = accept ? quality(accept, 'application/rdf+xml') > quality(accept, 'text/html') : false;
  res.writeHead(200, { 'content-type': rdf ? 'application/rdf+xml' : 'text/html; charset=utf-8', vary: 'Accept' }).end(rdf ? owl : page);
});

/** What sha256sum says of the body curl receives from `url` with these arguments (async: the server runs here). */
const curlSha = async (url: string, args: readonly string[] = []): Promise<string> =>
  (await promisify(execFile)('sh', ['-c', 'curl -sf "$@" | sha256sum', 'sh', ...args, url], { encoding: 'utf8' })).stdout.split(' ')[0]!;

describe('sync: a content-negotiated ontology address', () => {
  const live = sessionPerTest('ontocat-negotiation');

  it('asks for RDF before HTML, and stores what curl gets with that Accept', async () => {
    const url = `${local.base}/edam`;
    // curl's default Accept gets the page; with Ontocat's Accept, the ontology.
    const asPage = await curlSha(url);
    const asOntology = await curlSha(url, ['-H', `Accept: ${ONTOLOGY_ACCEPT}`]);
    expect(asPage).not.toBe(asOntology);
    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url }] } });
    const run = (await syncSources(live.session.catalog, { trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
    expect(run.status, run.error_message ?? '').toBe('changed');
    expect(run.manifest.output!.artifacts.map((artifact) => artifact.sha256)).toEqual([asOntology]);
  }, 120_000);
});
