/**
 * An RDF/XML file in ISO-8859-1 (re-encoded by iconv, declared in its XML declaration)
 * is indexed with its accents; a catalog that indexed it as UTF-8 (U+FFFD for every
 * accented letter) has just that content re-read after migration 0032, by one backfill.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms, termIndexStatus } from '../../../electron/catalog/term-index-queries.js';
import { extractTerms } from '../../../electron/ingest/parsers/extract-terms.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import type { TermBackfillResult } from '../../../electron/shared/contract/terms.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { recordUnderOlderRules } from '../../helpers/older-term-index.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-xml-encoding-terms');
const root = path.join(temp.root, 'root');
const src = path.join(temp.root, 'src');
const owl = (encoding: string, label: string, definition: string): string => `<?xml version="1.0" encoding="${encoding}"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
         xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:obo="http://purl.obolibrary.org/obo/">
  <owl:Ontology rdf:about="http://example.org/food"/>
  <owl:Class rdf:about="http://example.org/food#A1">
    <rdfs:label>${label}</rdfs:label>
    <obo:IAO_0000115>${definition}</obo:IAO_0000115>
  </owl:Class>
</rdf:RDF>
`;

beforeAll(() => {
  mkdirSync(src, { recursive: true });
  // iconv writes the ISO-8859-1 bytes: é is one byte 0xE9, not UTF-8's two.
  writeFileSync(path.join(src, 'latin.owl'), execFileSync('iconv', ['-f', 'UTF-8', '-t', 'ISO-8859-1'], { input: owl('ISO-8859-1', 'Café crème', 'Crème brûlée, à la française.') }));
  writeFileSync(path.join(src, 'plain.owl'), owl('UTF-8', 'Plain tea', 'Tea without milk.').replace('A1', 'B1'));
  const run = runOntocat(['ingest', src, '--service', 'food', '--version', '1', '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
}, 120_000);
afterAll(() => temp.cleanup());

async function withCatalog<T>(work: (conn: Parameters<Parameters<Awaited<ReturnType<typeof openCatalog>>['read']>[0]>[0]) => Promise<T>): Promise<T> {
  const catalog = await openCatalog({ root });
  try {
    return await catalog.read(work);
  } finally {
    await catalog.close();
  }
}

describe('XML in a declared encoding, in the term index', () => {
  it('finds the term by its accented label, with its definition whole, and no UTF-8 warning', async () => {
    const hits = await withCatalog((conn) => searchTerms(conn, { query: 'café crème', match: 'exact', limit: 10, offset: 0 }));
    expect(hits.items.map((hit) => hit.label)).toEqual(['Café crème']);
    const findings = runOntocat(['findings', 'food/1', '--all', '--json'], { root }).json<{ rule: string; relpath: string; passed: boolean }[]>();
    expect(findings.filter((row) => row.rule === 'invalid-utf8')).toEqual([]);
    expect(findings.filter((row) => row.rule === 'syntax').every((row) => row.passed)).toBe(true);
  });

  it('after migration 0032, a content indexed with U+FFFD is re-read by one backfill, and only that one', async () => {
    const latin = path.join(src, 'latin.owl');
    const plain = path.join(src, 'plain.owl');
    // As the reader before VALIDATOR_VERSION 11 recorded it: read as UTF-8.
    const asUtf8 = (text: string): string => text.replace(/[^ -~\n\t]/g, '\ufffd');
    const mangled = (await extractTerms(latin, 'rdfxml')).map((term) => ({
      ...term,
      labels: term.labels.map((label) => ({ ...label, value: asUtf8(label.value) })),
      definitions: term.definitions.map((definition) => ({ ...definition, value: asUtf8(definition.value) })),
    }));
    await recordUnderOlderRules(root, [{ file: latin, format: 'rdfxml', terms: mangled }, { file: plain, format: 'rdfxml', terms: await extractTerms(plain, 'rdfxml') }], 6, '0032_term_xml_declared_encoding.sql');
    expect(await withCatalog((conn) => termIndexStatus(conn, VALIDATOR_VERSION))).toMatchObject({ contents: 2, contents_outdated: 1 });
    expect((await withCatalog((conn) => searchTerms(conn, { query: 'café crème', match: 'exact', limit: 10, offset: 0 }))).items).toEqual([]);

    const run = runOntocat(['terms', 'backfill', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json<TermBackfillResult>()).toMatchObject({ contents: 1, indexed: 1, failed: [] });
    const hits = await withCatalog((conn) => searchTerms(conn, { query: 'café crème', match: 'exact', limit: 10, offset: 0 }));
    expect(hits.items.map((hit) => hit.label)).toEqual(['Café crème']);
  }, 120_000);
});
