/**
 * The term index's columnar input (term-columns.ts): a parser worker posts a file's terms
 * as eleven columns of UTF-8 bytes and DuckDB splits them back into rows. What the index holds must
 * be what the terms say, value by value, whatever the text holds (the separators
 * themselves, empty labels, no definition, non-Latin text), and the same whether the
 * terms were read in this thread or posted by a validation worker.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import {
  definitionValues, identList, joined, labelValues, NULL_VALUE, ROW_SEP, termColumns, TERM_STAGE_COLUMNS,
} from '../../../electron/catalog/term-columns.js';
import { recordContentTerms, recordContentsTerms, type TermRecord } from '../../../electron/catalog/term-index.js';
import { curieOf, termIdent } from '../../../electron/shared/curie.js';
import { extractTerms } from '../../../electron/ingest/parsers/extract-terms.js';
import { validateInPool } from '../../../electron/ingest/validate/worker-pool.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-term-columns');
let catalog: Catalog;

const sha = (n: number): string => n.toString(16).padStart(64, '0');

/** One stored term as plain values, read back through the dictionaries. */
interface StoredTerm {
  term: string;
  curie: string | null;
  kind: string;
  label: string | null;
  labels: string[];
  synonyms: string[];
  definition: string | null;
  deprecated: boolean;
  replaced_by: string[];
  consider: string[];
  parents: string[];
}

async function stored(sha256: string): Promise<StoredTerm[]> {
  const rows = await catalog.read((conn) => conn.all<Record<string, unknown>>(
    `SELECT k.term, k.curie, t.kind, t.label, to_json(t.labels)::VARCHAR AS labels, to_json(t.synonyms)::VARCHAR AS synonyms,
            d.definition, t.deprecated, to_json(t.replaced_by)::VARCHAR AS replaced_by, to_json(t.consider)::VARCHAR AS consider,
            to_json(t.parents)::VARCHAR AS parents
     FROM term_index_contents c
     JOIN file_terms t ON t.content_id = c.content_id
     JOIN term_keys k ON k.term_key = t.term_key
     LEFT JOIN term_definitions d ON d.definition_md5 = t.definition_md5
     WHERE c.sha256 = $1
     ORDER BY k.term`,
    [sha256],
  ));
  const list = (value: unknown): string[] => JSON.parse(String(value)) as string[];
  return rows.map((row) => ({
    term: String(row.term), curie: row.curie === null ? null : String(row.curie), kind: String(row.kind),
    label: row.label === null ? null : String(row.label), labels: list(row.labels), synonyms: list(row.synonyms),
    definition: row.definition === null ? null : String(row.definition), deprecated: row.deprecated === true,
    replaced_by: list(row.replaced_by), consider: list(row.consider), parents: list(row.parents),
  }));
}

const base: TermRecord = {
  id: 'GO:0000001', kind: 'class', labels: [{ value: 'plain' }], synonyms: [], definitions: [{ value: 'A definition.' }],
  deprecated: false, replaced_by: [], consider: [], parents: [],
};

beforeAll(async () => {
  catalog = await openCatalog({ root: temp.root });
});

afterAll(async () => {
  await catalog.close();
  temp.cleanup();
});

