/**
 * Sources with several artifacts (one version per release) and the content version rule
 * reading inside archives, against real releases: EDAM (vendored) and @zazuko/rdf-vocabularies
 * (npm) served by a local HTTP server.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { syncSources, type SyncOptions } from '../../../electron/sources/sync.js';
import type { SourceSpec } from '../../../electron/shared/contract/sources.js';
import { readArchiveHeads } from '../../../electron/ingest/archive-heads.js';
import { DEFAULT_LIMITS } from '../../../electron/ingest/limits.js';
import { edamRelease, release, ReleaseServer, vocabulariesTarball } from '../../helpers/release-server.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { makeZip } from '../ingest/archive-fixtures.js';

const server = new ReleaseServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const fast: Pick<SyncOptions, 'fetch' | 'webhook'> = { fetch: { retries: 2, backoffMs: 10, timeoutMs: 5000 }, webhook: { retries: 2, backoffMs: 10 } };
const sha256 = (body: Buffer): string => createHash('sha256').update(body).digest('hex');

/** A real EDAM release as a .tar.gz holding `inner/EDAM_x.obo` beside its README. */
async function edamTarGz(name: string): Promise<Buffer> {
  const stream = createTar({ gzip: true, cwd: path.join(projectRoot, 'test', 'fixtures', 'edam'), prefix: 'edam', portable: true, mtime: new Date('2020-01-01T00:00:00Z') }, ['README.md', name]);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('sources with several artifacts; the version rule reads archives', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-artifacts');
    session = await openSession({ root: temp.root, actor: 'test' });
    server.current.clear();
    server.trouble.clear();
    server.log.length = 0;
  });
  afterEach(async () => {
    await session.close();
    temp.cleanup();
  });

  const sync = (ids?: string[]) => syncSources(session.catalog, { ids, trigger: 'cli', actor: 'test', ...fast });
  const save = (spec: SourceSpec) => session.call('sources:save', { spec });
  const versions = async (service: string) => (await session.call('versions:list', { service, sort: 'release', direction: 'asc' })).items.map((v) => v.version);
  const paths = async (ref: string) => (await session.call('files:list', { ref, limit: 500 })).items.map((f) => f.relpath).sort();

  it('an ontology plus a vocabulary tarball: one version per release, per-artifact conditional GETs and manifest, first artifact names it', async () => {
    const edam10 = edamRelease('EDAM_1.0.obo');
    const vocabs = await vocabulariesTarball('rdf-vocabularies-2019', ['rdfs.nq', 'skos.nq']);
    server.current.set('/edam.obo', release(edam10, 'Fri, 13 Jan 2012 18:00:00 GMT'));
    server.current.set('/vocabs.tgz', release(vocabs.body, 'Thu, 27 Jun 2019 10:00:00 GMT'));
    await save({
      id: 'edam', service: 'edam',
      artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }, { type: 'url', url: `${server.base}/vocabs.tgz` }],
    });

    const first = (await sync()).runs[0]!;
    expect(first).toMatchObject({ status: 'changed', version: '1.0' });
    expect(first.manifest.inputs.map((input) => [input.requested_url, input.received.http])).toEqual([[`${server.base}/edam.obo`, 200], [`${server.base}/vocabs.tgz`, 200]]);
    expect(first.manifest.output).toMatchObject({
      version_rule: { rule: 'content', evidence: 'edam.obo: data-version: 1.0', artifact: 'edam.obo' },
      artifacts: [{ name: 'edam.obo', sha256: sha256(edam10), http: 200 }, { name: 'vocabs.tgz', sha256: sha256(vocabs.body), http: 200 }],
      files: 4,
    });
    // The single file at the top, the tarball's tree under a folder named after it.
    expect(await paths('edam/1.0')).toEqual(['edam.obo', 'vocabs/package/ontologies/rdfs.nq', 'vocabs/package/ontologies/skos.nq', 'vocabs/package/package.json']);
    const artifacts = await session.call('artifacts:list', { ref: 'edam/1.0' });
    expect(artifacts.map((a) => [a.name, a.sha256, a.status]).sort()).toEqual([['edam.obo', sha256(edam10), 'fresh'], ['vocabs.tgz', sha256(vocabs.body), 'fresh']]);
    // Every file is attributed to the artifact it came from.
    const files = (await session.call('files:list', { ref: 'edam/1.0', limit: 500 })).items;
    const byId = new Map(artifacts.map((a) => [a.artifact_id, a.name]));
    expect(files.map((f) => [f.relpath, byId.get(f.artifact_id!)]).sort()).toEqual([
      ['edam.obo', 'edam.obo'], ['vocabs/package/ontologies/rdfs.nq', 'vocabs.tgz'], ['vocabs/package/ontologies/skos.nq', 'vocabs.tgz'], ['vocabs/package/package.json', 'vocabs.tgz'],
    ]);

    // Nothing changed: both answer 304; unchanged, nothing downloaded.
    const quiet = (await sync()).runs[0]!;
    expect(quiet).toMatchObject({ status: 'unchanged', version: null });
    expect(quiet.manifest.output!.reason).toBe('HTTP 304 Not Modified (all 2 artifacts)');
    expect(quiet.manifest.inputs.map((input) => input.received.http)).toEqual([304, 304]);

    // Only the ontology moves on: the tarball (304) comes from the store into the new version.
    const edam11 = edamRelease('EDAM_1.1.obo');
    server.current.set('/edam.obo', release(edam11, 'Thu, 05 Jul 2012 18:00:00 GMT'));
    server.log.length = 0;
    const next = (await sync()).runs[0]!;
    expect(next).toMatchObject({ status: 'changed', version: '1.1' });
    expect(next.manifest.inputs.map((input) => input.received.http)).toEqual([200, 304]);
    expect(next.manifest.output!.artifacts).toEqual([
      { name: 'edam.obo', sha256: sha256(edam11), size_bytes: edam11.length, http: 200 },
      { name: 'vocabs.tgz', sha256: sha256(vocabs.body), size_bytes: vocabs.body.length, http: 304 },
    ]);
    expect(server.hits('/vocabs.tgz').map((hit) => hit.status)).toEqual([304]);
    expect(await paths('edam/1.1')).toEqual(await paths('edam/1.0'));
    expect((await session.call('artifacts:list', { ref: 'edam/1.1' })).find((a) => a.name === 'vocabs.tgz')).toMatchObject({ sha256: sha256(vocabs.body), status: 'cached' });
    expect(await versions('edam')).toEqual(['1.0', '1.1']);

    // A server that forgets its validators (new ETags, same bytes): the release key over both artifacts knows it.
    server.current.set('/edam.obo', { ...release(edam11, 'Thu, 05 Jul 2012 18:00:00 GMT'), etag: '"new-a"' });
    server.current.set('/vocabs.tgz', { ...release(vocabs.body, 'Thu, 27 Jun 2019 10:00:00 GMT'), etag: '"new-b"' });
    const forgot = await Promise.all([sync(), sync()]);
    expect(forgot.map((result) => result.runs[0]!.status)).toEqual(['unchanged', 'unchanged']);
    expect(forgot.map((result) => result.runs[0]!.manifest.output!.reason)).toEqual(['same content as edam/1.1, already recorded', 'same content as edam/1.1, already recorded']);

    // Only the tarball moves on while the ontology still says 1.1: the same version name with
    // other bytes is refused, and nothing changes.
    const vocabs20 = await vocabulariesTarball('rdf-vocabularies-2020', ['rdfs.nq', 'skos.nq']);
    server.current.set('/vocabs.tgz', release(vocabs20.body, 'Wed, 17 Jun 2020 10:00:00 GMT'));
    const clash = (await sync()).runs[0]!;
    expect(clash).toMatchObject({ status: 'failed', error_code: 'CONFLICT' });
    expect(clash.error_message).toContain('edam/1.1 is already in the catalog with other content for vocabs.tgz');
    expect(await versions('edam')).toEqual(['1.0', '1.1']);
    expect((await session.call('review:list', {})).items.map((c) => c.version).sort()).toEqual(['1.0', '1.1']);
  }, 180_000);

  it('an artifact answering 304 whose stored copy was altered or deleted is fetched again, never recorded under its old hash', async () => {
    const notes = Buffer.from('<http://example.org/notes> <http://example.org/p> "release notes" .\n');
    server.current.set('/edam.obo', release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    server.current.set('/notes.nt', release(notes, 'Fri, 13 Jan 2012 18:00:00 GMT'));
    await save({ id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }, { type: 'url', url: `${server.base}/notes.nt` }] });
    expect((await sync()).runs[0]).toMatchObject({ status: 'changed', version: '1.0' });

    // Same size, other bytes: only a hash tells them apart.
    const altered = Buffer.from(notes.toString('utf8').replace('release', 'RELEASE'));
    writeFileSync(path.join(temp.root, 'edam/1.0/archives/notes.nt'), altered);
    server.current.set('/edam.obo', release(edamRelease('EDAM_1.1.obo'), 'Thu, 05 Jul 2012 18:00:00 GMT'));
    server.log.length = 0;
    const next = (await sync()).runs[0]!;
    expect(next).toMatchObject({ status: 'changed', version: '1.1' });
    // The conditional GET said 304; the stored copy failed its hash, so a plain GET brought the bytes.
    expect(server.hits('/notes.nt').map((hit) => [hit.ifNoneMatch, hit.status])).toEqual([[release(notes, '').etag, 304], [null, 200]]);
    expect(next.manifest.output!.artifacts[1]).toEqual({ name: 'notes.nt', sha256: sha256(notes), size_bytes: notes.length, http: 200 });
    expect(sha256(readFileSync(path.join(temp.root, 'edam/1.1/archives/notes.nt')))).toBe(sha256(notes));
    expect(sha256(readFileSync(path.join(temp.root, 'edam/1.1/data/notes.nt')))).toBe(sha256(notes));
    expect((await session.call('artifacts:list', { ref: 'edam/1.1' })).find((a) => a.name === 'notes.nt')).toMatchObject({ sha256: sha256(notes), size_bytes: notes.length });
    expect(readFileSync(path.join(temp.root, 'edam/1.0/archives/notes.nt'))).toEqual(altered);

    // Every stored copy deleted: fetched again as well.
    rmSync(path.join(temp.root, 'edam/1.0/archives/notes.nt'));
    rmSync(path.join(temp.root, 'edam/1.1/archives/notes.nt'));
    server.current.set('/edam.obo', release(edamRelease('EDAM_1.2.obo'), 'Thu, 13 Dec 2012 00:00:00 GMT'));
    server.log.length = 0;
    const third = (await sync()).runs[0]!;
    expect(third).toMatchObject({ status: 'changed', version: '1.2' });
    expect(server.hits('/notes.nt').map((hit) => hit.status)).toEqual([304, 200]);
    expect(sha256(readFileSync(path.join(temp.root, 'edam/1.2/archives/notes.nt')))).toBe(sha256(notes));
  }, 120_000);

  it('concurrent syncs of a two-artifact source make one version', async () => {
    server.current.set('/go.obo', release(edamRelease('EDAM_1.2.obo'), 'Thu, 13 Dec 2012 00:00:00 GMT'));
    server.current.set('/go.tgz', release(await edamTarGz('EDAM_1.1.obo'), 'Thu, 13 Dec 2012 00:00:00 GMT'));
    await save({ id: 'pair', service: 'pair', artifacts: [{ type: 'url', url: `${server.base}/go.obo` }, { type: 'url', url: `${server.base}/go.tgz` }] });
    const results = await Promise.all([sync(), sync(), sync(['pair'])]);
    expect(results.map((r) => r.runs[0]!.status).sort()).toEqual(['changed', 'unchanged', 'unchanged']);
    expect(await versions('pair')).toEqual(['1.2']);
    expect(await paths('pair/1.2')).toEqual(['go.obo', 'go/edam/EDAM_1.1.obo', 'go/edam/README.md']);
    expect((await session.call('review:list', { state: 'all' })).items).toHaveLength(1);
  }, 120_000);

  it('the content rule reads the ontology file inside a real EDAM .tar.gz and .zip, naming the inner file', async () => {
    const tgz = await edamTarGz('EDAM_1.2.obo');
    server.current.set('/edam.tar.gz', release(tgz, 'Thu, 13 Dec 2012 00:00:00 GMT'));
    await save({ id: 'tgz', service: 'edam-tgz', version_rule: 'content', artifacts: [{ type: 'url', url: `${server.base}/edam.tar.gz` }] });
    const run = (await sync(['tgz'])).runs[0]!;
    expect(run).toMatchObject({ status: 'changed', version: '1.2' });
    expect(run.manifest.output!.version_rule).toEqual({ rule: 'content', evidence: 'edam.tar.gz/edam/EDAM_1.2.obo: data-version: 1.2', file: 'edam/EDAM_1.2.obo' });
    // The same release as ingest reads it after extraction.
    expect((await session.call('versions:stats', { ref: 'edam-tgz/1.2' })).release_date_source).toBe('obo-header');

    const dir = mkdtempSync(path.join(os.tmpdir(), 'ontocat-zip-'));
    try {
      const zipFile = path.join(dir, 'edam.zip');
      await makeZip(zipFile, [{ name: 'README.md', content: 'EDAM' }, { name: 'EDAM_1.1.obo', content: edamRelease('EDAM_1.1.obo') }]);
      server.current.set('/edam.zip', release(readFileSync(zipFile), 'Thu, 05 Jul 2012 18:00:00 GMT'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await save({ id: 'zip', service: 'edam-zip', artifacts: [{ type: 'url', url: `${server.base}/edam.zip` }] });
    const zipRun = (await sync(['zip'])).runs[0]!;
    // auto: no resolver version, so the content inside the zip decides before Last-Modified.
    expect(zipRun).toMatchObject({ status: 'changed', version: '1.1' });
    expect(zipRun.manifest.output!.version_rule).toMatchObject({ rule: 'content', file: 'EDAM_1.1.obo', evidence: 'edam.zip/EDAM_1.1.obo: data-version: 1.1' });
  }, 120_000);

  it('the content rule reads a real @zazuko/rdf-vocabularies tarball: the first ontology file that states a version', async () => {
    const files = ['rdfs.nq', 'skos.nq', 'org.nq', 'qb.nq'];
    const tarball = await vocabulariesTarball('rdf-vocabularies-2019', files);
    // Outside truth: the first of these files (archive order) whose own text has owl:versionInfo, read plainly.
    const dir = path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2019', 'ontologies');
    const stated = files.map((file) => ({ file, info: /<http:\/\/www\.w3\.org\/2002\/07\/owl#versionInfo> "([^"]+)"/.exec(readFileSync(path.join(dir, file), 'utf8'))?.[1] }))
      .find((entry) => entry.info)!;
    expect(stated).toEqual({ file: 'org.nq', info: '0.8' });
    server.current.set('/vocabularies.tgz', release(tarball.body, 'Thu, 27 Jun 2019 10:00:00 GMT'));
    await save({ id: 'vocabs', service: 'vocabs', version_rule: 'content', artifacts: [{ type: 'url', url: `${server.base}/vocabularies.tgz` }] });
    const run = (await sync()).runs[0]!;
    expect(run).toMatchObject({ status: 'changed', version: stated.info });
    expect(run.manifest.output!.version_rule).toEqual({
      rule: 'content', file: `package/ontologies/${stated.file}`, evidence: `vocabularies.tgz/package/ontologies/${stated.file}: owl:versionInfo ${stated.info}`,
    });
    // A tarball whose files state nothing: the named rule fails and says so; nothing is stored.
    const silent = await vocabulariesTarball('rdf-vocabularies-2020', ['rdfs.nq', 'skos.nq']);
    server.current.set('/vocabularies.tgz', release(silent.body, 'Wed, 17 Jun 2020 10:00:00 GMT'));
    const failed = (await sync()).runs[0]!;
    expect(failed).toMatchObject({ status: 'failed', error_code: 'BAD_INPUT' });
    expect(failed.error_message).toContain('no version in the head of any ontology file of vocabularies.tgz');
    expect(await versions('vocabs')).toEqual(['0.8']);
  }, 120_000);

  it('the content rule passes over an owl:versionInfo that is prose, as a curator reads it, and names the version a file does state', async () => {
    // Outside truth: rdflib's reading of each real file's owl:versionInfo and owl:versionIRI.
    const stated = (alias: string, file: string): { info: string[]; iri: string[] } => JSON.parse(execFileSync('/usr/bin/python3', ['-c', [
      'import json, sys, rdflib', 'g = rdflib.ConjunctiveGraph(); g.parse(sys.argv[1], format="nquads")',
      'print(json.dumps({k: sorted(str(o) for o in g.objects(None, p)) for k, p in (("info", rdflib.OWL.versionInfo), ("iri", rdflib.OWL.versionIRI))}))',
    ].join('\n'), path.join(projectRoot, 'node_modules', alias, 'ontologies', file)], { encoding: 'utf8' })) as { info: string[]; iri: string[] };
    expect(stated('rdf-vocabularies-2021', 'locn.nq')).toEqual({ info: ['First version in w3.org/ns space'], iri: [] });
    expect(stated('rdf-vocabularies-2021', 'org.nq')).toEqual({ info: ['0.8'], iri: [] });
    expect(stated('rdf-vocabularies-2020', 'dtype.nq')).toEqual({ info: ['Created with TopBraid Composer'], iri: ['http://www.linkedmodel.org/1.1/schema/dtype'] });

    // locn.nq first in the archive: its sentence names nothing; org.nq's 0.8 does.
    const first = await vocabulariesTarball('rdf-vocabularies-2021', ['locn.nq', 'org.nq']);
    server.current.set('/vocabularies.tgz', release(first.body, 'Wed, 22 Sep 2021 10:00:00 GMT'));
    await save({ id: 'vocabs', service: 'vocabs', version_rule: 'content', artifacts: [{ type: 'url', url: `${server.base}/vocabularies.tgz` }] });
    const run = (await sync()).runs[0]!;
    expect(run).toMatchObject({ status: 'changed', version: '0.8' });
    expect(run.manifest.output!.version_rule).toEqual({
      rule: 'content', file: 'package/ontologies/org.nq', evidence: 'vocabularies.tgz/package/ontologies/org.nq: owl:versionInfo 0.8',
    });
    // dtype.nq: TopBraid's note names nothing; the versionIRI beside it names 1.1.
    const second = await vocabulariesTarball('rdf-vocabularies-2020', ['dtype.nq']);
    server.current.set('/vocabularies.tgz', release(second.body, 'Thu, 23 Sep 2021 10:00:00 GMT'));
    const named = (await sync()).runs[0]!;
    expect(named).toMatchObject({ status: 'changed', version: '1.1' });
    expect(named.manifest.output!.version_rule).toMatchObject({ evidence: 'vocabularies.tgz/package/ontologies/dtype.nq: owl:versionIRI http://www.linkedmodel.org/1.1/schema/dtype' });
    // Only a sentence: the named rule finds no version and says so.
    const prose = await vocabulariesTarball('rdf-vocabularies-2021', ['locn.nq']);
    server.current.set('/vocabularies.tgz', release(prose.body, 'Fri, 24 Sep 2021 10:00:00 GMT'));
    const failed = (await sync()).runs[0]!;
    expect(failed).toMatchObject({ status: 'failed', error_code: 'BAD_INPUT' });
    expect(failed.error_message).toContain('no version in the head of any ontology file of vocabularies.tgz');
    expect(await versions('vocabs')).toEqual(['0.8', '1.1']);
  }, 120_000);

  it('reading heads inside an archive obeys the archive limits and stops at the first evidence', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ontocat-heads-'));
    try {
      const file = path.join(dir, 'v.tgz');
      const tarball = await vocabulariesTarball('rdf-vocabularies-2019', ['rdfs.nq', 'org.nq', 'qb.nq']);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, tarball.body);
      const heads = await readArchiveHeads(file, 'tar.gz', { limits: DEFAULT_LIMITS, enough: (inner) => inner.head.includes('owl#versionInfo') });
      expect(heads.map((head) => head.relpath)).toEqual(['package/ontologies/rdfs.nq', 'package/ontologies/org.nq']);
      await expect(readArchiveHeads(file, 'tar.gz', { limits: { ...DEFAULT_LIMITS, maxFiles: 2 } })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
      await expect(readArchiveHeads(file, 'tar.gz', { limits: { ...DEFAULT_LIMITS, maxBytes: 10_000 } })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
