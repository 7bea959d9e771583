import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewValidation } from '../../../electron/catalog/write-records.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-quality')));
afterAll(() => cleanup());

async function findings(name: string, format: string, text: string): Promise<NewValidation[]> {
  const absPath = path.join(dir, name);
  writeFileSync(absPath, text);
  const result = await validateFile({ absPath, relpath: name, format, size_bytes: Buffer.byteLength(text) });
  expect(result.rows.find((r) => r.rule === 'syntax')?.passed).toBe(true);
  return result.rows.filter((r) => r.validator === 'quality');
}

/** `rule subject severity` lines, sorted, for exact comparisons. */
function summary(rows: readonly NewValidation[]): string[] {
  return rows.map((r) => `${r.rule} ${r.subject} ${r.severity}`).sort();
}

const header = `@prefix : <http://purl.obolibrary.org/obo/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
<http://purl.obolibrary.org/obo/zoo.owl> a owl:Ontology .
rdfs:label a owl:AnnotationProperty .
:IAO_0000115 a owl:AnnotationProperty ; rdfs:label "definition" .
`;

const cleanTurtle = `${header}
:ZOO_0000001 a owl:Class ; rdfs:label "animal"@en ; rdfs:label "animal"@fr ; :IAO_0000115 "A living organism that moves." .
:ZOO_0000002 a owl:Class ; rdfs:subClassOf :ZOO_0000001 ; skos:prefLabel "mammal"@en ; skos:definition "An animal with fur." .
:ZOO_0000003 a owl:Class ; rdfs:label "old animal" ; owl:deprecated "true"^^xsd:boolean ; :IAO_0100001 :ZOO_0000001 .
:ZOO_0000004 a owl:Class ; rdfs:label "older animal" ; owl:deprecated true ; oboInOwl:consider :ZOO_0000002 .
:has_part a owl:ObjectProperty ; rdfs:label "has part" ; :IAO_0000115 "Parthood, inverted." .
:ZOO_0000005 a owl:NamedIndividual ; rdfs:label "Dolly" .
:ZOO_0000006 a owl:Class ; rdfs:label "entity" ; :IAO_0000600 "An entity is anything that exists (an elucidation: primitive, not defined)." .
[] a owl:Class ; owl:intersectionOf ( :ZOO_0000001 :ZOO_0000002 ) .
`;

const dirtyTurtle = `${header}
:ZOO_0000001 a owl:Class ; rdfs:label "animal"@en ; :IAO_0000115 "A living organism." .
:ZOO_0000002 a owl:Class ; rdfs:label "animal"@en ; :IAO_0000115 "Same label." .
:ZOO_0000008 a owl:Class ; rdfs:label "Animal "@en , "animal"@de ; :IAO_0000115 "Other labels: another case, another language." .
:ZOO_0000003 a owl:Class ; :IAO_0000115 "No label at all." .
:ZOO_0000004 a owl:Class ; rdfs:label "cat"@en , "kitty"@en ; :IAO_0000115 "Two English labels." .
:ZOO_0000005 a owl:Class ; rdfs:label "dog"@en .
:ZOO_0000006 a owl:Class ; rdfs:label "obsolete wolf" ; owl:deprecated true .
:ZOO_0000009 a owl:Class ; owl:deprecated true ; :IAO_0100001 :ZOO_0000005 .
:ZOO_0000010 a owl:Class ; rdfs:label "obsolete fox"@en , "obsolete vixen"@en ; owl:deprecated true ; :IAO_0100001 :ZOO_0000005 .
:part_of a owl:ObjectProperty ; rdfs:label "part of" .
:note a owl:AnnotationProperty ; rdfs:label "note" .
:ZOO_0000007 a owl:NamedIndividual ; rdfs:label "Rex" .
:untyped rdfs:label "animal"@en .
`;

