import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cadenceDays, sourceHealth } from '../../../electron/sources/health.js';
import { asVersionName, chooseVersion, needsHeads, versionInHead, type ArtifactEvidence } from '../../../electron/sources/version-rule.js';
import { projectRoot } from '../../helpers/run-cli.js';

const head = (file: string): string => readFileSync(path.join(projectRoot, file), 'utf8').slice(0, 65536);
const now = new Date('2026-12-01T10:00:00Z');

describe('version rule', () => {
  it('reads the version the real EDAM releases state (OBO data-version)', () => {
    expect(versionInHead(head('test/fixtures/edam/EDAM_1.0.obo'))).toEqual({ version: '1.0', field: 'data-version: 1.0' });
    expect(versionInHead(head('test/fixtures/edam/EDAM_1.2.obo'))?.version).toBe('1.2');
  });

  it('reads owl:versionInfo and owl:versionIRI in Turtle and RDF/XML', () => {
    expect(versionInHead('<http://x.org/o> a owl:Ontology ; owl:versionInfo "2.3.1" .')).toEqual({ version: '2.3.1', field: 'owl:versionInfo 2.3.1' });
    expect(versionInHead('<owl:Ontology rdf:about="http://x.org/o"><owl:versionIRI rdf:resource="http://purl.obolibrary.org/obo/go/releases/2024-01-17/go.owl"/></owl:Ontology>'))
      .toEqual({ version: '2024-01-17', field: 'owl:versionIRI http://purl.obolibrary.org/obo/go/releases/2024-01-17/go.owl' });
    expect(versionInHead('<Ontology ontologyIRI="http://edamontology.org" versionIRI="http://edamontology.org/EDAM_1.25.owl">')?.version).toBe('1.25');
    // A pre-release in the IRI is part of the version (EMMO's release candidates); a word that is no pre-release is not.
    const byIri = (iri: string) => versionInHead(`<http://x.org/o> a owl:Ontology ; owl:versionIRI <${iri}> .`)?.version;
    expect(byIri('https://w3id.org/emmo/1.0.0-rc3')).toBe('1.0.0-rc3');
    expect(byIri('http://emmo.info/emmo/1.0.0-beta4/emmo.ttl')).toBe('1.0.0-beta4');
    expect(byIri('https://w3id.org/x/v2.0.0-rc.1/')).toBe('2.0.0-rc.1');
    expect(byIri('http://x.org/o/1.2.3+build.5/o.owl')).toBe('1.2.3+build.5');
    expect(byIri('http://x.org/onto-1.0-full.owl')).toBe('1.0');
    expect(byIri('http://x.org/o/1.0-mapping')).toBe('1.0');
    expect(byIri('http://qudt.org/2.1/schema/qudt')).toBe('2.1');
    expect(versionInHead('data-version: releases/2023-06-11\n\n[Term]\nid: X:1')?.version).toBe('2023-06-11');
    expect(versionInHead('format-version: 1.2\n\n[Term]\nid: X:1')).toBeNull();
  });

  it('names no version after an owl:versionInfo that is prose or a change log, only after a version-like one', () => {
    // EBUCore (@zazuko/rdf-vocabularies 2021) keeps its change log in versionInfo: 31 entries
    // such as 'Add formatId to Format.', and 'Version 1.10'. Its ontology's own lines as a head.
    const ebucore = readFileSync(path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2021', 'ontologies', 'ebucore.nq'), 'utf8')
      .split('\n').filter((line) => line.startsWith('<http://www.ebu.ch/metadata/ontologies/ebucore/ebucore> ')).join('\n');
    expect(ebucore).toContain('owl#versionInfo> "Add formatId to Format."@en');
    expect(versionInHead(ebucore)).toEqual({ version: '1.10', field: 'owl:versionInfo Version 1.10' });
    const rdfxml = (info: string) => versionInHead(`<owl:Ontology rdf:about="http://x.org/o">\n  <owl:versionInfo>${info}</owl:versionInfo>\n</owl:Ontology>`);
    expect(rdfxml('1.2\nAdded class Foo; removed Bar.\n1.1\nFirst release.')).toBeNull();
    expect(rdfxml('Added X; removed Y')).toBeNull();
    expect(rdfxml('Created with TopBraid Composer')).toBeNull();
    expect(rdfxml('This is an updated copy of v2.0 of the DCAT vocabulary, taken from https://www.w3.org/ns/dcat.ttl')).toBeNull();
    // Version-like values, as real ontologies write them (sioc, lvont, rdfa, gr, bibo, dbo, ma).
    expect(rdfxml('Revision: 1.36')?.version).toBe('1.36');
    expect(rdfxml('Lexvo.org Ontology Version 0.24 (2019-01-16)')?.version).toBe('0.24');
    expect(rdfxml('$Date: 2013-03-11 07:54:23 $')?.version).toBe('2013-03-11');
    expect(rdfxml('V 1.0, Release 2011-10-01')?.version).toBe('1.0');
    expect(rdfxml('http://purl.org/ontology/bibo/1.3/')?.version).toBe('1.3');
    expect(rdfxml('4.2-SNAPSHOT')?.version).toBe('4.2-SNAPSHOT');
    expect(rdfxml('R36')?.version).toBe('R36');
    // Prose beside a versionIRI: the IRI names the version.
    expect(versionInHead('<http://x.org/o> a owl:Ontology ;\n  owl:versionInfo "Created with TopBraid Composer" ;\n  owl:versionIRI <http://x.org/o/2.4/o.ttl> .')?.version).toBe('2.4');
  });

  it('tries resolver, content, Last-Modified, retrieval date in turn, recording the evidence', () => {
    const one = { name: 'x.tgz', resolverVersion: null, heads: null, lastModified: null };
    const choose = (rule: Parameters<typeof chooseVersion>[0], artifact: Partial<ArtifactEvidence>) => chooseVersion(rule, { artifacts: [{ ...one, ...artifact }], now });
    expect(choose('auto', { resolverVersion: 'v2019.6.27' })).toEqual({ version: '2019.6.27', rule: 'resolver', evidence: 'resolver version v2019.6.27' });
    expect(choose('auto', { heads: [{ relpath: null, head: 'data-version: 1.1\n' }] })).toEqual({ version: '1.1', rule: 'content', evidence: 'x.tgz: data-version: 1.1' });
    expect(choose('auto', { heads: [{ relpath: 'package/a.obo', head: 'data-version: 1.1\n' }] }))
      .toEqual({ version: '1.1', rule: 'content', evidence: 'x.tgz/package/a.obo: data-version: 1.1', file: 'package/a.obo' });
    expect(choose('auto', { lastModified: 'Thu, 13 Dec 2012 00:00:00 GMT' })).toMatchObject({ version: '2012-12-13', rule: 'last-modified' });
    expect(choose('auto', {})).toMatchObject({ version: '2026-12-01', rule: 'retrieval-date' });
    expect(() => choose('content', { heads: [{ relpath: 'package/a.obo', head: 'format-version: 1.2\n' }] })).toThrow(/no version in the head of any ontology file of x.tgz/);
  });

  it('with several artifacts, the first in order that has a rule\'s evidence decides, and is named', () => {
    const obo = { name: 'go.obo', resolverVersion: null, heads: [{ relpath: null, head: 'format-version: 1.2\n' }], lastModified: 'Thu, 13 Dec 2012 00:00:00 GMT' };
    const owl = { name: 'go.owl', resolverVersion: null, heads: [{ relpath: null, head: '<owl:versionInfo>2024-01-17</owl:versionInfo>' }], lastModified: 'Fri, 14 Dec 2012 00:00:00 GMT' };
    // Content outranks Last-Modified under auto, whichever artifact has it.
    expect(chooseVersion('auto', { artifacts: [obo, owl], now })).toEqual({ version: '2024-01-17', rule: 'content', evidence: 'go.owl: owl:versionInfo 2024-01-17', artifact: 'go.owl' });
    // Among artifacts with the same kind of evidence, the first in order wins.
    expect(chooseVersion('last-modified', { artifacts: [owl, obo], now })).toMatchObject({ version: '2012-12-14', artifact: 'go.owl' });
    expect(chooseVersion('last-modified', { artifacts: [obo, owl], now })).toMatchObject({ version: '2012-12-13', artifact: 'go.obo', evidence: 'go.obo: HTTP Last-Modified Thu, 13 Dec 2012 00:00:00 GMT' });
    expect(needsHeads('auto', [{ resolverVersion: null }, { resolverVersion: '1.0' }])).toBe(false);
    expect(needsHeads('auto', [{ resolverVersion: null }])).toBe(true);
  });

  it('makes any text a valid version name or refuses it', () => {
    expect(asVersionName(' 1.0 (beta) ')).toBe('1.0_beta');
    expect(asVersionName('...')).toBeNull();
  });
});

describe('health', () => {
  it('cadence is the median gap; overdue past 1.5 cadences since the last release', () => {
    const dates = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'].map((d) => `${d}T00:00:00Z`);
    expect(cadenceDays(dates)).toBe(31);
    expect(cadenceDays(dates.slice(0, 2))).toBeNull();
    expect(sourceHealth(undefined, dates, new Date('2026-05-01T00:00:00Z')).overdue).toBe(false);
    expect(sourceHealth(undefined, dates, new Date('2026-05-20T00:00:00Z'))).toMatchObject({ overdue: true, cadence_days: 31, next_release_due: '2026-05-02T00:00:00.000Z' });
  });
});
