/**
 * Term search folds letter case as one function for the index and for what a curator
 * types (electron/catalog/term-text-fold.ts): Greek capital sigma at the end of a word
 * and Turkish dotted capital I, which JavaScript's toLowerCase and DuckDB's lower() fold
 * apart, and a final sigma typed in lower case. Migration 0030 brings text stored before
 * it to the same folding.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listValue } from '../../../electron/catalog/duckdb.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms, termSearchQuery } from '../../../electron/catalog/term-index-queries.js';
import { foldSql, foldSqlFor, foldTexts } from '../../../electron/catalog/term-text-fold.js';
import { ingestAndValidate } from '../../../electron/ingest/ingest-and-validate.js';
import type { TermMatch } from '../../../electron/shared/contract/terms.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const OBO = `format-version: 1.2
data-version: 2020-01-01
ontology: uni

[Term]
id: UNI:1
name: İZMİR

[Term]
id: UNI:2
name: ΦΥΣΙΚΟΣ ΚΑΝΟΝΑΣ

[Term]
id: UNI:3
name: φυσικός νόμος
`;

const temp = makeTempRoot('ontocat-term-search-folding');
let catalog: Catalog;

beforeAll(async () => {
  catalog = await openCatalog({ root: path.join(temp.root, 'root') });
  const dir = path.join(temp.root, 'src');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'uni.obo'), OBO);
  await ingestAndValidate(catalog, dir, { service: 'uni', version: '1' });
  // Its one version latest: a search of the latest release finds the same terms, its
  // labels folded as they are read (term-search-text.ts, latestLabelsSql).
  await catalog.write((tx) => tx.run("INSERT INTO latest_pointer SELECT service, version_id, now()::TIMESTAMP, 'test' FROM versions WHERE service = 'uni'"));
}, 120_000);
afterAll(async () => {
  await catalog?.close();
  temp.cleanup();
});

/**
 * The idents a search finds (the search, and its export query, must agree, and a search
 * of the latest release, the only one, too).
 */
async function found(query: string, match: TermMatch): Promise<string[]> {
  return catalog.read(async (conn) => {
    const result = await searchTerms(conn, { query, match });
    for (const latest_only of [false, true]) {
      const spec = await termSearchQuery(conn, { query, match, latest_only });
      const exported = await conn.all<{ ident: string }>(spec.sql, spec.params);
      expect(exported.map((row) => row.ident), `${match} ${query} ${latest_only}`).toEqual(result.items.map((hit) => hit.ident));
      if (latest_only) expect((await searchTerms(conn, { query, match, latest_only })).items.map((hit) => hit.ident)).toEqual(result.items.map((hit) => hit.ident));
    }
    return result.items.map((hit) => hit.ident);
  });
}

/** Every search a curator would try for the three labels, with the terms each must find. */
const cases: [string, TermMatch, string[]][] = [
  ['ΦΥΣΙΚΟΣ ΚΑΝΟΝΑΣ', 'exact', ['UNI:2']],
  ['φυσικος κανονας', 'exact', ['UNI:2']],
  ['φυσικοσ κανονασ', 'exact', ['UNI:2']],
  ['φυσικος', 'contains', ['UNI:2']],
  ['ΚΑΝΟΝΑΣ', 'contains', ['UNI:2']],
  ['ΦΥΣΙΚΌΣ', 'prefix', ['UNI:3']],
  ['φυσικόσ νόμοσ', 'exact', ['UNI:3']],
  ['İZMİR', 'exact', ['UNI:1']],
  ['İZMİR', 'contains', ['UNI:1']],
  ['izmir', 'exact', ['UNI:1']],
  ['İz', 'prefix', ['UNI:1']],
];

