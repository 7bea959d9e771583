import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { listTermChanges, readTermDeltaRun, saveTermDelta } from '../../../electron/catalog/term-changes.js';
import { LIST_SEP } from '../../../electron/catalog/term-columns.js';
import { diffTerms } from '../../../electron/ingest/terms/diff-terms.js';
import type { TermSnapshot } from '../../../electron/ingest/terms/term-snapshot.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

interface Lists { definitions?: string[]; parents?: string[]; replaced_by?: string[] }
/** A snapshot as a parser worker posts it: each list one text, items joined by chr(31). */
const term = (id: string, labels: string[], deprecated = false, kind = 'class', more: Lists = {}): TermSnapshot => ({
  id, kind, labels: labels.join(LIST_SEP), definitions: (more.definitions ?? []).join(LIST_SEP), parents: (more.parents ?? []).join(LIST_SEP),
  deprecated, replaced_by: (more.replaced_by ?? []).join(LIST_SEP),
});

describe('term diff', () => {
  const before = [term('GO:1', ['cell']), term('GO:2', ['nucleus']), term('GO:3', ['old thing']), term('GO:4', ['kept'])];
  const after = [
    term('GO:1', ['cell']), term('GO:2', ['cell nucleus']), term('GO:4', ['kept'], true, 'class', { replaced_by: ['GO:9', 'GO:1'] }),
    term('GO:5', ['new thing'], false, 'property'),
  ];

  it('finds added, removed, relabelled and newly deprecated terms with their labels', () => {
    expect(diffTerms(before, after)).toEqual([
      { term: 'GO:5', term_kind: 'property', change: 'ADDED', old_label: null, new_label: 'new thing', before: null, after: null },
      { term: 'GO:3', term_kind: 'class', change: 'REMOVED', old_label: 'old thing', new_label: null, before: null, after: null },
      { term: 'GO:2', term_kind: 'class', change: 'RELABELLED', old_label: 'nucleus', new_label: 'cell nucleus', before: 'nucleus', after: 'cell nucleus' },
      { term: 'GO:4', term_kind: 'class', change: 'DEPRECATED', old_label: 'kept', new_label: 'kept', before: null, after: 'GO:1, GO:9' },
    ]);
  });

  it('names a term live again after a deprecation', () => {
    const changes = diffTerms([term('GO:7', ['seven'], true, 'class', { replaced_by: ['GO:8'] })], [term('GO:7', ['seven'])]);
    expect(changes.map(({ term: id, change, before: was, after: is }) => ({ id, change, was, is }))).toEqual([
      { id: 'GO:7', change: 'UNDEPRECATED', was: null, is: null },
    ]);
  });

  it('matches a term by its identity: an OBO id and its PURL are one term, on either side or both', () => {
    const purl = 'http://purl.obolibrary.org/obo/GO_0008150';
    expect(diffTerms([term('GO:0008150', ['biological_process'])], [term(purl, ['biological_process'])])).toEqual([]);
    // Both spellings in one file are merged, as the index merges them: one relabel, not a removal.
    const changes = diffTerms([term('GO:0008150', ['biological_process'])], [term(purl, ['biological_process']), term('GO:0008150', ['process'])]);
    expect(changes.map(({ term: id, change, before: was, after: is }) => ({ id, change, was, is }))).toEqual([
      { id: purl, change: 'RELABELLED', was: null, is: 'process' },
    ]);
  });

  it('names a redefinition, a new parent and a change of kind, each in its own row', () => {
    const old = term('P:1', ['part of'], false, 'object_property', { definitions: ['a part', 'ein Teil'], parents: ['P:0'] });
    const now = term('P:1', ['part of'], false, 'annotation_property', { definitions: ['ein Teil', 'a portion'], parents: ['P:0', 'P:00'] });
    expect(diffTerms([old], [now]).map(({ change, before: was, after: is }) => ({ change, was, is }))).toEqual([
      // Only the definitions one side has: the German one is in both.
      { change: 'REDEFINED', was: 'a part', is: 'a portion' },
      { change: 'REPARENTED', was: 'P:0', is: 'P:0, P:00' },
      { change: 'RETYPED', was: 'object_property', is: 'annotation_property' },
    ]);
  });

  it('identical term sets give no changes; the order of labels, definitions and parents does not matter', () => {
    const more = (definitions: string[], parents: string[]): Lists => ({ definitions, parents });
    expect(diffTerms([term('A', ['x', 'y'], false, 'class', more(['d', 'e'], ['B', 'C']))],
      [term('A', ['y', 'x'], false, 'class', more(['e', 'd'], ['C', 'B']))])).toEqual([]);
  });
});

describe('term delta cache', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let catalog: Catalog;
  const oldId = '00000000-0000-0000-0000-000000000001';
  const newId = '00000000-0000-0000-0000-000000000002';
  const readBy = { validator_version: 10, rules: 6 };
  beforeAll(async () => {
    temp = makeTempRoot('ontocat-terms');
    catalog = await openCatalog({ root: temp.root });
  });
  afterAll(async () => {
    await catalog.close();
    temp.cleanup();
  });

  it('distinguishes "never compared" from "compared, nothing changed", and pages the changes', async () => {
    expect(await catalog.read((conn) => readTermDeltaRun(conn, oldId, newId, readBy))).toBeNull();
    await catalog.write((tx) => saveTermDelta(tx, oldId, newId, { old_terms: 4, new_terms: 4 }, [], readBy));
    expect(await catalog.read((conn) => readTermDeltaRun(conn, oldId, newId, readBy))).toEqual({
      old_terms: 4, new_terms: 4, summary: { added: 0, removed: 0, relabelled: 0, redefined: 0, reparented: 0, retyped: 0, deprecated: 0, undeprecated: 0, replaced: 0 },
    });
    const changes = diffTerms([term('GO:1', ['a']), term('GO:2', ['b'])], [term('GO:2', ['c']), term('GO:3', ['d'])]);
    await catalog.write((tx) => saveTermDelta(tx, oldId, newId, { old_terms: 2, new_terms: 2 }, changes, readBy));
    const run = await catalog.read((conn) => readTermDeltaRun(conn, oldId, newId, readBy));
    expect(run?.summary).toEqual({ added: 1, removed: 1, relabelled: 1, redefined: 0, reparented: 0, retyped: 0, deprecated: 0, undeprecated: 0, replaced: 0 });
    const page = await catalog.read((conn) => listTermChanges(conn, oldId, newId, { limit: 2 }));
    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.change)).toEqual(['ADDED', 'REMOVED']);
    const search = await catalog.read((conn) => listTermChanges(conn, oldId, newId, { search: 'C' }));
    expect(search.items.map((c) => c.term)).toEqual(['GO:2']);
  });

  it('is no answer once the parsers or the term rules it was read with have changed', async () => {
    await catalog.write((tx) => saveTermDelta(tx, oldId, newId, { old_terms: 1, new_terms: 1 }, [], readBy));
    expect(await catalog.read((conn) => readTermDeltaRun(conn, oldId, newId, readBy))).not.toBeNull();
    expect(await catalog.read((conn) => readTermDeltaRun(conn, oldId, newId, { ...readBy, validator_version: readBy.validator_version + 1 }))).toBeNull();
    expect(await catalog.read((conn) => readTermDeltaRun(conn, oldId, newId, { ...readBy, rules: readBy.rules + 1 }))).toBeNull();
  });
});
