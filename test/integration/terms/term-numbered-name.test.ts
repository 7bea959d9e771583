/**
 * A term by the last segment of its IRI, in a catalog of OBO releases alone: `topic_0003`
 * (http://edamontology.org/topic_0003, as EDAM's OWL release names the class, and as
 * bio.tools cites it) and `ECO_0000033` (the end of its OBO PURL) give the history and the
 * search hits of EDAM_topic:0003 and ECO:0000033, as those ids do. Before, with no OWL key
 * whose IRI the name ends, history said no indexed term has that name and search found none.
 *
 * Outside truth: EDAM's 1.2 release in OWL (its class IRIs, by a line scan), EDAM's OBO
 * releases and Debian's eco.obo (their ids, by a line scan).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms, termHistory } from '../../../electron/catalog/term-index-queries.js';
import type { TermHistory } from '../../../electron/shared/contract/terms.js';
import { EDAM_FIXTURES, ingestEdamReleases } from '../../helpers/edam-releases.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const ECO = '/usr/share/EMBOSS/data/OBO/eco.obo';
const hasEco = existsSync(ECO);
const temp = makeTempRoot('ontocat-numbered-name');
const root = path.join(temp.root, 'root');

beforeAll(() => {
  ingestEdamReleases(temp.root, root, ['1.1', '1.2']);
  if (hasEco) {
    const dir = path.join(temp.root, 'src', 'eco');
    mkdirSync(dir, { recursive: true });
    copyFileSync(ECO, path.join(dir, 'eco.obo'));
    const run = runOntocat(['ingest', dir, '--service', 'eco', '--version', '2022', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
  }
}, 300_000);
afterAll(() => temp.cleanup());

const withoutQuery = ({ query: _query, ...rest }: TermHistory) => rest;

/** Each `[Term]` id of an OBO file, by a line scan. */
function stanzaIds(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  return lines.flatMap((line, i) => (line.startsWith('id: ') && lines[i - 1] === '[Term]' ? [line.slice(4).trim()] : []));
}

/** Checks that each name answers as its id does: the same history, and an exact search finds that term first. */
async function expectNamesTheTerms(pairs: readonly (readonly [name: string, id: string])[]): Promise<void> {
  // One catalog for all the names: opening it per name cost most of the test's time.
  const catalog = await openCatalog({ root });
  try {
    await catalog.read(async (conn) => {
      for (const [name, id] of pairs) {
        const byName = withoutQuery(await termHistory(conn, name));
        expect({ name, ...byName }).toEqual({ name, ...withoutQuery(await termHistory(conn, id)) });
        const hits = await searchTerms(conn, { query: name, match: 'exact', limit: 10, offset: 0 });
        expect({ name, first: hits.items[0]?.ident }).toEqual({ name, first: id });
      }
    });
  } finally {
    await catalog.close();
  }
}

describe('a term by the numbered last segment of its IRI, with no OWL release in the catalog', () => {
  it('every EDAM topic of the OBO releases, by its OWL class IRI\'s last segment', async () => {
    const classes = new Set([...gunzipSync(readFileSync(path.join(EDAM_FIXTURES, 'EDAM_1.2.owl.gz'))).toString('utf8')
      .matchAll(/<owl:Class rdf:about="http:\/\/edamontology\.org\/([^"]+)"/g)].map((m) => m[1]!));
    const topics = stanzaIds(path.join(EDAM_FIXTURES, 'EDAM_1.2.obo')).filter((id) => id.startsWith('EDAM_topic:'));
    expect(topics.length).toBeGreaterThan(200);
    const pairs = topics.map((id) => [`topic_${id.slice('EDAM_topic:'.length)}`, id] as const);
    for (const [name] of pairs) expect({ name, inOwl: classes.has(name) }).toEqual({ name, inOwl: true });
    await expectNamesTheTerms(pairs);
    // A relation's bare name is still the relation, and a name no release has is none.
    expect(runOntocat(['terms', 'history', 'has_topic', '--json'], { root }).json<TermHistory>().idents).toEqual(['http://edamontology.org/has_topic']);
    const missing = runOntocat(['terms', 'history', 'topic_9999'], { root });
    expect({ code: missing.code, said: missing.stderr }).toMatchObject({ code: 1, said: expect.stringContaining("No indexed term is 'topic_9999'") });
  }, 180_000);

  it.skipIf(!hasEco)('a term of Debian\'s eco.obo by the end of its OBO PURL', async () => {
    const ids = stanzaIds(ECO).filter((id) => /^ECO:[0-9]+$/.test(id));
    expect(ids.length).toBeGreaterThan(100);
    await expectNamesTheTerms(ids.filter((_, i) => i % 10 === 0).map((id) => [id.replace(':', '_'), id] as const));
  }, 120_000);
});