describe('quality checks on Turtle', () => {
  it('a clean ontology has no findings', async () => {
    expect(await findings('clean.ttl', 'turtle', cleanTurtle)).toEqual([]);
  });

  it('each finding kind appears exactly where expected, with ROBOT-like severities', async () => {
    const rows = await findings('dirty.ttl', 'turtle', dirtyTurtle);
    const obo = 'http://purl.obolibrary.org/obo/';
    expect(summary(rows)).toEqual([
      `deprecated-without-replacement ${obo}ZOO_0000006 WARN`,
      `duplicate-label ${obo}ZOO_0000001 ERROR`,
      `duplicate-label ${obo}ZOO_0000002 ERROR`,
      `missing-definition ${obo}ZOO_0000005 WARN`,
      `missing-definition ${obo}part_of WARN`,
      `missing-label ${obo}ZOO_0000003 ERROR`,
      `multiple-labels ${obo}ZOO_0000004 ERROR`,
    ]);
    const duplicate = rows.find((r) => r.rule === 'duplicate-label' && r.subject === `${obo}ZOO_0000001`)!;
    expect(duplicate.details).toMatchObject({ label: 'animal', others: [`${obo}ZOO_0000002`] });
    expect(rows.every((r) => r.passed === false && r.relpath === 'dirty.ttl')).toBe(true);
  });

  it('labels in different languages are not multiple labels', async () => {
    const rows = await findings('langs.ttl', 'turtle', `${header}:X a owl:Class ; rdfs:label "cat"@en , "chat"@fr ; :IAO_0000115 "d" .\n`);
    expect(rows).toEqual([]);
  });
});

const cleanObo = `format-version: 1.2
ontology: zoo

[Term]
id: ZOO:0000001
name: animal
def: "A living organism." [ZOO:curator]

[Term]
id: ZOO:0000002
name: mammal
def: "An animal with fur." []
is_a: ZOO:0000001 ! animal

[Term]
id: ZOO:0000003
name: obsolete beast
def: "OBSOLETE." []
is_obsolete: true
replaced_by: ZOO:0000001

[Typedef]
id: part_of
name: part of
def: "Parthood." []

[Term]
id: ZOO:0000004
name: entity
property_value: IAO:0000600 "Anything that exists (an elucidation: primitive, not defined)." xsd:string
`;

const dirtyObo = `format-version: 1.2
ontology: zoo

[Term]
id: ZOO:0000001
name: animal
def: "A living organism." []

[Term]
id: ZOO:0000002
name: animal
def: "The same name." []

[Term]
id: ZOO:0000003
def: "Nameless." []

[Term]
id: ZOO:0000004
name: cat
name: kitty
def: "Two names." []

[Term]
id: ZOO:0000005
name: dog

[Term]
id: ZOO:0000006
name: obsolete wolf
is_obsolete: true

[Instance]
id: ZOO:rex
name: Rex

[Term]
id: ZOO:0000008
name: ANIMAL
def: "Another name: only the case differs (ROBOT's report compares labels exactly)." []
`;

describe('quality checks on OBO', () => {
  it('a clean ontology has no findings', async () => {
    expect(await findings('clean.obo', 'obo', cleanObo)).toEqual([]);
  });

  it('each finding kind appears on the right stanza, with its line', async () => {
    const rows = await findings('dirty.obo', 'obo', dirtyObo);
    expect(summary(rows)).toEqual([
      'deprecated-without-replacement ZOO:0000006 WARN',
      'duplicate-label ZOO:0000001 ERROR',
      'duplicate-label ZOO:0000002 ERROR',
      'missing-definition ZOO:0000005 WARN',
      'missing-label ZOO:0000003 ERROR',
      'multiple-labels ZOO:0000004 ERROR',
    ]);
    const lineOf = (rule: string): number | null | undefined => rows.find((r) => r.rule === rule)?.line;
    expect(lineOf('missing-label')).toBe(14);
    expect(lineOf('multiple-labels')).toBe(18);
    expect(lineOf('missing-definition')).toBe(24);
    expect(lineOf('deprecated-without-replacement')).toBe(28);
  });
});
