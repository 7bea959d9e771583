/**
 * The fast N-Triples / N-Quads reader against N3.js and the W3C suites: whatever it accepts,
 * N3 accepts too and reads into the same triples; whatever it refuses goes to N3 unchanged.
 * References nobody here wrote: the W3C RDF 1.1 N-Triples, N-Quads and Turtle suites (the
 * Turtle suite's expected results are N-Triples), three real releases of
 * `@zazuko/rdf-vocabularies` (82 N-Quads files each in 2021), and N3.js itself.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Parser, type Quad, type Term } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanOntologyFile } from '../../../electron/ingest/parsers/extract-terms.js';
import { parseLineRdf } from '../../../electron/ingest/parsers/parse-line-rdf.js';
import { parseRdfFile } from '../../../electron/ingest/parsers/parse-rdf.js';
import type { RdfTermLike } from '../../../electron/ingest/parsers/parse-types.js';
import { CHUNK_BYTES } from '../../../electron/ingest/parsers/read-chunks.js';
import { Utf8Check } from '../../../electron/ingest/parsers/utf8-check.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { manifestEntries } from '../../helpers/w3c-manifest.js';

type Format = 'ntriples' | 'nquads';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-line-rdf')));
afterAll(() => cleanup());

const w3c = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11');
const w3c12 = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf12');
const vocabularies = ['rdf-vocabularies-2019', 'rdf-vocabularies-2020', 'rdf-vocabularies-2021']
  .map((name) => path.join(projectRoot, 'node_modules', name, 'ontologies'));

/** A term as text both readers must agree on; N3 names blank nodes `b<n>_label`, this reader `label`. */
function termText(term: RdfTermLike | Term): string {
  if (term.termType === 'BlankNode') return `_:${term.value.replace(/^b\d+_/, '')}`;
  if (term.termType === 'Literal') {
    const literal = term as RdfTermLike;
    return `${JSON.stringify(literal.value)} @${literal.language ?? ''} ^^${literal.datatype?.value ?? ''}`;
  }
  return `${term.termType} ${term.value}`;
}

/** The fast reader's triples, or null where it leaves the file to N3. */
async function fastTriples(file: string, format: Format): Promise<string[] | null> {
  const triples: string[] = [];
  const outcome = await parseLineRdf(file, format, (s, p, o) => triples.push(`${termText(s)} | ${termText(p)} | ${termText(o)}`));
  if ('refusedAfter' in outcome) return null;
  expect(outcome.problem).toBeNull();
  expect(outcome.triples).toBe(triples.length);
  return triples;
}

