import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../electron/cli/display-width.js';
import { cutToWidth, fitTablesToWidth } from '../../../electron/cli/fit-table.js';
import { formatTable } from '../../../electron/cli/output.js';

describe('tables cut to a terminal', () => {
  const rows = [
    { iri: 'http://www.w3.org/ns/activitystreams#Person', label: 'A person, living or dead, real or imaginary, as the vocabulary defines it', n: 3 },
    { iri: 'foaf:Person', label: '人 (法律) — a legal person in DBpedia', n: 12_345 },
  ];
  const table = `${formatTable(rows, [
    { header: 'TERM', value: (r) => r.iri }, { header: 'LABEL', value: (r) => r.label }, { header: 'N', value: (r) => r.n },
  ])}\n(2 of 40; --offset to page)`;

  it('keeps whole what fits, and leaves text that is no table alone', () => {
    expect(fitTablesToWidth(table, 500)).toBe(table);
    expect(fitTablesToWidth('key: a value longer than the terminal is wide', 10)).toBe('key: a value longer than the terminal is wide');
  });

  it('cuts the long columns evenly, keeps numbers right-aligned and the note under the table', () => {
    const lines = fitTablesToWidth(table, 60).split('\n');
    expect(lines.map(displayWidth).every((w) => w <= 60)).toBe(true);
    expect(lines[2]).toBe('http://www.w…reams#Person  A person, living or dead,…      3');
    expect(lines[3]).toBe('foaf:Person                人 (法律) — a legal perso…  12345');
    expect(lines[4]).toBe('(2 of 40; --offset to page)');
  });

  it('cuts an IRI or path in the middle and words at the end, by terminal columns', () => {
    expect(cutToWidth('ontologies/imports/人工衛星の語彙-2021.ttl', 20)).toBe('ontologies…-2021.ttl');
    expect(cutToWidth('ontologies/人工衛星の語彙', 16)).toBe('ontologie…の語彙');
    expect(displayWidth(cutToWidth('人工衛星の語彙と人口動態の語彙', 9))).toBeLessThanOrEqual(9);
    expect(cutToWidth('a legal person in DBpedia', 12)).toBe('a legal per…');
  });
});
