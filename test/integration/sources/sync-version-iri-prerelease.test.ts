/**
 * A release candidate named by its owl:versionIRI (EMMO's form: https://w3id.org/emmo/1.0.0-rc3)
 * is that candidate, not the release it leads to: read as '1.0.0', the candidate took the
 * release's name, and the release itself then failed every sync as 'already in the catalog
 * with other content'. References: rdflib reads each file's versionIRI (its last path
 * segment is the version), and the semver package orders the two.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

const release = (version: string): string => [
  '@prefix owl: <http://www.w3.org/2002/07/owl#> .',
  '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
  '<https://w3id.org/emmo> a owl:Ontology ;',
  `  owl:versionIRI <https://w3id.org/emmo/${version}> .`,
  `<https://w3id.org/emmo#Item> a owl:Class ; rdfs:label "item (${version})"@en .`,
  '',
].join('\n');

let served = '';
const local = localHttpServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/turtle', 'content-length': Buffer.byteLength(served) }).end(served);
});

/** The last path segment of the file's owl:versionIRI, as rdflib reads the Turtle. */
function versionIriSegment(file: string): string {
  const script = [
    'import sys, rdflib',
    'from rdflib.namespace import OWL',
    'g = rdflib.Graph(); g.parse(sys.argv[1], format="turtle")',
    'print(str(next(g.objects(None, OWL.versionIRI))).rstrip("/").rsplit("/", 1)[-1])',
  ].join('\n');
  return execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }).trim();
}

describe('sync: a pre-release named by its versionIRI', () => {
  const live = sessionPerTest('ontocat-version-iri-prerelease');

  it('keeps the pre-release in its name, and the release after it comes in as its own version', async () => {
    const { session } = live;
    await session.call('sources:save', { spec: { id: 'emmo', service: 'emmo', version_rule: 'content', artifacts: [{ type: 'url', url: `${local.base}/emmo.ttl` }] } });
    const sync = async () => (await syncSources(session.catalog, { ids: ['emmo'], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
    const expected: string[] = [];
    for (const version of ['1.0.0-rc3', '1.0.0']) {
      served = release(version);
      const file = path.join(live.temp.root, `emmo-${version}.ttl`);
      writeFileSync(file, served);
      expected.push(versionIriSegment(file));
      const run = await sync();
      expect(run.error_message).toBeNull();
      expect(run).toMatchObject({ status: 'changed', version: expected.at(-1) });
    }
    expect(expected).toEqual(['1.0.0-rc3', '1.0.0']);
    const semver = createRequire(import.meta.url)('semver') as { compare(a: string, b: string): number };
    const versions = (await session.call('versions:list', { service: 'emmo', sort: 'release', direction: 'asc' })).items.map((v) => v.version);
    expect(versions).toEqual([...expected].sort((a, b) => semver.compare(a, b)));
  }, 60_000);
});
