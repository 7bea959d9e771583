/**
 * Release order end to end: real ingests (folders and HTTP on 127.0.0.1) into a real
 * catalog, then prune's keep-last, the versions list, Delta's previous version, growth,
 * cadence and hints, and a curator's correction through the real CLI.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { previousRelease } from '../../../electron/catalog/release-order.js';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let session: Session;

const lastModified: Record<string, string> = {
  '6.6.2': 'Wed, 01 May 2024 00:00:00 GMT',
  '6.5.0': 'Wed, 01 Nov 2023 00:00:00 GMT',
};
let server: http.Server;
let base = '';

beforeAll(async () => {
  // Serves /<version>/svc.obo with that version's Last-Modified; the OBO header has no date.
  server = http.createServer((req, res) => {
    const version = req.url?.split('/')[1] ?? '';
    const body = Buffer.from(`format-version: 1.2\nontology: svc\n\n[Term]\nid: SVC:1\nname: term of ${version}\n`);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length, 'last-modified': lastModified[version] ?? 'x' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-release-order'));
  session = await openSession({ actor: 'test', root });
});
afterEach(async () => {
  await session.close();
  cleanup();
});

/** Writes a source folder and ingests it as SERVICE/VERSION. */
async function ingestFolder(service: string, version: string, files: Record<string, string>, replace = false): Promise<void> {
  const dir = path.join(root, '..', `${path.basename(root)}-src-${service}-${version}`);
  for (const [relpath, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    writeFileSync(path.join(dir, relpath), text);
  }
  cleanupLater.push(dir);
  await ingest(session.catalog, dir, { service, version, replace });
}
const cleanupLater: string[] = [];
afterAll(async () => {
  const { rmSync } = await import('node:fs');
  for (const dir of cleanupLater) rmSync(dir, { recursive: true, force: true });
});

const listed = async (service: string): Promise<string[]> =>
  (await session.call('versions:list', { service })).items.map((v) => v.version);

async function keepLastOne(service: string) {
  const plan = await session.call('prune:plan', { keep_last: 1, service });
  return {
    removed: plan.removals.map((v) => v.version),
    kept: Object.fromEntries(plan.kept.map((v) => [v.version, v.why])),
    order: plan.order,
  };
}

const obo = (dataVersion: string | null): string =>
  `format-version: 1.2\n${dataVersion ? `data-version: ${dataVersion}\n` : ''}ontology: svc\n\n[Term]\nid: SVC:1\nname: one\n`;
const turtle = (label: string): string => `@prefix ex: <http://example.org/> .\nex:a ex:label "${label}" .\n`;

describe('prune keeps the newest release, not the last ingested (issue 12, item 8)', () => {
  it('by HTTP Last-Modified: 6.6.2 then 6.5.0 ingested, keep-last 1 keeps 6.6.2', async () => {
    await ingest(session.catalog, `${base}/6.6.2/svc.obo`, { service: 'svc', version: '6.6.2' });
    await ingest(session.catalog, `${base}/6.5.0/svc.obo`, { service: 'svc', version: '6.5.0' });
    const plan = await keepLastOne('svc');
    expect(plan.removed).toEqual(['6.5.0']);
    expect(plan.kept).toEqual({ '6.6.2': ['within the last 1 by release date (2024-05-01, from HTTP Last-Modified)'] });
    expect(plan.order).toContain('ingest order never decides');
    const stats = await session.call('versions:stats', { ref: 'svc/6.5.0' });
    expect([stats.release_date, stats.release_date_source]).toEqual(['2023-11-01T00:00:00.000Z', 'http-last-modified']);
  });

  it('by OBO data-version: the header outranks the ingest date', async () => {
    await ingestFolder('svc', '6.6.2', { 'svc.obo': obo('releases/2024-05-01') });
    await ingestFolder('svc', '6.5.0', { 'svc.obo': obo('releases/2023-11-01') });
    const plan = await keepLastOne('svc');
    expect(plan.removed).toEqual(['6.5.0']);
    expect(plan.kept).toEqual({ '6.6.2': ['within the last 1 by release date (2024-05-01, from the OBO header)'] });
  });

  it('with no dates at all, only the version strings decide', async () => {
    await ingestFolder('svc', '6.6.2', { 'a.ttl': turtle('6.6.2') });
    await ingestFolder('svc', '6.10.0', { 'a.ttl': turtle('6.10.0') });
    await ingestFolder('svc', '6.5.0', { 'a.ttl': turtle('6.5.0') });
    const plan = await keepLastOne('svc');
    expect(plan.removed.sort()).toEqual(['6.5.0', '6.6.2']);
    expect(Object.keys(plan.kept)).toEqual(['6.10.0']);
    expect(plan.kept['6.10.0']![0]).toMatch(/^within the last 1 by release order \(no release date known: placed by its version string; ingested \d{4}-\d{2}-\d{2}\)$/);
    // And with keep-last 2 the two newest stay, whatever order they came in.
    const two = await session.call('prune:plan', { keep_last: 2, service: 'svc' });
    expect(two.removals.map((v) => v.version)).toEqual(['6.5.0']);
  });

  it('a version with only an ingest date sits by its version string among dated ones', async () => {
    await ingestFolder('svc', '2.0', { 'svc.obo': obo('releases/2024-01-01') });
    await ingestFolder('svc', '2.1', { 'a.ttl': turtle('undated') });
    await ingestFolder('svc', '1.0', { 'svc.obo': obo('releases/2023-01-01') });
    await ingestFolder('svc', '0.9', { 'a.ttl': turtle('undated too') });
    expect(await listed('svc')).toEqual(['2.1', '2.0', '1.0', '0.9']);
  });
});

describe('one order everywhere', () => {
  beforeEach(async () => {
    // Ingested out of order, no dates: 6.6.2, 6.10.0, 6.5.0.
    await ingestFolder('svc', '6.6.2', { 'a.ttl': turtle('6.6.2'), 'b.ttl': turtle('b') });
    await ingestFolder('svc', '6.10.0', { 'a.ttl': turtle('6.10.0'), 'b.ttl': turtle('b'), 'c.ttl': turtle('c') });
    await ingestFolder('svc', '6.5.0', { 'a.ttl': turtle('6.5.0') });
  });

  it('the versions list defaults to newest release first, with a unique order and the release date', async () => {
    const page = await session.call('versions:list', { service: 'svc' });
    expect(page.items.map((v) => [v.version, v.release_rank, v.release_date_source])).toEqual([
      ['6.10.0', 3, 'ingest'], ['6.6.2', 2, 'ingest'], ['6.5.0', 1, 'ingest'],
    ]);
    expect((await session.call('versions:list', { service: 'svc', sort: 'release', direction: 'asc' })).items.map((v) => v.version))
      .toEqual(['6.5.0', '6.6.2', '6.10.0']);
    // Ingest order is still there when asked for.
    expect((await session.call('versions:list', { service: 'svc', sort: 'created_at', direction: 'asc' })).items.map((v) => v.version))
      .toEqual(['6.6.2', '6.10.0', '6.5.0']);
  });

  it("Delta's previous version, growth and cadence follow release order", async () => {
    expect(await session.catalog.read((conn) => previousRelease(conn, { service: 'svc', version: '6.10.0' }))).toBe('6.6.2');
    expect(await session.catalog.read((conn) => previousRelease(conn, { service: 'svc', version: '6.5.0' }))).toBeNull();
    // The renderer's previous version: the next item of the release-ordered list.
    const items = (await session.call('versions:list', { service: 'svc', sort: 'release', direction: 'desc', limit: 1000 })).items;
    expect(items[items.findIndex((v) => v.version === '6.10.0') + 1]?.version).toBe('6.6.2');
    const growth = await session.call('report:growth', { service: 'svc' });
    expect([growth.from, growth.to]).toEqual(['svc/6.6.2', 'svc/6.10.0']);
    expect(growth.summary.added.count).toBe(1);
    const cadence = await session.call('report:cadence', { service: 'svc' });
    expect(cadence.rows.map((r) => [r.version, r.previous, r.growth_files])).toEqual([
      ['6.5.0', null, null], ['6.6.2', '6.5.0', 1], ['6.10.0', '6.6.2', 1],
    ]);
  });

  it('a version\'s stats say whether it comes before another of its service, as GNU sort -V orders the undated versions', async () => {
    const versions = ['6.6.2', '6.10.0', '6.5.0'];
    const sorted = execFileSync('sort', ['-V'], { input: `${versions.join('\n')}\n`, encoding: 'utf8' }).trim().split('\n');
    for (const a of versions) {
      for (const b of versions.filter((other) => other !== a)) {
        const stats = await session.call('versions:stats', { ref: `svc/${a}`, stamp: true, order_against: `svc/${b}` });
        expect(stats.order_against, `${a} against ${b}`).toEqual({ ref: `svc/${b}`, older: sorted.indexOf(a) < sorted.indexOf(b) });
      }
    }
    await expect(session.call('versions:stats', { ref: 'svc/6.5.0', order_against: 'other/1' })).rejects.toThrow(/not a version of svc/);
  });

  it("an unknown version's hint lists the newest releases first", async () => {
    await expect(session.call('versions:stats', { ref: 'svc/9.9' })).rejects.toThrow('Known versions of svc: 6.10.0, 6.6.2, 6.5.0.');
  });

  it('a curator corrects a release date through the real CLI: the order changes and an event says so', async () => {
    await session.close();
    const set = runOntocat(['release-date', 'svc/6.5.0', '2030-01-01', '--json'], { root });
    expect(set.stderr).toContain('Expected a real, past release date');
    expect(set.code).not.toBe(0);
    const listedByCli = (): string[] =>
      runOntocat(['versions', '--service', 'svc', '--json'], { root }).json<{ version: string }[]>().map((v) => v.version);
    // A dated 6.6.2 alone changes nothing: the undated versions sit by their strings around it.
    const first = runOntocat(['release-date', 'svc/6.6.2', '2024-06-01', '--json'], { root });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ ref: 'svc/6.6.2', release_date: '2024-06-01T00:00:00.000Z', release_date_source: 'curator', previous_source: 'ingest' });
    expect(listedByCli()).toEqual(['6.10.0', '6.6.2', '6.5.0']);
    // 6.10.0 was in fact released earlier (an old branch): now the dates decide.
    const second = runOntocat(['release-date', 'svc/6.10.0', '2020-01-15'], { root });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('svc/6.10.0 was released 2020-01-15 (set by a curator; was ');
    expect(listedByCli()).toEqual(['6.6.2', '6.10.0', '6.5.0']);
    const events = runOntocat(['events', '--type', 'version.release_date', '--json'], { root });
    expect(events.json<{ payload: Record<string, unknown> }[]>().map((e) => e.payload)).toEqual([
      expect.objectContaining({ service: 'svc', version: '6.10.0', source: 'curator', release_date: '2020-01-15T00:00:00.000Z', previous_source: 'ingest', by: expect.any(String) }),
      expect.objectContaining({ service: 'svc', version: '6.6.2', source: 'curator', release_date: '2024-06-01T00:00:00.000Z', previous_source: 'ingest' }),
    ]);
    const prune = runOntocat(['prune', '--keep-last', '1', '--service', 'svc'], { root });
    expect(prune.code).toBe(0);
    expect(prune.stdout).toContain('within the last 1 by release date (2024-06-01, set by a curator)');
    session = await openSession({ actor: 'test', root });
    // Evidence from a later ingest (a deliberate replacement) never overwrites a curator's date.
    await ingestFolder('svc', '6.10.0', { 'a.ttl': turtle('6.10.0 again'), 'svc.obo': obo('releases/2025-01-01') }, true);
    const stats = await session.call('versions:stats', { ref: 'svc/6.10.0' });
    expect([stats.release_date, stats.release_date_source]).toEqual(['2020-01-15T00:00:00.000Z', 'curator']);
    expect(await listed('svc')).toEqual(['6.6.2', '6.10.0', '6.5.0']);
  });

  it('release dates keep their milliseconds: two releases of one second list in the order of their times, not their version strings', async () => {
    await ingestFolder('lib', '2.0.9', { 'lib.obo': obo(null) });
    await ingestFolder('lib', '2.0.10', { 'lib.obo': obo(null).replace('name: one', 'name: two') });
    await session.close();
    // As npm's registry states publication times: 2.0.10 first, a fix to the 2.0.9 line 555 ms later.
    const published: Record<string, string> = { '2.0.10': '2021-09-22T10:11:12.345Z', '2.0.9': '2021-09-22T10:11:12.900Z' };
    // Outside truth: GNU date's milliseconds since the epoch, newest first.
    const epochMs = (at: string): number => Number(execFileSync('date', ['-u', '-d', at, '+%s%3N'], { encoding: 'utf8' }).trim());
    const expected = Object.keys(published).sort((a, b) => epochMs(published[b]!) - epochMs(published[a]!));
    expect(expected).toEqual(['2.0.9', '2.0.10']);
    for (const [version, at] of Object.entries(published)) {
      const set = runOntocat(['release-date', `lib/${version}`, at, '--json'], { root });
      expect(set.code).toBe(0);
      expect(set.json<{ release_date: string }>().release_date).toBe(at);
    }
    const rows = runOntocat(['versions', '--service', 'lib', '--json'], { root }).json<{ version: string; release_date: string }[]>();
    expect(rows.map((row) => row.version)).toEqual(expected);
    expect(rows.map((row) => epochMs(row.release_date))).toEqual(expected.map((version) => epochMs(published[version]!)));
    session = await openSession({ actor: 'test', root });
    expect(await listed('lib')).toEqual(expected);
    // A fraction finer than a millisecond is cut to it, as a JS Date holds it.
    await session.call('versions:set-release', { ref: 'lib/2.0.9', release_date: '2021-09-22T10:11:12.9009999Z' });
    expect((await session.call('versions:stats', { ref: 'lib/2.0.9' })).release_date).toBe('2021-09-22T10:11:12.900Z');
  });
});

