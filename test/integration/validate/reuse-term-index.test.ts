/**
 * Validation reuse and the term index, on the W3C RDF 1.1 Turtle suite: a version whose
 * files are reused from a version validated before the index existed must leave the index
 * as a fresh validation of that version would. Reuse skipped the parse of contents with
 * no terms and of contents that do not parse, so the index never heard of them: the
 * version stayed "pending" (720 contents of this suite and EDAM), as if never indexed.
 * Outside truth: the suite's manifest says which files must not parse; an independent
 * hash walk counts their distinct contents.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { termIndexStatus } from '../../../electron/catalog/term-index-queries.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import type { TermIndexStatus } from '../../../electron/shared/contract/terms.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { manifestEntries } from '../../helpers/w3c-manifest.js';

const suite = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11', 'rdf-turtle');
const temp = makeTempRoot('ontocat-reuse-term-index');
const source = path.join(temp.root, 'src');
const entries = manifestEntries(suite, 'https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/');
let reusing: Catalog;
let alone: Catalog;

/** The index's coverage as plain numbers. */
async function status(catalog: Catalog): Promise<Record<string, number>> {
  const row: TermIndexStatus = await catalog.read((conn) => termIndexStatus(conn, VALIDATOR_VERSION));
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

beforeAll(async () => {
  // The files the manifest names (the folder also holds test-38, which no entry names).
  mkdirSync(source, { recursive: true });
  for (const name of new Set(['manifest.ttl', ...entries.flatMap((entry) => [entry.action, entry.result ?? []].flat())])) {
    copyFileSync(path.join(suite, name), path.join(source, name));
  }
  // A catalog whose first version was validated before the term index existed, then a
  // second version holding the same files, validated (reusing the first's results).
  reusing = await openCatalog({ root: path.join(temp.root, 'reusing') });
  await ingest(reusing, source, { service: 'suite', version: '1' });
  await validateVersion(reusing, { service: 'suite', version: '1' }, { indexTerms: false });
  await ingest(reusing, source, { service: 'suite', version: '2' });
  const second = await validateVersion(reusing, { service: 'suite', version: '2' });
  expect(second.reused).toBeGreaterThan(0);
  // The same second version alone in a catalog of its own.
  alone = await openCatalog({ root: path.join(temp.root, 'alone') });
  await ingest(alone, source, { service: 'suite', version: '2' });
  await validateVersion(alone, { service: 'suite', version: '2' });
}, 300_000);
afterAll(async () => {
  await reusing?.close();
  await alone?.close();
  temp.cleanup();
});

describe('validation reuse and the term index', () => {
  it('indexes every content a reused file holds, or knows it does not parse, as a fresh validation does', async () => {
    const negative = entries.filter((entry) => !entry.mustParse);
    const brokenContents = new Set(negative.map((entry) => createHash('sha256').update(readFileSync(path.join(suite, entry.action))).digest('hex')));
    const fresh = await status(alone);
    expect(fresh).toMatchObject({ versions_pending: 0, contents_pending: 0, contents_unparsable: brokenContents.size });
    const reused = await status(reusing);
    expect(reused).toMatchObject({ versions_indexed: 2, versions_pending: 0, contents_pending: 0, contents_unparsable: brokenContents.size });
    expect(reused.contents).toBe(fresh.contents);
    expect(reused.term_rows).toBe(fresh.term_rows);
  });
});
