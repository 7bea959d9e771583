/**
 * A term written as a relative IRI gets one identity however its content was indexed: a
 * backfill resolved relative IRIs against the root-relative path it keys its work by
 * (`file:///S/V/data/onto/relative.ttl#Thing`), where validation resolves them against the
 * file's path in its version (`file:///onto/relative.ttl#Thing`), so a search found the
 * term under another IRI after a backfill than after validating the same version.
 * Outside truth: RFC 3986 §5.2 resolution of each reference against the file's base.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms } from '../../../electron/catalog/term-index-queries.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { backfillTermIndex } from '../../../electron/ingest/terms/term-backfill.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-backfill-relative-iri');
const source = path.join(temp.root, 'src');
const ref = { service: 'rel', version: '1' };
let backfilled: Catalog;
let validated: Catalog;

beforeAll(async () => {
  mkdirSync(path.join(source, 'onto'), { recursive: true });
  writeFileSync(path.join(source, 'onto', 'relative.ttl'), [
    '@prefix owl: <http://www.w3.org/2002/07/owl#> .',
    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    '<#Thing> a owl:Class ; rdfs:label "Thing" .',
    '<other.ttl#Elsewhere> a owl:Class ; rdfs:label "Elsewhere" ; rdfs:subClassOf <#Thing> .',
    '',
  ].join('\n'));
  // Validated before the index existed, then indexed by a backfill.
  backfilled = await openCatalog({ root: path.join(temp.root, 'backfilled') });
  await ingest(backfilled, source, ref);
  await validateVersion(backfilled, ref, { indexTerms: false });
  const backfill = await backfillTermIndex(backfilled, {});
  expect(backfill.indexed).toBe(1);
  // The same version indexed as it is validated.
  validated = await openCatalog({ root: path.join(temp.root, 'validated') });
  await ingest(validated, source, ref);
  await validateVersion(validated, ref);
}, 120_000);
afterAll(async () => {
  await backfilled?.close();
  await validated?.close();
  temp.cleanup();
});

describe('terms written as relative IRIs', () => {
  // RFC 3986 §5.2 against the base file:///onto/relative.ttl.
  const expected = { Thing: 'file:///onto/relative.ttl#Thing', Elsewhere: 'file:///onto/other.ttl#Elsewhere' };

  it.each(Object.entries(expected))('have one identity whether a backfill or validation indexed them: %s', async (label, iri) => {
    for (const catalog of [validated, backfilled]) {
      const found = await catalog.read((conn) => searchTerms(conn, { query: label, match: 'exact' }));
      expect(found.items.map((hit) => hit.ident)).toEqual([iri]);
    }
  });
});