describe('real releases of @zazuko/rdf-vocabularies', () => {
  // The day each bundle was tagged in the publisher's own repository (vendored git log).
  const tagged = new Map((JSON.parse(readFileSync(path.join(projectRoot, 'test', 'fixtures', 'zazuko', 'release-tags.json'), 'utf8')) as {
    tags: { version: string; committed: string }[];
  }).tags.map((tag) => [tag.version, tag.committed.slice(0, 10)]));

  /** Copies some of a bundle's vocabularies into a folder of their own and ingests it as vocab/VERSION (service `service`). */
  async function ingestMembers(year: string, names: readonly string[], service: string, version: string): Promise<void> {
    const src = path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies');
    const dir = path.join(root, '..', `${path.basename(root)}-${service}-${year}-${version}`);
    mkdirSync(dir, { recursive: true });
    for (const name of names) copyFileSync(path.join(src, name), path.join(dir, name));
    cleanupLater.push(dir);
    await ingest(session.catalog, dir, { service, version });
  }

  it('ingested out of order, they list by release, each dated the day its name spells and its tag was made', async () => {
    // frbr.nq states 2018-03-29 and oa.nq 2016-11-12 in all three: members dated on their own.
    for (const [year, version] of [['2021', '2021.9.22'], ['2019', '2019.6.27'], ['2020', '2020.6.17']] as const) {
      await ingestMembers(year, ['frbr.nq', 'owl.nq', 'oa.nq'], 'vocab', version);
    }
    const items = (await session.call('versions:list', { service: 'vocab' })).items;
    expect(items.map((v) => v.version)).toEqual(['2021.9.22', '2020.6.17', '2019.6.27']);
    expect(items.map((v) => [v.release_date?.slice(0, 10), v.release_date_source])).toEqual(items.map((v) => [tagged.get(v.version), 'version-name']));
    const events = await session.call('events:list', { type: 'version.release_date', limit: 50 });
    expect(JSON.stringify(events.items)).toMatch(/2021\.9\.22 names that day; its files state 2 days, 2016-11-12 to 2018-03-29, the latest in frbr\.nq: owl:versionIRI/);
  });

  it('a single member keeps its own date, and so does a bundle whose name is no date, an older day or the day a file states', async () => {
    await ingestMembers('2021', ['frbr.nq'], 'one-member', '2021.9.22');
    await ingestMembers('2021', ['frbr.nq', 'oa.nq'], 'semver-named', '3.1.0');
    await ingestMembers('2021', ['frbr.nq', 'oa.nq'], 'older-name', '2017.1.1');
    // Named the day frbr.nq states: that file's own word, not "only older days".
    await ingestMembers('2021', ['frbr.nq', 'oa.nq'], 'same-day-name', '2018-03-29');
    for (const service of ['one-member', 'semver-named', 'older-name', 'same-day-name']) {
      const [only] = (await session.call('versions:list', { service })).items;
      expect([service, only?.release_date, only?.release_date_source]).toEqual([service, '2018-03-29T00:00:00.000Z', 'owl-version']);
    }
  });
});

