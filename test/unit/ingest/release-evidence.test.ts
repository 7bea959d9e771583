/**
 * Release date evidence read from real files: Debian's emboss-data OBO files and the
 * ontologies shipped in @zazuko/rdf-vocabularies.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dateInside, EVIDENCE_HEAD_BYTES, fileEvidence, oboDateValue, oboHeaderEvidence, readReleaseEvidence } from '../../../electron/ingest/release-evidence.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const EMBOSS_OBO = '/usr/share/EMBOSS/data/OBO';
const vocabularies = (year: string): string => path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies');
const head = (file: string): string => readFileSync(file).subarray(0, EVIDENCE_HEAD_BYTES).toString('utf8');

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

describe.skipIf(!existsSync(EMBOSS_OBO))(`OBO headers of Debian's emboss-data (${EMBOSS_OBO})`, () => {
  it('reads data-version dates first, then the dd:MM:yyyy HH:mm save date, as the headers say', () => {
    for (const name of readdirSync(EMBOSS_OBO).filter((file) => file.endsWith('.obo'))) {
      const text = head(path.join(EMBOSS_OBO, name));
      const header = text.split(/\n\[/, 1)[0]!;
      // The expectation, worked out from the header lines by hand here, not by the reader.
      const dataVersion = /^data-version: (.*)$/m.exec(header)?.[1] ?? '';
      const isoInVersion = /(\d{4})-(\d{2})-(\d{2})/.exec(dataVersion);
      const saved = /^date: (\d{2}):(\d{2}):(\d{4}) (\d{2}):(\d{2})$/m.exec(header);
      const expected = isoInVersion ? `${isoInVersion[1]}-${isoInVersion[2]}-${isoInVersion[3]}T00:00:00.000Z`
        : saved ? `${saved[3]}-${saved[2]}-${saved[1]}T${saved[4]}:${saved[5]}:00.000Z` : null;
      expect(fileEvidence('obo', text)?.date ?? null, name).toBe(expected);
    }
  });

  it('names the field it used', () => {
    expect(oboHeaderEvidence(head(path.join(EMBOSS_OBO, 'eco.obo')))).toMatchObject({ source: 'obo-header', field: 'data-version: releases/2013-04-04', date: '2013-04-04T00:00:00.000Z' });
    // data-version 105 holds no date; the save date speaks instead.
    expect(oboHeaderEvidence(head(path.join(EMBOSS_OBO, 'chebi.obo')))).toMatchObject({ field: 'date: 27:06:2013 17:24', date: '2013-06-27T17:24:00.000Z' });
    expect(oboHeaderEvidence(head(path.join(EMBOSS_OBO, 'software.obo')))).toBeNull();
  });

  it('takes the latest evidence of a whole folder of OBO files', async () => {
    const files = readdirSync(EMBOSS_OBO).filter((file) => file.endsWith('.obo')).map((relpath) => ({ relpath, format: 'obo' }));
    const evidence = await readReleaseEvidence(EMBOSS_OBO, files);
    // go.obo's data-version 2013-07-13 is the latest release identifier among them. Their
    // headers (read with sed) state six days: so.obo `date: 31:10:2012 14:18` the earliest,
    // then eco 2013-04-04, ro 2013-05-10, chebi 27:06:2013, pathway 11:07:2013; software.obo none.
    expect(evidence).toEqual({
      date: '2013-07-13T00:00:00.000Z', source: 'obo-header', detail: 'go.obo: data-version: 2013-07-13',
      spread: { earliest: '2012-10-31T14:18:00.000Z', days: 6 },
    });
  });
});

describe('owl:versionIRI / owl:versionInfo in @zazuko/rdf-vocabularies', () => {
  it('reads the date inside a versionIRI (frbr, prov) and ignores owl.nq describing versionIRI itself', () => {
    for (const year of ['2019', '2020', '2021']) {
      expect(fileEvidence('nquads', head(path.join(vocabularies(year), 'frbr.nq')))).toMatchObject({
        source: 'owl-version', date: '2018-03-29T00:00:00.000Z', field: 'owl:versionIRI http://purl.org/spar/frbr/2018-03-29',
      });
      expect(fileEvidence('nquads', head(path.join(vocabularies(year), 'prov.nq')))?.date).toBe('2013-04-30T00:00:00.000Z');
      // owl.nq has `<…owl#versionIRI> <…> <…1999/02/22-rdf-syntax-ns#type>`: a subject, not evidence.
      expect(fileEvidence('nquads', head(path.join(vocabularies(year), 'owl.nq')))).toBeNull();
    }
  });

  it('dates a folder by the latest date any of its files states, of whatever kind (a release is no older than a file in it)', async () => {
    for (const [year, expected] of [['2019', 'frbr.nq: owl:versionIRI http://purl.org/spar/frbr/2018-03-29'], ['2021', 'lvont.nq: owl:versionInfo Lexvo.org Ontology Version 0.24 (2019-01-16)']] as const) {
      const files = readdirSync(vocabularies(year)).map((relpath) => ({ relpath, format: 'nquads' }));
      // Every file's own date, by the reader of one file; the folder's date is the latest of them.
      const stated = files.map((file) => fileEvidence('nquads', head(path.join(vocabularies(year), file.relpath)))?.date).filter((date): date is string => !!date).sort();
      expect((await readReleaseEvidence(vocabularies(year), files))?.detail).toBe(expected);
      expect((await readReleaseEvidence(vocabularies(year), files))?.date).toBe(stated.at(-1));
    }
  });

  it('reads a date in versionInfo only when there is no versionIRI date', () => {
    expect(fileEvidence('nquads', head(path.join(vocabularies('2021'), 'oa.nq')))).toMatchObject({ field: 'owl:versionInfo 2016-11-12T21:28:11Z', date: '2016-11-12T00:00:00.000Z' });
  });

  it('takes no date from an owl:versionInfo that is prose or a change log', () => {
    // A sentence that mentions a day is no statement of the release's date.
    expect(fileEvidence('rdfxml', '<owl:Ontology rdf:about="http://x.org/o">\n  <owl:versionInfo>Added the classes proposed at the 2019-05-02 workshop; removed Foo.</owl:versionInfo>')).toBeNull();
    expect(fileEvidence('rdfxml', '<owl:Ontology rdf:about="http://x.org/o">\n  <owl:versionInfo>2.0\nFixed typos (2021-03-04)</owl:versionInfo>')).toBeNull();
    expect(fileEvidence('turtle', '<http://x.org/o> a owl:Ontology ;\n    owl:versionInfo "New modular version. \\n\\nOriginally developed in 2009-2011 by the group, first published 2011-06-28." .')).toBeNull();
    expect(fileEvidence('rdfxml', '<owl:Ontology rdf:about="http://x.org/o">\n  <owl:versionInfo>Version 0.2 - 2021-02-12.</owl:versionInfo>')?.date).toBe('2021-02-12T00:00:00.000Z');
  });

  it('reads the same headers in RDF/XML, Turtle, OWL/XML and JSON-LD', () => {
    expect(fileEvidence('rdfxml', '<owl:Ontology rdf:about="http://purl.obolibrary.org/obo/go.owl">\n  <owl:versionIRI rdf:resource="http://purl.obolibrary.org/obo/go/releases/2023-01-01/go.owl"/>')?.date).toBe('2023-01-01T00:00:00.000Z');
    expect(fileEvidence('turtle', '<http://x.org/o> a owl:Ontology ;\n    owl:versionInfo "2.3 (2022-11-30)" .')?.date).toBe('2022-11-30T00:00:00.000Z');
    expect(fileEvidence('owlxml', '<Ontology xmlns="http://www.w3.org/2002/07/owl#" ontologyIRI="http://x.org/o" versionIRI="http://x.org/o/20200131">')?.date).toBe('2020-01-31T00:00:00.000Z');
    expect(fileEvidence('jsonld', '{"@id": "http://x.org/o", "owl:versionIRI": {"@id": "http://x.org/o/2019-05-02/"}}')?.date).toBe('2019-05-02T00:00:00.000Z');
    expect(fileEvidence('turtle', '<http://x.org/o> a owl:Ontology ; owl:versionInfo "1.2" .')).toBeNull();
    expect(fileEvidence('csv', 'data-version: 2020-01-01')).toBeNull();
  });
});

describe('EDAM releases (test/fixtures/edam): the OBO date tag as its editors wrote it', () => {
  const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');

  it('reads an OBO date line that ends in a comment (EDAM 1.0 and 1.1)', () => {
    expect(oboHeaderEvidence(head(path.join(edam, 'EDAM_1.0.obo')))).toEqual({
      date: '2012-01-13T18:00:00.000Z', source: 'obo-header', field: 'date: 13:01:2012 18:00', strength: 1,
    });
    expect(oboHeaderEvidence(head(path.join(edam, 'EDAM_1.1.obo')))?.date).toBe('2012-07-05T18:00:00.000Z');
    // `data-version:  Beta08` holds no date; the save date speaks.
    expect(oboHeaderEvidence(head(path.join(edam, 'EDAM_beta08.obo')))?.field).toBe('date: 18:08:2010 14:15');
  });

  it("reads the OWL releases' oboOther:date (http://purl.obolibrary.org/obo/date) in each form", () => {
    const read = (version: string): string | undefined => fileEvidence('rdfxml', head(path.join(edam, 'owl-heads', `EDAM_${version}.owl`)))?.field;
    expect(read('1.3')).toBe('oboOther:date 20:02:2014 15:33');
    expect(read('1.9')).toBe('oboOther:date 02:02:2015');
    expect(read('1.13')).toBe('oboOther:date 08:02:2016 22:15GMT');
    expect(read('1.16')).toBe('oboOther:date 31.10.2016 23:58 GMT');
    expect(read('1.22')).toBe('oboOther:date 13.05.2019 00:21 UTC');
    expect(read('1.24')).toBe('oboOther:date 14.01.2020 13:23 UTC');
    // A versionInfo with a date outranks the save date, as in an OBO header's data-version.
    expect(read('1.25')).toBe('owl:versionInfo 1.25-20200618T0915Z');
  });

  it('reads the oboInOwl:date of Turtle, N-Triples and OWL/XML, and no date tag of another vocabulary', () => {
    const oboInOwl = 'http://www.geneontology.org/formats/oboInOwl#';
    expect(fileEvidence('turtle', `@prefix oio: <${oboInOwl}> .\n<http://x.org/o> a owl:Ontology ;\n    oio:date "05:07:2012 18:00" .`)?.date).toBe('2012-07-05T18:00:00.000Z');
    expect(fileEvidence('ntriples', `<http://x.org/o> <${oboInOwl}date> "05:07:2012 18:00"^^<http://www.w3.org/2001/XMLSchema#string> .`)?.field)
      .toBe(`<${oboInOwl}date> 05:07:2012 18:00`);
    expect(fileEvidence('owlxml', `<Prefix name="oboInOwl" IRI="${oboInOwl}"/>\n<Annotation><AnnotationProperty abbreviatedIRI="oboInOwl:date"/><Literal>05:07:2012</Literal></Annotation>`)?.date)
      .toBe('2012-07-05T00:00:00.000Z');
    expect(fileEvidence('rdfxml', '<rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/"><owl:Ontology><dc:date>05:07:2012 18:00</dc:date></owl:Ontology>')).toBeNull();
    expect(fileEvidence('rdfxml', `<rdf:RDF xmlns:oio="${oboInOwl}"><owl:Ontology><oio:date>sometime in 2012</oio:date></owl:Ontology>`)).toBeNull();
  });

  it('takes dd:MM:yyyy HH:mm and the variants, and refuses days that do not exist', () => {
    expect(oboDateValue('13:12:2012 00:00')).toBe('2012-12-13T00:00:00.000Z');
    expect(oboDateValue('31.10.2016 23:58 GMT')).toBe('2016-10-31T23:58:00.000Z');
    expect(oboDateValue('30:02:2012 10:00')).toBeNull();
    expect(oboDateValue('2012-12-13')).toBeNull();
    expect(oboHeaderEvidence('format-version: 1.2\ndate: 13:12:2012 25:00\n')).toBeNull();
    expect(oboHeaderEvidence('format-version: 1.2\ndata-version: releases/2020-01-01 ! the January release\n')?.field).toBe('data-version: releases/2020-01-01');
  });
});

describe('dates inside identifiers', () => {
  it('finds real calendar dates only', () => {
    expect(dateInside('releases/2023-01-01/go.owl')).toBe('2023-01-01T00:00:00.000Z');
    expect(dateInside('prov-o-20130430')).toBe('2013-04-30T00:00:00.000Z');
    expect(dateInside('2023-02-30')).toBeNull();
    expect(dateInside('version 4.2')).toBeNull();
    expect(dateInside('12020010199')).toBeNull();
  });

  it('passes over unreadable files and files without evidence', async () => {
    const { root, cleanup } = makeTempRoot('ontocat-evidence');
    cleanups.push(cleanup);
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'sub', 'a.obo'), 'format-version: 1.2\ndata-version: releases/2024-05-01\n\n[Term]\nid: X:1\n');
    writeFileSync(path.join(root, 'b.obo'), 'format-version: 1.2\n');
    const evidence = await readReleaseEvidence(root, [
      { relpath: 'missing.obo', format: 'obo' }, { relpath: 'b.obo', format: 'obo' }, { relpath: 'sub/a.obo', format: 'obo' },
    ]);
    expect(evidence).toEqual({ date: '2024-05-01T00:00:00.000Z', source: 'obo-header', detail: 'sub/a.obo: data-version: releases/2024-05-01' });
  });
});
