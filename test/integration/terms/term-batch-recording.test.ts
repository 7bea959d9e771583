/**
 * A validation run records the terms of the contents it parsed in batches (all contents
 * that came back while the previous batch was written). A batch must leave the index
 * exactly as recording its contents one at a time does: the same keys, labels,
 * definitions and term rows, and each key's set of contents equal to the contents whose
 * rows hold it (file_terms, the source of truth).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { recordContentsTerms, recordContentTerms, type ContentTerms, type TermRecord } from '../../../electron/catalog/term-index.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-term-batch');
afterAll(() => temp.cleanup());

const term = (n: number, label: string, more: Partial<TermRecord> = {}): TermRecord => ({
  id: `GX:${String(n).padStart(5, '0')}`, kind: 'class', labels: [{ value: label }], synonyms: [`syn ${n}`], definitions: [{ value: `Definition of ${label}.` }],
  deprecated: false, replaced_by: [], consider: [], parents: n > 1 ? [`GX:${String(Math.floor(n / 2)).padStart(5, '0')}`] : [], ...more,
});
const range = (from: number, to: number, make: (n: number) => TermRecord): TermRecord[] => Array.from({ length: to - from + 1 }, (_, i) => make(from + i));
const sha = (name: string): string => name.repeat(64).slice(0, 64).toLowerCase().replace(/[^0-9a-f]/g, 'e');
const content = (name: string, terms: TermRecord[]): ContentTerms => ({ sha256: sha(name), format: 'obo', terms });

/** Contents that share keys in every combination, relabel, deprecate, and one with no terms. */
const A = content('a', range(1, 120, (n) => term(n, `gene ${n}`)));
const B = content('b', range(60, 180, (n) => term(n, n % 9 === 0 ? `gene ${n} renamed` : `gene ${n}`)));
const C = content('c', range(100, 200, (n) => term(n, `gene ${n}`, { deprecated: n % 4 === 0, replaced_by: n % 4 === 0 ? ['GX:00002'] : [] })));
const D = content('d', []);
const E = content('e', [...range(1, 30, (n) => term(n, `gene ${n}`)), ...range(150, 160, (n) => term(n, `gene ${n}`, { labels: [] }))]);
const F = content('f', range(190, 260, (n) => ({ ...term(n, `gene ${n}`), id: `http://purl.obolibrary.org/obo/GX_${String(n).padStart(5, '0')}` })));

/** The index's tables, with content ids and term keys replaced by what they stand for. */
async function indexState(catalog: Catalog): Promise<Record<string, unknown[]>> {
  return catalog.read(async (conn) => ({
    contents: await conn.all('SELECT sha256, format, terms FROM term_index_contents ORDER BY sha256'),
    keys: await conn.all('SELECT term, curie, ident, term_lc, curie_lc FROM term_keys ORDER BY term'),
    labels: await conn.all('SELECT k.term, l.label, l.label_lc FROM term_labels l JOIN term_keys k USING (term_key) ORDER BY ALL'),
    definitions: await conn.all('SELECT definition_md5::VARCHAR AS md5, definition FROM term_definitions ORDER BY ALL'),
    rows: await conn.all(
      `SELECT c.sha256, k.term, ft.* EXCLUDE (content_id, term_key, definition_md5, state_hash, history_hash),
              ft.definition_md5::VARCHAR AS md5, ft.state_hash::VARCHAR AS state_hash, ft.history_hash::VARCHAR AS history_hash
       FROM file_terms ft JOIN term_index_contents c USING (content_id) JOIN term_keys k USING (term_key) ORDER BY ALL`),
    presence: await conn.all(
      `SELECT k.term, list_sort(list(c.sha256)) AS shas
       FROM term_key_presence kp JOIN term_keys k USING (term_key)
       JOIN (SELECT presence_id, unnest(content_ids) AS content_id FROM term_presence_sets) p USING (presence_id)
       JOIN term_index_contents c USING (content_id)
       GROUP BY k.term ORDER BY k.term`),
  }));
}

/** Each key's contents as file_terms says, and whether keys with the same contents share one set. */
async function presenceTruth(catalog: Catalog): Promise<{ truth: unknown[]; sets: number; distinct: number; keysWithout: number }> {
  return catalog.read(async (conn) => ({
    truth: await conn.all(
      `SELECT k.term, list_sort(list(DISTINCT c.sha256)) AS shas
       FROM file_terms ft JOIN term_keys k USING (term_key) JOIN term_index_contents c USING (content_id)
       GROUP BY k.term ORDER BY k.term`),
    sets: Number(await conn.scalar('SELECT count(DISTINCT presence_id) FROM term_key_presence')),
    distinct: Number(await conn.scalar(
      `SELECT count(DISTINCT shas) FROM (SELECT list_sort(list(DISTINCT content_id)) AS shas FROM file_terms GROUP BY term_key)`)),
    keysWithout: Number(await conn.scalar('SELECT count(*) FROM term_keys k WHERE NOT EXISTS (SELECT 1 FROM term_key_presence kp WHERE kp.term_key = k.term_key)')),
  }));
}

async function recorded(name: string, record: (catalog: Catalog) => Promise<void>): Promise<Record<string, unknown[]>> {
  const catalog = await openCatalog({ root: `${temp.root}/${name}` });
  try {
    await record(catalog);
    const state = await indexState(catalog);
    const { truth, sets, distinct, keysWithout } = await presenceTruth(catalog);
    expect(state.presence, `${name}: each key's contents are the contents whose rows hold it`).toEqual(truth);
    expect(sets, `${name}: keys with the same contents share one set`).toBe(distinct);
    expect(keysWithout, `${name}: every key has a set`).toBe(0);
    return state;
  } finally {
    await catalog.close();
  }
}

describe('recording term contents in batches', () => {
  it('leaves the index as recording one content at a time does, whatever the batches', async () => {
    const all = [A, B, C, D, E, F];
    const oneByOne = await recorded('one-by-one', async (catalog) => {
      for (const next of all) await catalog.write((tx) => recordContentTerms(tx, next));
    });
    expect(oneByOne.contents).toHaveLength(6);
    expect(oneByOne.keys).toHaveLength(200 + 71);

    let added: string[][] = [];
    const batches = await recorded('batches', async (catalog) => {
      // A first, then a batch that names A again (already indexed) and D twice, then the rest.
      added = [
        await catalog.write((tx) => recordContentsTerms(tx, [A])),
        await catalog.write((tx) => recordContentsTerms(tx, [B, A, D, C, D])),
        await catalog.write((tx) => recordContentsTerms(tx, [E, F])),
      ];
    });
    expect(added).toEqual([[A.sha256], [B.sha256, D.sha256, C.sha256], [E.sha256, F.sha256]]);
    expect(batches).toEqual(oneByOne);

    const oneBatch = await recorded('one-batch', async (catalog) => {
      await catalog.write((tx) => recordContentsTerms(tx, all));
    });
    expect(oneBatch).toEqual(oneByOne);
  }, 120_000);
});