/** N3's triples, or the message of its syntax error. */
function n3Triples(text: string, format: Format): string[] | { error: string } {
  try {
    return new Parser({ format: format === 'ntriples' ? 'N-Triples' : 'N-Quads' }).parse(text)
      .map((quad: Quad) => `${termText(quad.subject)} | ${termText(quad.predicate)} | ${termText(quad.object)}`);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

interface Tally {
  accepted: number;
  left: number;
  disagreements: string[];
}

/** Reads each file with both; a file the fast reader accepts must read the same in N3. */
async function compare(files: readonly { file: string; format: Format }[]): Promise<Tally> {
  const tally: Tally = { accepted: 0, left: 0, disagreements: [] };
  for (const { file, format } of files) {
    const fast = await fastTriples(file, format);
    if (fast === null) {
      tally.left += 1;
      continue;
    }
    tally.accepted += 1;
    const reference = n3Triples(readFileSync(file, 'utf8'), format);
    if (!Array.isArray(reference)) tally.disagreements.push(`${file}: accepted, but N3 says ${reference.error}`);
    else if (JSON.stringify(reference) !== JSON.stringify(fast)) tally.disagreements.push(`${file}: other triples than N3's`);
  }
  return tally;
}

/** The manifest's test files of one kind (`TestNTriplesNegativeSyntax`, …), as paths. */
function manifestActions(folder: string, typePattern: RegExp, suites = w3c): string[] {
  const release = suites === w3c ? 'rdf11' : 'rdf12';
  return manifestEntries(path.join(suites, folder), `https://w3c.github.io/rdf-tests/rdf/${release}/${folder}/`)
    .filter((entry) => typePattern.test(entry.type)).map((entry) => path.join(suites, folder, entry.action));
}

describe('the fast N-Triples and N-Quads reader', () => {
  it('refuses every negative syntax test of the W3C N-Triples and N-Quads suites (N3 then gives the verdict)', async () => {
    const negative = [
      ...manifestActions('rdf-n-triples', /NegativeSyntax$/).map((file) => ({ file, format: 'ntriples' as const })),
      ...manifestActions('rdf-n-quads', /NegativeSyntax$/).map((file) => ({ file, format: 'nquads' as const })),
    ];
    expect(negative.length).toBeGreaterThan(25);
    const accepted: string[] = [];
    for (const { file, format } of negative) if (await fastTriples(file, format) !== null) accepted.push(path.basename(file));
    expect(accepted).toEqual([]);
  });

  it('leaves RDF 1.2 to N3: refuses every W3C RDF 1.2 N-Triples/N-Quads syntax test N3 refuses, and reads the rest as N3 does', async () => {
    // Triple terms, VERSION, directional language tags, a written-out rdf:langString and
    // overlong language subtags: found by running this suite, which the reader had accepted.
    const tests = [
      ...manifestActions('rdf-n-triples/syntax', /Syntax$/, w3c12).map((file) => ({ file, format: 'ntriples' as const })),
      ...manifestActions('rdf-n-quads/syntax', /Syntax$/, w3c12).map((file) => ({ file, format: 'nquads' as const })),
    ];
    const negative = new Set([
      ...manifestActions('rdf-n-triples/syntax', /NegativeSyntax$/, w3c12), ...manifestActions('rdf-n-quads/syntax', /NegativeSyntax$/, w3c12),
    ]);
    expect(tests.length).toBeGreaterThan(50);
    expect(negative.size).toBeGreaterThan(35);
    const tally = await compare(tests);
    expect(tally.disagreements).toEqual([]);
    const acceptedNegative: string[] = [];
    for (const { file, format } of tests) if (negative.has(file) && await fastTriples(file, format) !== null) acceptedNegative.push(path.basename(file));
    expect(acceptedNegative).toEqual([]);
  });

  it('reads the W3C positive tests and the Turtle suite’s expected N-Triples as N3 does, and takes most of them itself', async () => {
    const positive = [
      ...manifestActions('rdf-n-triples', /PositiveSyntax$/).map((file) => ({ file, format: 'ntriples' as const })),
      ...manifestActions('rdf-n-quads', /PositiveSyntax$/).map((file) => ({ file, format: 'nquads' as const })),
      ...readdirSync(path.join(w3c, 'rdf-turtle')).filter((name) => name.endsWith('.nt'))
        .map((name) => ({ file: path.join(w3c, 'rdf-turtle', name), format: 'ntriples' as const })),
    ];
    const tally = await compare(positive);
    expect(tally.disagreements).toEqual([]);
    // Left to N3: files written without spaces between terms, with non-ASCII blank node labels, and the like.
    expect(tally.accepted).toBeGreaterThan(0.85 * positive.length);
  });

  it('reads three real releases of @zazuko/rdf-vocabularies (N-Quads) as N3 does, every file itself', async () => {
    const files = vocabularies.flatMap((folder) => readdirSync(folder).filter((name) => name.endsWith('.nq'))
      .map((name) => ({ file: path.join(folder, name), format: 'nquads' as const })));
    expect(files.length).toBeGreaterThan(190);
    const tally = await compare(files);
    expect(tally.disagreements).toEqual([]);
    expect(tally.left).toBe(0);
  }, 120_000);

  it('refuses what N3 refuses and reads what both accept alike, line by line, on the grammar’s edges', async () => {
    const cases: { line: string; format: Format; fast: 'accepts' | 'leaves' }[] = [
      { line: '<http://a.example/\\u0020> <http://a.example/p> "x" .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/\\u003E> <http://a.example/p> "x" .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/\\u00E9> <http://a.example/p> "x" .', format: 'ntriples', fast: 'accepts' },
      { line: '<s> <http://a.example/p> "x" .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> "x"@en- .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> "\\uD800" .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> "\\a" .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> "x" <http://a.example/g> .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> "x" <http://a.example/g> .', format: 'nquads', fast: 'accepts' },
      { line: '<http://a.example/s> <http://a.example/p> "x" . <http://a.example/s> <http://a.example/p> "y" .', format: 'ntriples', fast: 'leaves' },
      { line: '_:a.b <http://a.example/p> _:c .', format: 'ntriples', fast: 'accepts' },
      { line: '<http://a.example/s> <http://a.example/p> "x"^^<http://a.example/d> . # note', format: 'ntriples', fast: 'accepts' },
      { line: '<http://a.example/s> <http://a.example/p> "say \\"hi\\"\\n" .', format: 'ntriples', fast: 'accepts' },
      { line: '<http://a.example/s> <http://a.example/p> "x"@EN-Latn-US .', format: 'ntriples', fast: 'accepts' },
      { line: '<http://a.example/s> <http://a.example/p> "x" ', format: 'ntriples', fast: 'leaves' },
      // N3 reads `@version` (in lower case only) after a literal as a directive, not a language
      // tag; the reader leaves every directive's name, in any case, to N3 (which reads @VERSION).
      { line: '<http://a.example/s> <http://a.example/p> "x"@version .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> "x"@version <http://a.example/g> .', format: 'nquads', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> "x"@VERSION .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> "x"@prefix .', format: 'ntriples', fast: 'leaves' },
      // N3 takes no two dots in a row in a blank node label (the grammar would).
      { line: '_:a..b <http://a.example/p> _:c .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> _:c..d .', format: 'ntriples', fast: 'leaves' },
      { line: '<http://a.example/s> <http://a.example/p> _:c <http://a.example/g> .', format: 'nquads', fast: 'accepts' },
      { line: '<http://a.example/s> <http://a.example/p> _:c _:g..h .', format: 'nquads', fast: 'leaves' },
    ];
    const seen: string[] = [];
    for (const { line, format } of cases) {
      const file = path.join(dir, 'edge.nq');
      writeFileSync(file, `${line}\n`);
      const fast = await fastTriples(file, format);
      const reference = n3Triples(`${line}\n`, format);
      seen.push(`${fast === null ? 'leaves' : 'accepts'} ${format} ${line}`);
      if (fast !== null) expect(reference, line).toEqual(fast);
    }
    expect(seen).toEqual(cases.map(({ line, format, fast }) => `${fast} ${format} ${line}`));
  });

  it('never accepts a line N3 refuses, nor reads one otherwise, over thousands of mutated real lines', async () => {
    // Lines of the suites and of a real vocabulary, each cut, doubled or given a character
    // the grammar treats specially; a seeded generator keeps the run repeatable.
    const corpus = [
      ...readFileSync(path.join(w3c, 'rdf-n-triples', 'literal_all_controls.nt'), 'utf8').split('\n'),
      ...readdirSync(path.join(w3c, 'rdf-turtle')).filter((name) => name.endsWith('.nt')).slice(0, 120)
        .flatMap((name) => readFileSync(path.join(w3c, 'rdf-turtle', name), 'utf8').split('\n')),
      ...readFileSync(path.join(vocabularies[2]!, 'skos.nq'), 'utf8').split('\n').slice(0, 300),
    ].filter((line) => line.trim() !== '');
    const tricky = ['<', '>', '"', '\\', ' ', '\t', '.', '#', '_', ':', '@', '^', '\r', '-', 'u', 'U', '0', 'é', '\u0000', '{', '|', '`'];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let accepted = 0;
    let refusedByBoth = 0;
    const wrong: string[] = [];
    for (let round = 0; round < 4000; round += 1) {
      const line = corpus[random(corpus.length)]!;
      const at = random(line.length + 1);
      const mutations = [
        () => line.slice(0, at) + line.slice(at + 1),
        () => line.slice(0, at) + tricky[random(tricky.length)]! + line.slice(at),
        () => line.slice(0, at) + tricky[random(tricky.length)]! + line.slice(at + 1),
        () => `${line} ${line}`,
        () => line.slice(0, at),
      ];
      const text = `${mutations[random(mutations.length)]!()}\n`;
      const format: Format = line.includes('.nq') || round % 2 === 0 ? 'nquads' : 'ntriples';
      const file = path.join(dir, 'mutated.nq');
      writeFileSync(file, text);
      const fast = await fastTriples(file, format);
      const reference = n3Triples(text, format);
      if (fast === null) {
        if (!Array.isArray(reference)) refusedByBoth += 1;
        continue;
      }
      accepted += 1;
      if (!Array.isArray(reference)) wrong.push(`${JSON.stringify(text)}: accepted, N3 says ${reference.error}`);
      else if (JSON.stringify(reference) !== JSON.stringify(fast)) wrong.push(`${JSON.stringify(text)}: read otherwise than N3`);
    }
    expect(wrong).toEqual([]);
    // The mutations must exercise both sides.
    expect(accepted).toBeGreaterThan(500);
    expect(refusedByBoth).toBeGreaterThan(500);
  }, 120_000);

  it('reads lines and characters split across read chunks, CRLF and a byte order mark as N3 does', async () => {
    const lines: string[] = [];
    let bytes = 0;
    for (let i = 0; bytes < 2 * CHUNK_BYTES + 5000; i += 1) {
      const line = `<http://example.org/s${i}> <http://www.w3.org/2000/01/rdf-schema#label> "größe ${i} — ${'x'.repeat(i % 97)} \\u00e9\\t😀"@DE-ch .\r\n`;
      lines.push(line);
      bytes += Buffer.byteLength(line);
    }
    const text = `\uFEFF${lines.join('')}# no newline after the last comment`;
    const file = path.join(dir, 'big.nt');
    writeFileSync(file, text);
    const fast = await fastTriples(file, 'ntriples');
    expect(fast).not.toBeNull();
    expect(fast).toHaveLength(lines.length);
    expect(fast).toEqual(n3Triples(text, 'ntriples'));
    expect(fast![7]).toContain('"größe 7 — xxxxxxx é\\t😀" @de-ch');
  });
});

describe('a line longer than a read chunk', () => {
  it('a literal of several megabytes, with lines before and after it, reads as N3 reads it', async () => {
    const long = `${'é'.repeat(CHUNK_BYTES)}\\n${'x'.repeat(CHUNK_BYTES + 123)}`;
    const text = [
      '<http://example.org/a> <http://example.org/p> "before" .',
      `<http://example.org/a> <http://example.org/p> "${long}"@en .`,
      '<http://example.org/a> <http://example.org/p> "after" .',
    ].join('\n');
    const file = path.join(dir, 'long-line.nt');
    writeFileSync(file, text);
    const fast = await fastTriples(file, 'ntriples');
    expect(fast).not.toBeNull();
    expect(fast).toHaveLength(3);
    expect(fast).toEqual(n3Triples(text, 'ntriples'));
  });
});

describe('a file the fast reader leaves to N3', () => {
  it('gets N3’s verdict, message, line and terms, and is checked as UTF-8 once', async () => {
    const file = path.join(dir, 'broken.nt');
    const good = '<http://example.org/A> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class> .\n';
    // Line 3 is Turtle's `a`, not N-Triples; byte 0xff on line 2 is not UTF-8.
    const bytes = Buffer.concat([
      Buffer.from(good),
      Buffer.from('<http://example.org/A> <http://www.w3.org/2000/01/rdf-schema#label> "bad '), Buffer.from([0xff]), Buffer.from('" .\n'),
      Buffer.from('<http://example.org/B> a <http://www.w3.org/2002/07/owl#Class> .\n'),
    ]);
    writeFileSync(file, bytes);
    const utf8 = new Utf8Check();
    const scan = await scanOntologyFile(file, 'ntriples', { utf8 });
    const throughN3 = await parseRdfFile(file, 'ntriples', () => undefined);
    expect(throughN3.problem).not.toBeNull();
    expect(scan.problem).toEqual(throughN3.problem);
    expect(scan.problem?.line).toBe(3);
    expect(scan.triples).toBe(throughN3.triples);
    expect(utf8.finish()).toBe(good.length + '<http://example.org/A> <http://www.w3.org/2000/01/rdf-schema#label> "bad '.length);
  });

  it('a large file: counted and checked as UTF-8 as far as N3 alone reads it, no further, and no byte twice', async () => {
    // Line 2 is Turtle's `a` (the reader refuses, N3 fails there); a byte that is not UTF-8
    // lies in the third read chunk, which N3 never reaches: as before the reader, the check
    // does not see it. In the second file the refused line is valid (no spaces), so N3 reads
    // on to the end and the check finds the byte.
    const good = '<http://example.org/s> <http://example.org/p> "0123456789012345678901234567890123456789" .\n';
    const filler = good.repeat(Math.ceil((2 * CHUNK_BYTES + 1000) / good.length));
    const bad = Buffer.from([0xff]);
    const broken = path.join(dir, 'broken-large.nt');
    writeFileSync(broken, Buffer.concat([Buffer.from(`${good}<http://example.org/s> a <http://example.org/C> .\n${filler}`), bad, Buffer.from(' .\n')]));
    const tight = path.join(dir, 'tight-large.nt');
    const tightText = Buffer.concat([Buffer.from(`${good}<http://example.org/s><http://example.org/p><http://example.org/o>.\n${filler}"`), bad]);
    writeFileSync(tight, Buffer.concat([tightText.subarray(0, tightText.length - 2), Buffer.from('<http://example.org/s> <http://example.org/p> "'), bad, Buffer.from('" .\n')]));
    for (const [file, expected] of [[broken, 'n3-stops'], [tight, 'to-the-end']] as const) {
      const utf8 = new Utf8Check();
      let bytes = 0;
      const scan = await scanOntologyFile(file, 'ntriples', { utf8, onBytes: (n) => { bytes += n; } });
      // The reference: N3 alone, through the same reads.
      const alone = new Utf8Check();
      let aloneBytes = 0;
      const throughN3 = await parseRdfFile(file, 'ntriples', () => undefined, { utf8: alone, onBytes: (n) => { aloneBytes += n; } });
      expect(scan.problem).toEqual(throughN3.problem);
      expect(bytes).toBe(aloneBytes);
      expect(utf8.finish()).toBe(alone.finish());
      if (expected === 'n3-stops') expect(bytes).toBe(CHUNK_BYTES);
      else expect(bytes).toBe(statSync(file).size);
    }
  });

  it('a valid file written without spaces between terms: N3 reads it, with its terms', async () => {
    const file = path.join(dir, 'tight.nt');
    writeFileSync(file, [
      '<http://example.org/A><http://www.w3.org/1999/02/22-rdf-syntax-ns#type><http://www.w3.org/2002/07/owl#Class>.',
      '<http://example.org/A><http://www.w3.org/2000/01/rdf-schema#label>"alpha"@en.',
    ].join('\n'));
    expect(await parseLineRdf(file, 'ntriples', () => undefined)).toHaveProperty('refusedAfter');
    const scan = await scanOntologyFile(file, 'ntriples');
    expect(scan.problem).toBeNull();
    expect(scan.triples).toBe(2);
    expect(scan.terms.map((term) => [term.id, term.labels[0]?.value])).toEqual([['http://example.org/A', 'alpha']]);
  });
});

describe('terms of a large N-Triples file', () => {
  it('a term only declared is told from one described, however many subjects lie between', async () => {
    // 10,000 other subjects: more than the collector keeps in order before it sets them apart.
    const RDF_TYPE = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
    const CLASS = '<http://www.w3.org/2002/07/owl#Class>';
    const lines = ['<http://example.org/Early> <http://example.org/note> "described first, typed last" .'];
    for (let i = 0; i < 10_000; i += 1) lines.push(`<http://example.org/x${i}> <http://example.org/p> "${i}" .`);
    lines.push(`<http://example.org/Declared> ${RDF_TYPE} ${CLASS} .`, `<http://example.org/Early> ${RDF_TYPE} ${CLASS} .`);
    const file = path.join(dir, 'many-subjects.nt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(await parseLineRdf(file, 'ntriples', () => undefined)).not.toHaveProperty('refusedAfter');
    const scan = await scanOntologyFile(file, 'ntriples');
    expect(scan.terms.map((term) => [term.id, term.declared_only ?? false])).toEqual([
      ['http://example.org/Declared', true],
      ['http://example.org/Early', false],
    ]);
  });
});
