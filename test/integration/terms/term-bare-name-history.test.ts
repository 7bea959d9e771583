/**
 * `terms history` by a bare name (`topic_0003`, the last segment of the EDAM IRI
 * http://edamontology.org/topic_0003) gives the term's whole history, as its OBO id
 * `EDAM_topic:0003` does: every key of the identity the name stands for, not only the OWL
 * key whose IRI it ends. Before, the OBO releases, which write the term as EDAM_topic:0003,
 * were missing, and `--service edam` of OBO releases alone said the term was in none.
 *
 * Outside truth: EDAM's real OBO releases and its 1.2 release in OWL
 * (test/fixtures/edam), read by plain line scans.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { termHistory } from '../../../electron/catalog/term-index-queries.js';
import type { TermHistory } from '../../../electron/shared/contract/terms.js';
import type { ScannedTerm } from '../../helpers/obo-stanza-scan.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { ingestEdamReleases } from '../../helpers/edam-releases.js';
import { recordUnderOlderRules } from '../../helpers/older-term-index.js';
import { extractTerms } from '../../../electron/ingest/parsers/extract-terms.js';
import type { TermBackfillResult } from '../../../electron/shared/contract/terms.js';

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');
const releases = ['beta08', 'beta10', '1.0', '1.1', '1.2'] as const;
const temp = makeTempRoot('ontocat-bare-name-history');
const root = path.join(temp.root, 'root');
const scans = new Map<string, Map<string, ScannedTerm>>();
let owlText = '';

beforeAll(() => {
  for (const [version, scan] of ingestEdamReleases(temp.root, root, releases)) scans.set(version, scan);
  // The same release in OWL, as a service of its own: its keys are the IRIs.
  const owl = path.join(temp.root, 'src', 'owl-1.2');
  mkdirSync(owl, { recursive: true });
  owlText = gunzipSync(readFileSync(path.join(edam, 'EDAM_1.2.owl.gz'))).toString('utf8');
  writeFileSync(path.join(owl, 'EDAM.owl'), owlText);
  const run = runOntocat(['ingest', owl, '--service', 'edam-owl', '--version', '1.2', '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
}, 600_000);
afterAll(() => temp.cleanup());

/** The OWL file's class IRIs, by a line scan. */
const owlClasses = (): Set<string> => new Set([...owlText.matchAll(/<owl:Class rdf:about="([^"]+)"/g)].map((m) => m[1]!));

function history(term: string, service?: string): TermHistory {
  const run = runOntocat(['terms', 'history', term, ...(service ? ['--service', service] : []), '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
  return run.json<TermHistory>();
}

const withoutQuery = ({ query: _query, ...rest }: TermHistory) => rest;

describe('terms history by a bare name', () => {
  it('topic_0003 gives the OBO and OWL releases of EDAM_topic:0003, as its OBO id does', () => {
    expect(owlClasses().has('http://edamontology.org/topic_0003')).toBe(true);
    const present = releases.filter((version) => scans.get(version)!.has('EDAM_topic:0003'));
    expect(present).toEqual(['1.0', '1.1', '1.2']);

    const bare = history('topic_0003');
    expect(withoutQuery(bare)).toEqual(withoutQuery(history('EDAM_topic:0003')));
    expect(bare.idents).toEqual(['EDAM_topic:0003']);
    expect(bare.timelines.map((t) => t.service)).toEqual(['edam', 'edam-owl']);

    // Within the OBO releases alone, every state as the release files have it.
    const inObo = history('topic_0003', 'edam');
    expect(withoutQuery(inObo)).toEqual(withoutQuery(history('EDAM_topic:0003', 'edam')));
    const timeline = inObo.timelines[0]!;
    expect(timeline.versions.filter((v) => v.present).map((v) => v.version)).toEqual(present);
    for (const version of present) {
      const scanned = scans.get(version)!.get('EDAM_topic:0003')!;
      const state = timeline.versions.find((v) => v.version === version)!;
      expect({ version, label: state.label, deprecated: state.deprecated, parents: state.parents })
        .toEqual({ version, label: scanned.name, deprecated: scanned.obsolete, parents: [...new Set(scanned.isA)].sort() });
    }
  });

  it('every EDAM topic, by the last segment of its OWL IRI, has the history of its OBO id', async () => {
    const classes = owlClasses();
    // Its stanzas' topics: an alt_id (no name) is no class of the OWL release but a
    // hasAlternativeId of one, checked below.
    const topics = [...scans.get('1.2')!].filter(([id, term]) => id.startsWith('EDAM_topic:') && term.name !== null).map(([id]) => id).sort();
    expect(topics.length).toBeGreaterThan(200);
    const catalog = await openCatalog({ root });
    try {
      await catalog.read(async (conn) => {
        for (const id of topics) {
          const name = `topic_${id.slice('EDAM_topic:'.length)}`;
          expect({ id, inOwl: classes.has(`http://edamontology.org/${name}`) }).toEqual({ id, inOwl: true });
          for (const service of ['edam', undefined]) {
            const byName = withoutQuery(await termHistory(conn, name, service));
            expect({ name, service, ...byName }).toEqual({ name, service, ...withoutQuery(await termHistory(conn, id, service)) });
          }
          const present = (await termHistory(conn, name, 'edam')).timelines[0]!.versions.filter((v) => v.present).map((v) => v.version);
          expect({ id, present }).toEqual({ id, present: releases.filter((version) => scans.get(version)!.has(id)) });
        }
      });
    } finally {
      await catalog.close();
    }
  }, 120_000);

  it("a term merged into another stays merged in EDAM 1.2, whose OBO writes the alt_id bare under an IRI ontology, as its OWL release has it", () => {
    // The OWL release of 1.2: each hasAlternativeId and the class that holds it, by a line scan.
    const merged = new Map<string, string>();
    for (const block of owlText.split('</owl:Class>')) {
      const about = /<owl:Class rdf:about="([^"]+)"/.exec(block)?.[1];
      for (const alt of block.matchAll(/<oboInOwl:hasAlternativeId>([^<]+)<\/oboInOwl:hasAlternativeId>/g)) merged.set(alt[1]!, about!);
    }
    expect([...merged.keys()].sort()).toEqual(['http://edamontology.org/topic_0197', 'http://edamontology.org/topic_3040', 'http://edamontology.org/topic_3076']);
    const oboOf = (iri: string): string => iri.replace(/^http:\/\/edamontology\.org\/topic_/, 'EDAM_topic:');
    for (const [alt, into] of merged) {
      const id = oboOf(alt);
      const states = history(id, 'edam').timelines[0]!.versions.filter((v) => v.version === '1.1' || v.version === '1.2');
      // 1.1 writes `alt_id: EDAM_topic:0197`, 1.2 `alt_id: topic_0197` under `ontology: http://edamontology.org`.
      expect(states.map(({ version, present, deprecated, replaced_by }) => ({ id, version, present, deprecated, replaced_by })))
        .toEqual(['1.1', '1.2'].map((version) => ({ id, version, present: true, deprecated: true, replaced_by: [oboOf(into)] })));
      const inOwl = history(id, 'edam-owl').timelines[0]!.versions[0]!;
      expect({ id, present: inOwl.present, deprecated: inOwl.deprecated, replaced_by: inOwl.replaced_by.map(oboOf) })
        .toEqual({ id, present: true, deprecated: true, replaced_by: [oboOf(into)] });
    }
  });

  it('a catalog recorded under the rules before migration 0033 gives the same history after one backfill', async () => {
    const fresh = withoutQuery(history('EDAM_topic:0197'));
    const obo = releases.map((version) => path.join(edam, `EDAM_${version}.obo`));
    const owl = path.join(temp.root, 'src', 'owl-1.2', 'EDAM.owl');
    // As the rules before 0033 read EDAM 1.2: its three bare alt_ids gave no term.
    const before = async (file: string) => (await extractTerms(file, 'obo'))
      .filter((term) => !(file.endsWith('EDAM_1.2.obo') && term.id.startsWith('http://edamontology.org/topic_')));
    expect((await extractTerms(obo.at(-1)!, 'obo')).length - (await before(obo.at(-1)!)).length).toBe(3);
    await recordUnderOlderRules(root, [
      ...await Promise.all(obo.map(async (file) => ({ file, format: 'obo', terms: await before(file) }))),
      { file: owl, format: 'rdfxml', terms: await extractTerms(owl, 'rdfxml') },
    ], 7, '0033_term_obo_alt_ids_under_iri_ontology.sql');
    expect(history('EDAM_topic:0197', 'edam').timelines[0]!.versions.find((v) => v.version === '1.2')!.present).toBe(false);

    // Every OBO content with terms is read again (the index keeps no header); the OWL one is not.
    const run = runOntocat(['terms', 'backfill', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json<TermBackfillResult>()).toMatchObject({ contents: obo.length, indexed: obo.length, failed: [] });
    expect(withoutQuery(history('EDAM_topic:0197'))).toEqual(fresh);
  }, 300_000);
});