describe('term search case folding (Greek final sigma, Turkish dotted I)', () => {
  it('finds each label however its case is typed, in the search and its export', async () => {
    for (const [query, match, idents] of cases) expect({ query, match, found: await found(query, match) }).toEqual({ query, match, found: idents });
  });

  it('a hit found by its shown label says no other label matched', async () => {
    const result = await catalog.read((conn) => searchTerms(conn, { query: 'φυσικος', match: 'contains' }));
    expect(result.items.map((hit) => [hit.ident, hit.matched_on, hit.matched_label])).toEqual([['UNI:2', 'label', undefined]]);
  });

  it('matching a text lower-cased alone answers as folded in full, for a query without σ (foldSqlFor)', async () => {
    const texts = ['ΦΥΣΙΚΟΣ ΚΑΝΟΝΑΣ', 'φυσικός νόμος', 'ς', 'σ', 'Σς σ', 'ςσ', 'abc ς', 'İZMİR'];
    const queries = new Set<string>(['a', 'b', 'ab', 'x', 'φυσικοσ', 'φυσικοσ κ', 'νομοσ', 'κανονα']);
    for (const text of await catalog.read((conn) => foldTexts(conn, texts))) {
      for (let i = 0; i < text.length; i += 1) for (let j = i + 1; j <= text.length; j += 1) queries.add(text.slice(i, j));
    }
    const rows = await catalog.read((conn) => conn.all<{ q: string; text: string; full: boolean[]; lowered: boolean[] }>(
      `SELECT q, text,
              [${foldSql('text')} = q, starts_with(${foldSql('text')}, q), contains(${foldSql('text')}, q)] AS full,
              [lower(text) = q, starts_with(lower(text), q), contains(lower(text), q)] AS lowered
       FROM unnest($1::VARCHAR[]) AS a(q), unnest($2::VARCHAR[]) AS b(text)`,
      [listValue([...queries]), listValue(texts)],
    ));
    expect(rows.some((row) => row.full.some(Boolean))).toBe(true);
    for (const row of rows) {
      const expected = foldSqlFor('text', row.q) === foldSql('text') ? row.full : row.lowered;
      expect({ q: row.q, text: row.text, matches: expected }).toEqual({ q: row.q, text: row.text, matches: row.full });
    }
  });

  it('folds typed text exactly as the stored text is folded, for every code point', async () => {
    const texts: string[] = [];
    for (let cp = 1; cp <= 0x10ffff; cp += 1) if (cp < 0xd800 || cp > 0xdfff) texts.push(String.fromCodePoint(cp));
    for (let i = 0; i < texts.length; i += 50_000) {
      const part = texts.slice(i, i + 50_000);
      const [inSql, typed] = await catalog.read(async (conn) => [
        (await conn.one<{ folded: string[] }>(`SELECT list_transform($1::VARCHAR[], x -> ${foldSql('x')}) AS folded`, [listValue(part)]))!.folded,
        await foldTexts(conn, part),
      ] as const);
      expect(typed).toEqual(inSql);
    }
  });

  it('migration 0030 folds the text stored before it, so the same searches find it', async () => {
    // A read connection keeps a copy of the search text while the index only grows; these
    // rewrites are the migration's, run as it is, before any read of a fresh open.
    const reopened = async (rewrite: (tx: Parameters<Parameters<Catalog['write']>[0]>[0]) => Promise<void>): Promise<void> => {
      await catalog.write(rewrite);
      await catalog.close();
      catalog = await openCatalog({ root: path.join(temp.root, 'root') });
    };
    // The stored text as the index wrote it before 0030: lower() alone.
    await reopened(async (tx) => {
      await tx.run('UPDATE term_labels SET label_lc = lower(label)');
      await tx.run('UPDATE term_keys SET term_lc = lower(term), curie_lc = lower(curie)');
    });
    expect(await found('φυσικόσ νόμοσ', 'exact')).toEqual([]);
    const migration = readFileSync(path.join(projectRoot, 'migrations', '0030_term_search_folding.sql'), 'utf8');
    await reopened(async (tx) => {
      for (const statement of migration.replace(/^--.*$/gm, '').split(';').map((text) => text.trim()).filter(Boolean)) await tx.run(statement);
    });
    for (const [query, match, idents] of cases) expect({ query, match, found: await found(query, match) }).toEqual({ query, match, found: idents });
  });
});
