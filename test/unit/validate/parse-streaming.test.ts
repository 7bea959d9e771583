import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDelimitedFile } from '../../../electron/ingest/parsers/check-delimited.js';
import { feedStream } from '../../../electron/ingest/parsers/feed-stream.js';
import { parseRdfFile } from '../../../electron/ingest/parsers/parse-rdf.js';
import { ParseAborted } from '../../../electron/ingest/parsers/parse-types.js';
import { CHUNK_BYTES } from '../../../electron/ingest/parsers/read-chunks.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-parse-streaming')));
afterAll(() => cleanup());

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Lines of N-Triples, each with a multi-byte character, until the text spans `chunks` read chunks. */
function nTriples(chunks: number): string[] {
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < chunks * CHUNK_BYTES + 1000; i += 1) {
    const line = `<http://example.org/s${i}> <http://example.org/label> "größe ${i} — ${'x'.repeat(i % 97)}"@de .\n`;
    lines.push(line);
    bytes += Buffer.byteLength(line);
  }
  return lines;
}

const noTriples = (): void => undefined;

describe('parsing a file that spans several read chunks', () => {
  it('N-Triples: every line is one triple, with characters split across chunk boundaries', async () => {
    const lines = nTriples(3);
    const file = write('many.nt', lines.join(''));
    const outcome = await parseRdfFile(file, 'ntriples', noTriples);
    expect(outcome.problem).toBeNull();
    // The reference is the line count of the text written, not anything the parser says.
    expect(outcome.triples).toBe(lines.length);
  });

  it('N-Triples: an error on the last line of a multi-chunk file is reported on that line', async () => {
    const lines = nTriples(2);
    lines.push('<http://example.org/bro ken> <http://example.org/p> "a space in an IRI" .\n');
    const outcome = await parseRdfFile(write('broken.nt', lines.join('')), 'ntriples', noTriples);
    expect(outcome.problem?.line).toBe(lines.length);
    expect(outcome.triples).toBe(lines.length - 1);
  });

  it('RDF/XML: every description is counted, and a tag left open at the end is an error', async () => {
    const count = Math.ceil((2 * CHUNK_BYTES) / 120);
    const body = Array.from({ length: count }, (_, i) => `  <rdf:Description rdf:about="http://example.org/s${i}"><ex:label>größe ${i}</ex:label></rdf:Description>\n`).join('');
    const head = '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n';
    const good = await parseRdfFile(write('many.rdf', `${head}${body}</rdf:RDF>\n`), 'rdfxml', noTriples);
    expect(good.problem).toBeNull();
    expect(good.triples).toBe(count);
    // Cut short before the closing root tag, as a partial download is.
    const cut = await parseRdfFile(write('open.rdf', `${head}${body}`), 'rdfxml', noTriples);
    expect(cut.problem?.message).toMatch(/unclosed tag: rdf:RDF/);
    expect(cut.problem?.line).toBe(count + 3);
    const midway = `${head}${body}`.slice(0, CHUNK_BYTES + 500);
    expect((await parseRdfFile(write('midway.rdf', midway), 'rdfxml', noTriples)).problem?.message).toMatch(/unclosed tag/);
  });

  it('CSV: every record of a multi-chunk file is counted; a quote left open at the very end is an error', async () => {
    const rows = Math.ceil((2 * CHUNK_BYTES) / 30);
    const text = `id,label\n${Array.from({ length: rows }, (_, i) => `${i},"größe ${i}, ok"\n`).join('')}`;
    const good = await checkDelimitedFile(write('many.csv', text), 'csv');
    expect(good.problem).toBeNull();
    expect(good.counts).toEqual({ records: rows + 1, columns: 2 });
    const bad = await checkDelimitedFile(write('open.csv', `${text}${rows},"never closed\n`), 'csv');
    expect(bad.problem?.message).toMatch(/quote/i);
  });

  it('a cancelled parse stops between chunks with ParseAborted', async () => {
    const file = write('cancel.nt', nTriples(3).join(''));
    const controller = new AbortController();
    await expect(parseRdfFile(file, 'ntriples', noTriples, { signal: controller.signal, onBytes: () => controller.abort() })).rejects.toBeInstanceOf(ParseAborted);
  });
});

describe('RDF/XML cut short, on documents nobody here wrote', () => {
  it('every W3C RDF/XML suite document that parses and ends its rdf:RDF fails once that closing tag is cut off', async () => {
    const suite = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11', 'rdf-xml');
    const documents = readdirSync(suite, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.rdf')).sort();
    let checked = 0;
    const passedCut: string[] = [];
    for (const name of documents) {
      const text = readFileSync(path.join(suite, name), 'utf8');
      const close = text.lastIndexOf('</rdf:RDF>');
      if (close < 0 || text.slice(close + '</rdf:RDF>'.length).trim() !== '') continue;
      const whole = await parseRdfFile(path.join(suite, name), 'rdfxml', noTriples);
      if (whole.problem) continue; // a negative test of the suite: an error already
      const cut = await parseRdfFile(write(`cut-${checked}.rdf`, text.slice(0, close)), 'rdfxml', noTriples);
      if (!cut.problem) passedCut.push(name);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(100);
    expect(passedCut).toEqual([]);
  });
});

/** A parser stream that gives each chunk's text back and fails on a chunk reading "bad". */
function echoParser(): Transform {
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      const text = chunk.toString();
      done(text === 'bad' ? new Error('bad input') : null, text);
    },
  });
}

describe('feedStream', () => {
  it('hands over every item in order and resolves when the parser ends', async () => {
    const items: string[] = [];
    await feedStream<string>(echoParser(), (async function* chunks() {
      for (const text of ['a', 'b', 'c']) yield Buffer.from(text);
    })(), (item) => items.push(item));
    expect(items).toEqual(['a', 'b', 'c']);
  });

  it("rejects with the parser's first error and reads no further chunks", async () => {
    let pulled = 0;
    const chunks = (async function* chunks() {
      for (const text of ['a', 'bad', 'c', 'd']) {
        pulled += 1;
        yield Buffer.from(text);
      }
    })();
    await expect(feedStream<string>(echoParser(), chunks, () => undefined)).rejects.toThrow('bad input');
    expect(pulled).toBeLessThanOrEqual(3);
  });

  it("rejects with the chunks' own error and destroys the parser", async () => {
    const parser = echoParser();
    const chunks = (async function* chunks() {
      yield Buffer.from('a');
      throw Object.assign(new Error('disk gone'), { code: 'EIO' });
    })();
    await expect(feedStream<string>(parser, chunks, () => undefined)).rejects.toThrow('disk gone');
    expect(parser.destroyed).toBe(true);
  });
});
