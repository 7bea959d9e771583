/**
 * CLI tables line up in a terminal whatever script the labels are in: widths are checked
 * against glibc's wcswidth (what terminals and `wc -L` use), called from python3 through
 * ctypes, on the real multilingual labels of DBpedia's ontology in @zazuko/rdf-vocabularies.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../electron/cli/display-width.js';
import { formatTable } from '../../../electron/cli/output.js';
import { glibcWidths as wcswidth } from '../../helpers/terminal-width.js';

const projectRoot = path.resolve(import.meta.dirname, '../../..');

/** Every rdfs:label of DBpedia's ontology (2021 release) with a character outside ASCII. */
function dbpediaLabels(): string[] {
  const file = path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2021', 'ontologies', 'dbo.nq');
  const labels = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /<http:\/\/www\.w3\.org\/2000\/01\/rdf-schema#label> "((?:[^"\\]|\\.)*)"@/.exec(line);
    if (!match) continue;
    const label = JSON.parse(`"${match[1]!.replace(/\\U([0-9A-Fa-f]{8})/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))}"`) as string;
    if ([...label].some((char) => char.codePointAt(0)! > 0x7f)) labels.add(label);
  }
  return [...labels];
}

describe('terminal width of CLI table cells', () => {
  const labels = dbpediaLabels();

  it('counts the columns glibc counts for every multilingual DBpedia label', () => {
    expect(labels.length).toBeGreaterThan(1_000);
    // Japanese, Korean and Chinese labels are there, so wide characters are exercised.
    expect(labels.some((label) => /\p{Script=Han}/u.test(label))).toBe(true);
    expect(labels.some((label) => /\p{Script=Hangul}/u.test(label))).toBe(true);
    const reference = wcswidth(labels);
    const differing = labels.filter((label, i) => reference[i]! >= 0 && displayWidth(label) !== reference[i]);
    expect(differing).toEqual([]);
  });

  it('counts combining marks, fullwidth forms and emoji as a terminal draws them', () => {
    const samples = ['cafe\u0301', 'Ａｂｃ', 'α-helix', '😀 smile', 'a\u200bb', 'ﾊﾝｶｸ'];
    expect(samples.map(displayWidth)).toEqual(wcswidth(samples));
  });

  it('starts every column at the same terminal column in every row', () => {
    const rows = labels.filter((label) => /\p{Script=Han}|\p{Script=Hangul}|\p{Script=Greek}/u.test(label)).slice(0, 200)
      .map((label, i) => ({ label, n: i }));
    const table = formatTable(rows, [{ header: 'LABEL', value: (r) => r.label }, { header: 'MARK', value: () => '|' }, { header: 'N', value: (r) => r.n }]);
    const lines = table.split('\n');
    // The width of each line up to its '|' cell: the same in every row, and the header's MARK column.
    const prefixes = lines.slice(2).map((line) => line.slice(0, line.lastIndexOf('|')));
    const widths = new Set(wcswidth(prefixes));
    expect([...widths]).toEqual(wcswidth([lines[0]!.slice(0, lines[0]!.indexOf('MARK'))]));
  });
});
