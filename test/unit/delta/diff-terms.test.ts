import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { listTermChanges, readTermDeltaRun, saveTermDelta } from '../../../electron/catalog/term-changes.js';
import { diffTerms, type TermSnapshot } from '../../../electron/ingest/terms/diff-terms.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const term = (id: string, labels: string[], deprecated = false, kind = 'class'): TermSnapshot => ({ id, kind, labels, deprecated });

describe('term diff', () => {
  const before = [term('GO:1', ['cell']), term('GO:2', ['nucleus']), term('GO:3', ['old thing']), term('GO:4', ['kept'])];
  const after = [term('GO:1', ['cell']), term('GO:2', ['cell nucleus']), term('GO:4', ['kept'], true), term('GO:5', ['new thing'], false, 'property')];

  it('finds added, removed, relabelled and newly deprecated terms with their labels', () => {
    expect(diffTerms(before, after)).toEqual([
      { term: 'GO:5', term_kind: 'property', change: 'ADDED', old_label: null, new_label: 'new thing' },
      { term: 'GO:3', term_kind: 'class', change: 'REMOVED', old_label: 'old thing', new_label: null },
      { term: 'GO:2', term_kind: 'class', change: 'RELABELLED', old_label: 'nucleus', new_label: 'cell nucleus' },
      { term: 'GO:4', term_kind: 'class', change: 'DEPRECATED', old_label: 'kept', new_label: 'kept' },
    ]);
  });

  it('identical term sets give no changes; label order does not matter', () => {
    expect(diffTerms([term('A', ['x', 'y'])], [term('A', ['y', 'x'])])).toEqual([]);
  });
});

describe('term delta cache', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let catalog: Catalog;
  const oldId = '00000000-0000-0000-0000-000000000001';
  const newId = '00000000-0000-0000-0000-000000000002';
  beforeAll(async () => {
    temp = makeTempRoot('ontocat-terms');
    catalog = await openCatalog({ root: temp.root });
  });
  afterAll(async () => {
    await catalog.close();
    temp.cleanup();
  });

  it('distinguishes "never compared" from "compared, nothing changed", and pages the changes', async () => {
    expect(await catalog.read((conn) => readTermDeltaRun(conn, oldId, newId))).toBeNull();
    await catalog.write((tx) => saveTermDelta(tx, oldId, newId, { old_terms: 4, new_terms: 4 }, []));
    expect(await catalog.read((conn) => readTermDeltaRun(conn, oldId, newId))).toEqual({
      old_terms: 4, new_terms: 4, summary: { added: 0, removed: 0, relabelled: 0, deprecated: 0 },
    });
    const changes = diffTerms([term('GO:1', ['a']), term('GO:2', ['b'])], [term('GO:2', ['c']), term('GO:3', ['d'])]);
    await catalog.write((tx) => saveTermDelta(tx, oldId, newId, { old_terms: 2, new_terms: 2 }, changes));
    const run = await catalog.read((conn) => readTermDeltaRun(conn, oldId, newId));
    expect(run?.summary).toEqual({ added: 1, removed: 1, relabelled: 1, deprecated: 0 });
    const page = await catalog.read((conn) => listTermChanges(conn, oldId, newId, { limit: 2 }));
    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.change)).toEqual(['ADDED', 'REMOVED']);
    const search = await catalog.read((conn) => listTermChanges(conn, oldId, newId, { search: 'C' }));
    expect(search.items.map((c) => c.term)).toEqual(['GO:2']);
  });
});
