/**
 * Real releases with real defects (vendored EDAM 1.0 and beta10): the OBO reader reads on
 * past a line that is not `tag: value` and past a missing stanza header, reports each as a
 * WARN at its line, and keeps every term a plain line scan finds. Quoted texts whose
 * quotes were not escaped are read whole, as EDAM's own OWL release of the same text has
 * them (EDAM_1.2.owl.gz, read by a line scan).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanOntologyFile } from '../../../electron/ingest/parsers/extract-terms.js';
import { termIdent } from '../../../electron/shared/curie.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { scanLines } from '../../helpers/obo-line-scan.js';
import { scanOwlXml } from '../../helpers/owl-xml-scan.js';
import { projectRoot } from '../../helpers/run-cli.js';

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');

async function validate(name: string) {
  const absPath = path.join(edam, name);
  return validateFile({ absPath, relpath: name, format: 'obo', size_bytes: statSync(absPath).size });
}

describe('EDAM releases with defects', () => {
  it('EDAM 1.0 parses; its four lines without a tag are WARNs at their lines, and no term is lost', async () => {
    const result = await validate('EDAM_1.0.obo');
    expect(result.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: true });
    const skipped = result.rows.filter((row) => row.rule === 'malformed-line');
    expect(skipped.map((row) => [row.line, row.severity, row.passed])).toEqual([
      [8933, 'WARN', false], [9890, 'WARN', false], [9900, 'WARN', false], [9917, 'WARN', false],
    ]);
    expect(result.terms).toBe(scanLines(path.join(edam, 'EDAM_1.0.obo')).terms.size);
  });

  it('EDAM beta10 parses; the stanza whose [Term] header is commented out is read as new terms, with a WARN', async () => {
    const result = await validate('EDAM_beta10.obo');
    expect(result.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: true });
    const headers = result.rows.filter((row) => row.rule === 'missing-stanza-header');
    expect(headers.length).toBeGreaterThan(0);
    expect(headers.every((row) => row.severity === 'WARN' && !row.passed)).toBe(true);
    // Line 4303 is the id that follows the commented-out header.
    expect(headers[0]!.line).toBe(4303);
    // Every id the line scan sees is a term (the scan counts ids, whatever their stanza).
    expect(result.terms).toBe(scanLines(path.join(edam, 'EDAM_beta10.obo')).terms.size);
  });

  it('EDAM 1.0: each definition with quotes its writer did not escape is read whole, with a WARN at its line', async () => {
    // The defective lines by a plain scan: a def whose first quoted string is not followed by its [dbxref list].
    const lines = readFileSync(path.join(edam, 'EDAM_1.0.obo'), 'utf8').split('\n');
    const defective = lines.flatMap((line, i) => (/^def: "(?:[^"\\]|\\.)*"\s*[^\s[]/.test(line) ? [i + 1] : []));
    expect(defective.length).toBe(28);
    const result = await validate('EDAM_1.0.obo');
    const warned = result.rows.filter((row) => row.rule === 'unescaped-quote');
    // Twenty one by one, the rest counted in one more.
    expect(warned.filter((row) => row.line !== null).map((row) => row.line)).toEqual(defective.slice(0, 20));
    expect(warned.find((row) => row.line === null)?.message).toMatch(/^8 more lines hold quotes/);
    expect(warned.every((row) => row.severity === 'WARN' && !row.passed)).toBe(true);
    const scan = await scanOntologyFile(path.join(edam, 'EDAM_1.0.obo'), 'obo');
    const bos = scan.terms.find((term) => term.definitions.some((d) => d.value.includes('Bos taurus')));
    expect(bos?.definitions[0]?.value).toBe(`Identifier of an entry (exon, gene, transcript or protein) from the Ensembl 'core' database ("Bos taurus" division).`);
  });

  it("EDAM 1.2: every definition of the OBO release equals the one EDAM's OWL release of 1.2 gives the term", async () => {
    const owl = scanOwlXml(gunzipSync(readFileSync(path.join(edam, 'EDAM_1.2.owl.gz'))).toString('utf8'));
    // The OBO ids' IRIs by the file's own idspace lines (`idspace: EDAM_data http://edamontology.org/data_ "…"`).
    const obo = readFileSync(path.join(edam, 'EDAM_1.2.obo'), 'utf8');
    const idspaces = new Map([...obo.matchAll(/^idspace: (\S+) (\S+)/gm)].map((match) => [match[1]!, match[2]!]));
    const scan = await scanOntologyFile(path.join(edam, 'EDAM_1.2.obo'), 'obo');
    let compared = 0;
    for (const term of scan.terms) {
      const [space, local] = term.id.split(':') as [string, string];
      const iri = idspaces.has(space) ? `${idspaces.get(space)}${local}` : null;
      const expected = iri ? owl.get(iri)?.definitions : undefined;
      if (!expected || expected.length === 0) continue;
      compared += 1;
      expect({ id: term.id, definitions: term.definitions.map((d) => d.value) }).toEqual({ id: term.id, definitions: expected });
    }
    expect(compared).toBeGreaterThan(2700);
  });

  it('EDAM 1.2 in OBO and in OWL: both readers give every shared term the same label, kind, deprecation, replacements and parents', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ontocat-edam-owl-'));
    try {
      const owlFile = path.join(dir, 'EDAM_1.2.owl');
      writeFileSync(owlFile, gunzipSync(readFileSync(path.join(edam, 'EDAM_1.2.owl.gz'))));
      const fromObo = (await scanOntologyFile(path.join(edam, 'EDAM_1.2.obo'), 'obo')).terms;
      const fromOwl = new Map((await scanOntologyFile(owlFile, 'rdfxml')).terms.map((term) => [termIdent(term.id), term]));
      const idents = (values: readonly string[]): string[] => [...new Set(values.map(termIdent))].sort();
      let shared = 0;
      for (const term of fromObo) {
        const other = fromOwl.get(termIdent(term.id));
        if (!other) continue;
        shared += 1;
        const read = (t: typeof term, parents: readonly string[]) => ({
          id: termIdent(t.id), labels: t.labels.map((label) => label.value), kind: t.kind, deprecated: t.deprecated,
          replaced_by: idents(t.replaced_by), consider: idents(t.consider), parents: idents(parents),
        });
        // The OWL release also puts each obsolete class under oboInOwl:ObsoleteClass (the OBO file has that is_a commented out).
        expect(read(other, other.parents.filter((parent) => !parent.endsWith('oboInOwl#ObsoleteClass')))).toEqual(read(term, term.parents));
      }
      // Every one, EDAM's twelve relations too: the OBO file's bare `has_format` is the IRI its
      // header gives it (default-relationship-id-prefix EDAM, idspace EDAM), and the OWL
      // release declares exactly those IRIs as its object properties (a line scan).
      expect(shared).toBe(fromObo.length);
      const declared = [...readFileSync(owlFile, 'utf8').matchAll(/<owl:ObjectProperty rdf:about="([^"]+)"/g)].map((match) => match[1]).sort();
      expect(declared).toHaveLength(12);
      expect(fromObo.filter((term) => term.kind === 'object_property').map((term) => term.id).sort()).toEqual(declared);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

