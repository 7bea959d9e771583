// A term whose kind changed between releases (rdf:Property to owl:ObjectProperty, an
// annotation property to a datatype property) is a change the whole-version delta and the
// term's history name, checked against a line scan of the releases of VoID and QUDT that
// @zazuko/rdf-vocabularies 2020 and 2021 ship (VoID's 14 properties, QUDT's 10).
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { termHistory, versionTermDelta } from '../../../electron/catalog/term-index-queries.js';
import { ingestAndValidate } from '../../../electron/ingest/ingest-and-validate.js';
import { curieOf } from '../../../electron/shared/curie.js';
import { scanKinds } from '../../helpers/nquads-scan.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-term-kinds');
const vocabularies = ['void', 'qudt'];
const file = (year: string, name: string): string => path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies', `${name}.nq`);
let catalog: Catalog;

beforeAll(async () => {
  catalog = await openCatalog({ root: path.join(temp.root, 'root') });
  for (const year of ['2020', '2021']) {
    const dir = path.join(temp.root, 'src', year);
    mkdirSync(dir, { recursive: true });
    for (const name of vocabularies) copyFileSync(file(year, name), path.join(dir, `${name}.nq`));
    await ingestAndValidate(catalog, dir, { service: 'zazuko', version: year });
  }
}, 120_000);
afterAll(async () => {
  await catalog?.close();
  temp.cleanup();
});

/** The terms of both releases whose kind differs, by the line scan: id (as the index names it), kind before, kind after. */
function scannedKindChanges(): { id: string; before: string; after: string }[] {
  const changes: { id: string; before: string; after: string }[] = [];
  for (const name of vocabularies) {
    const before = scanKinds(file('2020', name));
    for (const [iri, kind] of scanKinds(file('2021', name))) {
      const old = before.get(iri);
      if (old !== undefined && old !== kind) changes.push({ id: curieOf(iri) ?? iri, before: old, after: kind });
    }
  }
  return changes.sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('a change of kind between two releases (VoID and QUDT, 2020 → 2021)', () => {
  it('is a change of the whole-version delta, with the kinds before and after, as the line scan says', async () => {
    const expected = scannedKindChanges();
    expect(expected).toHaveLength(24);
    const delta = await catalog.read((conn) => versionTermDelta(conn, { service: 'zazuko', version: '2020' }, { service: 'zazuko', version: '2021' }, { change: 'RETYPED', limit: 1000 }));
    expect(delta.summary.retyped).toBe(expected.length);
    expect(delta.changes.items.map((c) => ({ id: c.ident, before: c.before, after: c.after })).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(expected);
    // Counted with the others: the whole delta's pages hold each of them once.
    const all = await catalog.read((conn) => versionTermDelta(conn, { service: 'zazuko', version: '2020' }, { service: 'zazuko', version: '2021' }, { limit: 1000 }));
    expect(all.changes.items.filter((c) => c.change === 'RETYPED')).toHaveLength(expected.length);
  });

  it("shows in the term's history, between the releases where it happened", async () => {
    const history = await catalog.read((conn) => termHistory(conn, 'http://rdfs.org/ns/void#dataDump', 'zazuko'));
    const timeline = history.timelines[0]!;
    expect(timeline.versions.map((v) => [v.version, v.kind])).toEqual([['2020', 'property'], ['2021', 'object_property']]);
    expect(timeline.events.filter((e) => e.kind === 'RETYPED').map((e) => [e.from_version, e.to_version, e.before, e.after]))
      .toEqual([['2020', '2021', 'property', 'object_property']]);
  });
});
