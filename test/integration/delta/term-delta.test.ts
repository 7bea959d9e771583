import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { recordVersion } from '../../helpers/catalog-fixtures.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const ttlV1 = `@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/zoo#> .
ex:Animal a owl:Class ; rdfs:label "animal"@en .
ex:Dog a owl:Class ; rdfs:label "dog"@en ; rdfs:subClassOf ex:Animal .
ex:Cat a owl:Class ; rdfs:label "cat"@en .
ex:Unicorn a owl:Class ; rdfs:label "unicorn"@en .
ex:eats a owl:ObjectProperty ; rdfs:label "eats"@en .
[] a owl:Restriction ; owl:onProperty ex:eats .
`;
const ttlV2 = `@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/zoo#> .
ex:Animal a owl:Class ; rdfs:label "animal"@en .
ex:Dog a owl:Class ; rdfs:label "domestic dog"@en ; rdfs:subClassOf ex:Animal .
ex:Cat a owl:Class ; rdfs:label "cat"@en ; owl:deprecated true .
ex:Horse a owl:Class ; rdfs:label "horse"@en .
ex:eats a owl:ObjectProperty ; rdfs:label "eats"@en .
[] a owl:Restriction ; owl:onProperty ex:eats .
[] a owl:Class .
`;
const oboV1 = `format-version: 1.2
ontology: zoo

[Term]
id: ZOO:0001
name: animal

[Term]
id: ZOO:0002
name: dog

[Term]
id: ZOO:0003
name: dragon
`;
const oboV2 = `format-version: 1.2
ontology: zoo

[Term]
id: ZOO:0001
name: animal

[Term]
id: ZOO:0002
name: canine

[Term]
id: ZOO:0003
name: dragon
is_obsolete: true