describe('term columns', () => {
  it('records every field as the terms say, with separator characters in the text turned into spaces', async () => {
    const terms: TermRecord[] = [
      { ...base, id: 'GO:0000001', labels: [{ value: 'first' }, { value: 'second name' }], synonyms: ['syn one', 'syn two', 'syn three'] },
      // The three separators inside values: each stored as a space, the value kept whole.
      {
        ...base, id: 'GO:0000002', labels: [{ value: 'row\u001esep' }, { value: 'list\u001fsep' }], synonyms: ['null\u001d'],
        definitions: [{ value: 'def \u001e with \u001f all \u001d three' }],
      },
      // No label, no definition, no synonyms: empty lists and nulls, not one empty string.
      { ...base, id: 'GO:0000003', labels: [], definitions: [] },
      // An empty label is a label.
      { ...base, id: 'GO:0000004', labels: [{ value: '' }], definitions: [{ value: '' }] },
      // Deprecated, with a replacement and candidates spelled as OBO PURLs (stored as CURIEs).
      {
        ...base, id: 'GO:0000005', deprecated: true, replaced_by: ['http://purl.obolibrary.org/obo/GO_0000001'],
        consider: ['GO:0000002', 'http://purl.obolibrary.org/obo/GO_0000004'],
      },
      // One parent in two spellings, and another: two parents.
      { ...base, id: 'GO:0000006', parents: ['GO:0000001', 'http://purl.obolibrary.org/obo/GO_0000001', 'GO:0000002'] },
      // An IRI without a known prefix: no CURIE; non-Latin text in every text field.
      {
        ...base, id: 'https://example.org/onto#Ünïcode', kind: 'object_property', labels: [{ value: 'α-helix 🧬' }], synonyms: ['β-Faltblatt'],
        definitions: [{ value: '定义 with “quotes” and\nnew lines' }],
      },
      // A PURL id: its CURIE.
      { ...base, id: 'http://purl.obolibrary.org/obo/SO_0000704', labels: [{ value: 'gene' }] },
    ];
    expect(await catalog.write((tx) => recordContentTerms(tx, { sha256: sha(1), format: 'obo', terms }))).toBe(true);
    const rows = await stored(sha(1));
    const byTerm = new Map(rows.map((row) => [row.term, row]));
    expect(rows).toHaveLength(terms.length);
    expect(byTerm.get('GO:0000001')).toEqual({
      term: 'GO:0000001', curie: 'GO:0000001', kind: 'class', label: 'first', labels: ['first', 'second name'],
      synonyms: ['syn one', 'syn two', 'syn three'], definition: 'A definition.', deprecated: false, replaced_by: [], consider: [], parents: [],
    });
    expect(byTerm.get('GO:0000002')).toMatchObject({
      label: 'row sep', labels: ['row sep', 'list sep'], synonyms: ['null '], definition: 'def   with   all   three',
    });
    expect(byTerm.get('GO:0000003')).toMatchObject({ label: null, labels: [], synonyms: [], definition: null });
    expect(byTerm.get('GO:0000004')).toMatchObject({ label: '', labels: [''], definition: '' });
    expect(byTerm.get('GO:0000005')).toMatchObject({ deprecated: true, replaced_by: ['GO:0000001'], consider: ['GO:0000002', 'GO:0000004'] });
    expect(byTerm.get('GO:0000006')!.parents).toEqual(['GO:0000001', 'GO:0000002']);
    expect(byTerm.get('https://example.org/onto#Ünïcode')).toEqual({
      term: 'https://example.org/onto#Ünïcode', curie: null, kind: 'object_property', label: 'α-helix 🧬', labels: ['α-helix 🧬'],
      synonyms: ['β-Faltblatt'], definition: '定义 with “quotes” and\nnew lines', deprecated: false, replaced_by: [], consider: [], parents: [],
    });
    expect(byTerm.get('http://purl.obolibrary.org/obo/SO_0000704')).toMatchObject({ curie: 'SO:0000704', label: 'gene' });
    const counted = await catalog.read((conn) => conn.scalar<number>('SELECT terms FROM term_index_contents WHERE sha256 = $1', [sha(1)]));
    expect(Number(counted)).toBe(terms.length);
  });

  it('keeps a NUL and text beyond the BMP, writes a lone surrogate as U+FFFD, and keeps the contents of one batch apart', async () => {
    const first: TermRecord[] = [
      { ...base, id: 'GO:0000101', labels: [{ value: 'nul \u0000 inside' }], synonyms: ['𝔊𝔒 𓀀'] },
      // A string JavaScript can hold and UTF-8 cannot: one half of a surrogate pair.
      { ...base, id: 'GO:0000102', labels: [{ value: 'half \ud83e pair' }], definitions: [{ value: 'trailing \udc00' }] },
    ];
    const second: TermRecord[] = [{ ...base, id: 'GO:0000101', labels: [{ value: 'the second content' }], parents: ['GO:0000102'] }];
    const added = await catalog.write((tx) => recordContentsTerms(tx, [
      { sha256: sha(11), format: 'obo', terms: first }, { sha256: sha(12), format: 'obo', terms: [] }, { sha256: sha(13), format: 'obo', terms: second },
    ]));
    expect(added).toEqual([sha(11), sha(12), sha(13)]);
    const rows = await stored(sha(11));
    expect(rows.map((row) => [row.term, row.labels, row.synonyms, row.definition])).toEqual([
      ['GO:0000101', ['nul \u0000 inside'], ['𝔊𝔒 𓀀'], 'A definition.'],
      ['GO:0000102', ['half \ufffd pair'], [], 'trailing \ufffd'],
    ]);
    expect(await stored(sha(12))).toEqual([]);
    expect((await stored(sha(13))).map((row) => [row.term, row.label, row.parents])).toEqual([['GO:0000101', 'the second content', ['GO:0000102']]]);
  });

  it('records a content without terms as indexed, with none', async () => {
    expect(await catalog.write((tx) => recordContentTerms(tx, { sha256: sha(2), format: 'turtle', terms: [] }))).toBe(true);
    expect(await stored(sha(2))).toEqual([]);
    const counted = await catalog.read((conn) => conn.scalar<number>('SELECT terms FROM term_index_contents WHERE sha256 = $1', [sha(2)]));
    expect(Number(counted)).toBe(0);
  });

  /**
   * The columns as the index's rules spell them, the plain way: each value joined as a
   * string (joined, labelValues, identList …), the rows joined, then encoded. The builder
   * writes bytes without those strings; it must write these bytes.
   */
  function joinedColumns(terms: readonly TermRecord[]): Buffer[] {
    const rows = terms.map((term) => {
      const curie = curieOf(term.id);
      return [
        joined([term.id]), curie === null ? null : joined([curie]), joined([term.kind]),
        joined(labelValues(term.labels)), joined(term.synonyms), joined(definitionValues(term.definitions)),
        term.deprecated ? 't' : 'f',
        joined(term.replaced_by.map(termIdent)), joined(term.consider.map(termIdent)), joined(identList(term.parents)),
        joined(term.aliases ?? []),
      ];
    });
    return TERM_STAGE_COLUMNS.map((_, i) => Buffer.from(rows.map((row) => row[i] ?? NULL_VALUE).join(ROW_SEP), 'utf8'));
  }

  it('writes the bytes the joined values make, for real files and for text the fast path must leave to the encoder', async () => {
    const long = 'x'.repeat(127);
    const tricky: TermRecord[] = [
      // Separators in short ASCII, in ASCII past the copied length, and in non-ASCII text.
      { ...base, id: 'GO:0000010', labels: [{ value: 'a\u001eb' }], synonyms: [`${long}\u001f${long}`, 'é\u001dè', 'n\u001dm'], definitions: [{ value: `${long}\u001e` }] },
      // 128 and 129 units of ASCII, text beyond the BMP, a lone surrogate, a NUL, an empty label.
      { ...base, id: 'GO:0000011', labels: [{ value: 'y'.repeat(128) }, { value: '' }], synonyms: ['z'.repeat(129), 'GO \u{1F600}', 'lone \ud800', 'nul \u0000'] },
      // Several parents (one twice, by CURIE and by PURL), replacements, aliases, no label, no definition.
      {
        ...base, id: 'http://purl.obolibrary.org/obo/GO_0000012', labels: [], definitions: [], deprecated: true,
        parents: ['GO:0000001', 'http://purl.obolibrary.org/obo/GO_0000001', 'GO:0000002'], replaced_by: ['http://purl.obolibrary.org/obo/GO_0000003'],
        consider: ['GO:0000004', 'GO:0000005'], aliases: ['part_of', 'bfo 50'],
      },
      // Labels and definitions in several languages: the shown one first, each definition once.
      { ...base, id: 'GO:0000013', labels: [{ value: 'Oseba', lang: 'sl' }, { value: 'Person', lang: 'en' }], definitions: [{ value: 'd', lang: 'da' }, { value: 'e', lang: 'en' }, { value: 'd', lang: 'fr' }] },
    ];
    const sets: TermRecord[][] = [tricky];
    for (const file of ['go.obo', 'chebi.obo', 'so.obo', 'eco.obo', 'ro.obo']) {
      const path = `/usr/share/EMBOSS/data/OBO/${file}`;
      if (existsSync(path)) sets.push(await extractTerms(path, 'obo'));
    }
    expect(sets.length).toBeGreaterThan(1);
    for (const terms of sets) {
      const built = termColumns(terms);
      expect(built.count).toBe(terms.length);
      const expected = joinedColumns(terms);
      built.columns.forEach((column, i) => expect(Buffer.from(column).equals(expected[i]!), `${TERM_STAGE_COLUMNS[i]} of ${terms[0]?.id}`).toBe(true));
    }
  }, 120_000);

  const soObo = '/usr/share/EMBOSS/data/OBO/so.obo';
  it.skipIf(!existsSync(soObo))('records what a validation worker posts as this thread would from the same file (Debian so.obo)', async () => {
    const [result] = await validateInPool([{ absPath: soObo, relpath: 'so.obo', format: 'obo', size_bytes: 0, index_terms: true }], { workers: 1 });
    const columns = result!.index_terms!;
    const terms = await extractTerms(soObo, 'obo');
    expect(columns.count).toBe(terms.length);
    await catalog.write((tx) => recordContentTerms(tx, { sha256: sha(3), format: 'obo', columns }));
    await catalog.write((tx) => recordContentTerms(tx, { sha256: sha(4), format: 'obo', terms }));
    const fromWorker = await stored(sha(3));
    expect(fromWorker.length).toBeGreaterThan(2000);
    expect(fromWorker).toEqual(await stored(sha(4)));
    // And each row says what the parsed term says.
    const byId = new Map(terms.map((term) => [term.id, term]));
    for (const row of fromWorker) {
      const term = byId.get(row.term)!;
      expect(row.labels).toEqual(term.labels.map((label) => label.value));
      expect(row.definition).toBe(term.definitions[0]?.value ?? null);
      expect(row.deprecated).toBe(term.deprecated);
    }
  }, 120_000);
});