describe('real releases of EDAM (test/fixtures/edam)', () => {
  // Each release's date as its own header states it, read off the files by a person: the OBO
  // `date:` line (1.0 and 1.1 end it with a comment), or the `oboOther:date` of the OWL
  // releases' headers (owl-heads/), in the forms EDAM's editors wrote.
  const stated: Record<string, [string, string]> = {
    'beta08': ['EDAM_beta08.obo', '2010-08-18T14:15:00.000Z'],
    'beta10': ['EDAM_beta10.obo', '2010-12-01T12:25:00.000Z'],
    '1.0': ['EDAM_1.0.obo', '2012-01-13T18:00:00.000Z'],
    '1.1': ['EDAM_1.1.obo', '2012-07-05T18:00:00.000Z'],
    '1.2': ['EDAM_1.2.obo', '2012-12-13T00:00:00.000Z'],
    '1.3': ['owl-heads/EDAM_1.3.owl', '2014-02-20T15:33:00.000Z'],
    '1.9': ['owl-heads/EDAM_1.9.owl', '2015-02-02T00:00:00.000Z'],
    '1.13': ['owl-heads/EDAM_1.13.owl', '2016-02-08T22:15:00.000Z'],
    '1.16': ['owl-heads/EDAM_1.16.owl', '2016-10-31T23:58:00.000Z'],
    '1.22': ['owl-heads/EDAM_1.22.owl', '2019-05-13T00:21:00.000Z'],
    '1.24': ['owl-heads/EDAM_1.24.owl', '2020-01-14T13:23:00.000Z'],
    // owl:versionInfo 1.25-20200618T0915Z, a day without its time.
    '1.25': ['owl-heads/EDAM_1.25.owl', '2020-06-18T00:00:00.000Z'],
  };

  /** Ingests the release's vendored file, alone in a folder, as edam/VERSION. */
  async function ingestRelease(version: string): Promise<void> {
    const [file] = stated[version]!;
    const dir = path.join(root, '..', `${path.basename(root)}-edam-${version}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(projectRoot, 'test', 'fixtures', 'edam', file), path.join(dir, `EDAM${path.extname(file)}`));
    cleanupLater.push(dir);
    await ingest(session.catalog, dir, { service: 'edam', version });
  }

  it('ingested out of order, they list by the dates their headers state, none by its ingest date', async () => {
    for (const version of ['1.16', 'beta10', '1.0', '1.25', '1.3', 'beta08', '1.22', '1.1', '1.9', '1.24', '1.2', '1.13']) await ingestRelease(version);
    const items = (await session.call('versions:list', { service: 'edam', limit: 50 })).items;
    const newestFirst = Object.entries(stated).sort((a, b) => b[1][1].localeCompare(a[1][1]));
    expect(items.map((v) => [v.version, v.release_date])).toEqual(newestFirst.map(([version, [, date]]) => [version, date]));
    expect(items.map((v) => v.release_date_source)).toEqual(newestFirst.map(([version]) => (version === '1.25' ? 'owl-version' : 'obo-header')));
  });

  it('validating a version recorded before its date could be read dates it; a curator date stays', async () => {
    for (const version of ['1.0', '1.16']) await ingestRelease(version);
    // As an Ontocat that could not read these headers recorded them: the ingest date.
    await session.catalog.write((tx) => tx.run("UPDATE versions SET release_date = created_at, release_date_source = 'ingest' WHERE service = 'edam'"));
    await session.call('versions:set-release', { ref: 'edam/1.16', release_date: '2016-11-01' });
    for (const version of ['1.0', '1.16']) await validateVersion(session.catalog, { service: 'edam', version });
    const items = (await session.call('versions:list', { service: 'edam' })).items;
    expect(items.map((v) => [v.version, v.release_date, v.release_date_source])).toEqual([
      ['1.16', '2016-11-01T00:00:00.000Z', 'curator'], ['1.0', stated['1.0']![1], 'obo-header'],
    ]);
    const events = await session.call('events:list', { type: 'version.release_date' });
    expect(events.items.some((event) => JSON.stringify(event.payload).includes('EDAM.obo: date: 13:01:2012 18:00'))).toBe(true);
  });

  it('a correction based on a date another client corrected since is refused, theirs kept; one based on the stored date is written', async () => {
    await ingestRelease('1.16');
    const stats = () => session.call('versions:stats', { ref: 'edam/1.16' });
    const seen = (await stats()).release_date;
    expect(seen).toBe(stated['1.16']![1]);
    // Two curators opened the field on the same date; the second saves first.
    await session.call('versions:set-release', { ref: 'edam/1.16', release_date: '2016-11-01', expected_release_date: seen });
    const refused = await session.call('versions:set-release', { ref: 'edam/1.16', release_date: '2016-12-24', expected_release_date: seen }).then(() => null, (error: Error) => error);
    expect(refused?.message).toMatch(/is now 2016-11-01, set by a curator; this correction was based on 2016-\d\d-\d\d .*nothing was changed/);
    expect(((refused ?? {}) as { code?: string }).code).toBe('CONFLICT');
    expect(await stats()).toMatchObject({ release_date: '2016-11-01T00:00:00.000Z', release_date_source: 'curator' });
    // 'No date' is a basis too: a dated version refuses it.
    await expect(session.call('versions:set-release', { ref: 'edam/1.16', release_date: '2016-12-24', expected_release_date: null })).rejects.toThrow(/based on no release date/);
    // Based on what is stored (in the catalog's own text, or as a plain day), it is written.
    await session.call('versions:set-release', { ref: 'edam/1.16', release_date: '2016-12-24', expected_release_date: '2016-11-01' });
    expect((await stats()).release_date).toBe('2016-12-24T00:00:00.000Z');
    const events = await session.call('events:list', { type: 'version.release_date' });
    expect(events.items.filter((event) => event.payload.source === 'curator')).toHaveLength(2);
  });
});