[Term]
id: ZOO:0004
name: horse
`;

function writeVersion(root: string, service: string, version: string, files: Record<string, string>) {
  return Object.entries(files).map(([relpath, content]) => {
    const target = path.join(root, service, version, 'data', relpath);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    return {
      relpath, format: relpath.endsWith('.obo') ? 'obo' : 'turtle', size_bytes: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
    };
  });
}

describe('term-level delta', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  beforeAll(async () => {
    temp = makeTempRoot('ontocat-term-delta');
    session = await openSession({ root: temp.root, actor: 'test' });
    await recordVersion(session.catalog, 'zoo', 'v1', writeVersion(temp.root, 'zoo', 'v1', { 'zoo.ttl': ttlV1, 'obo/zoo.obo': oboV1, 'old name.ttl': ttlV1 }));
    await recordVersion(session.catalog, 'zoo', 'v2', writeVersion(temp.root, 'zoo', 'v2', { 'zoo.ttl': ttlV2, 'obo/zoo.obo': oboV2, 'new name.ttl': ttlV1 }));
  });
  afterAll(async () => {
    await session.close();
    temp.cleanup();
  });

  it('lists terms added, removed, relabelled and deprecated in Turtle, with labels; blank nodes are not terms', async () => {
    const delta = await session.call('delta:terms', { from: 'zoo/v1', to: 'zoo/v2', relpath: 'zoo.ttl' });
    expect(delta.summary).toEqual({ added: 1, removed: 1, relabelled: 1, redefined: 0, reparented: 0, retyped: 0, deprecated: 1, undeprecated: 0, replaced: 0 });
    expect(delta.old_terms).toBe(5);
    expect(delta.new_terms).toBe(5);
    expect(delta.cached).toBe(false);
    expect(delta.changes.items.map((c) => [c.change, c.term.replace('http://example.org/zoo#', 'ex:'), c.old_label, c.new_label])).toEqual([
      ['ADDED', 'ex:Horse', null, 'horse'],
      ['REMOVED', 'ex:Unicorn', 'unicorn', null],
      ['RELABELLED', 'ex:Dog', 'dog', 'domestic dog'],
      ['DEPRECATED', 'ex:Cat', 'cat', 'cat'],
    ]);
    const again = await session.call('delta:terms', { from: 'zoo/v1', to: 'zoo/v2', relpath: 'zoo.ttl', change: 'ADDED' });
    expect(again.cached).toBe(true);
    expect(again.changes.items.map((c) => c.change)).toEqual(['ADDED']);
  });

  it('works on OBO, and on a renamed file compared term for term', async () => {
    const obo = await session.call('delta:terms', { from: 'zoo/v1', to: 'zoo/v2', relpath: 'obo/zoo.obo' });
    expect(obo.changes.items.map((c) => `${c.change} ${c.term} ${c.old_label ?? ''}>${c.new_label ?? ''}`)).toEqual([
      'ADDED ZOO:0004 >horse', 'RELABELLED ZOO:0002 dog>canine', 'DEPRECATED ZOO:0003 dragon>dragon',
    ]);
    const renamed = await session.call('delta:terms', { from: 'zoo/v1', to: 'zoo/v2', relpath: 'new name.ttl', old_relpath: 'old name.ttl' });
    expect(renamed.summary).toEqual({ added: 0, removed: 0, relabelled: 0, redefined: 0, reparented: 0, retyped: 0, deprecated: 0, undeprecated: 0, replaced: 0 });
    expect(renamed.new_terms).toBe(5);
  });

  it('compares a pair again once the parsers that compared it have changed, instead of showing the old answer', async () => {
    const first = await session.call('delta:terms', { from: 'zoo/v1', to: 'zoo/v2', relpath: 'obo/zoo.obo' });
    expect((await session.call('delta:terms', { from: 'zoo/v1', to: 'zoo/v2', relpath: 'obo/zoo.obo' })).cached).toBe(true);
    // As a catalog whose comparison was cached by an older build: other parsers, older rules.
    await session.catalog.write((tx) => tx.run('UPDATE term_delta_runs SET validator_version = validator_version - 1'));
    await session.catalog.write((tx) => tx.run("UPDATE term_changes SET old_label = 'stale'"));
    const again = await session.call('delta:terms', { from: 'zoo/v1', to: 'zoo/v2', relpath: 'obo/zoo.obo' });
    expect(again.cached).toBe(false);
    expect(again.changes.items).toEqual(first.changes.items);
    expect((await session.call('delta:terms', { from: 'zoo/v1', to: 'zoo/v2', relpath: 'obo/zoo.obo' })).cached).toBe(true);
  });

  it('refuses files that are not ontologies and unknown paths', async () => {
    const missing = await session.invoke('delta:terms', { from: 'zoo/v1', to: 'zoo/v2', relpath: 'nope.ttl' });
    expect(missing).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('ontocat delta --terms adds term changes for modified ontology files (real CLI)', async () => {
    await session.close();
    const run = runOntocat(['delta', 'zoo/v1', 'zoo/v2', '--terms', '--json'], { root: temp.root });
    expect(run.code, run.stderr).toBe(0);
    const out = run.json<{ summary: { modified: { count: number }; renamed: { count: number } }; terms: { new_relpath: string; summary: Record<string, number> }[] }>();
    expect(out.summary.modified.count).toBe(2);
    expect(out.summary.renamed.count).toBe(1);
    expect(out.terms.map((t) => t.new_relpath).sort()).toEqual(['new name.ttl', 'obo/zoo.obo', 'zoo.ttl']);
    expect(out.terms.find((t) => t.new_relpath === 'zoo.ttl')?.summary).toEqual({ added: 1, removed: 1, relabelled: 1, redefined: 0, reparented: 0, retyped: 0, deprecated: 1, undeprecated: 0, replaced: 0 });
    const human = runOntocat(['delta', 'terms', 'zoo/v1', 'zoo/v2', 'obo/zoo.obo'], { root: temp.root });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('RELABELLED');
    // A relabel's detail: the label only the older file has, and the one only the newer has.
    expect(human.stdout).toContain('-dog +canine');
    session = await openSession({ root: temp.root, actor: 'test' });
  });
});
