// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- jsonld ships no types; the reference makes every tsconfig that reaches this file (node, test) see them
/// <reference path="./jsonld.d.ts" />
import { EventEmitter } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type JsonLd from 'jsonld';
import { Parser as N3Parser, type Quad } from 'n3';
import type * as RdfXml from 'rdfxml-streaming-parser';
import type { SaxesTagNS } from 'saxes';
import { JsonScanner, JsonSyntax } from './check-json.js';
import { feedStream } from './feed-stream.js';
import { readChunks, readTextChunks } from './read-chunks.js';
import { RdfXmlStructure } from './rdfxml-structure.js';
import { checkDoctype, DoctypeMalformed, useDoctypeEntities } from './xml-doctype.js';
import { readXmlChunks, XmlEncodingProblem } from './xml-encoding.js';
import { loadParser } from './load-parser.js';
import { ParseAborted, type ParseControl, type ParseNotice, type ParseOutcome, type RdfTermLike, type SyntaxProblem, type TripleSink } from './parse-types.js';

/** RDF formats parsed by this module (OWL/XML has its own reader). */
export type StreamRdfFormat = 'turtle' | 'ntriples' | 'nquads' | 'trig' | 'rdfxml' | 'jsonld';

const n3Formats: Readonly<Record<string, string>> = { turtle: 'Turtle', ntriples: 'N-Triples', nquads: 'N-Quads', trig: 'TriG' };

/**
 * The largest JSON-LD document expanded to RDF. The `jsonld` library works on a whole
 * document in memory; above this only streaming well-formedness is checked.
 */
export const JSONLD_MAX_BYTES = 256 * 1024 * 1024;

interface QuadLike {
  readonly subject: RdfTermLike;
  readonly predicate: RdfTermLike;
  readonly object: RdfTermLike;
}

/** Turns a parser error into a positioned problem: N3 keeps `context.line`, saxes-based parsers prefix `line:col:`. */
function problemOf(error: unknown): SyntaxProblem {
  const err = error as Error & { context?: { line?: number } };
  const message = (err?.message ?? String(error)).split('\n')[0] ?? 'Syntax error';
  const prefixed = /^(\d+):(\d+): (.*)$/.exec(message);
  if (prefixed) return { message: prefixed[3]!, line: Number(prefixed[1]), col: Number(prefixed[2]) };
  const spelled = /^Line (\d+) column (\d+): (.*)$/.exec(message);
  if (spelled) return { message: spelled[3]!, line: Number(spelled[1]), col: Number(spelled[2]) };
  const line = typeof err?.context?.line === 'number' ? err.context.line : Number(/ on line (\d+)/.exec(message)?.[1] ?? NaN);
  return { message, line: Number.isFinite(line) ? line : null, col: null };
}

/** Streams a file through an RDF/JS parser stream, calling `sink` per quad. */
async function streamThrough(filePath: string, parser: Duplex, sink: TripleSink, control: ParseControl, chunks: AsyncIterable<Buffer>): Promise<ParseOutcome> {
  let triples = 0;
  let problem: SyntaxProblem | null = null;
  try {
    await feedStream<QuadLike>(parser, chunks, (quad) => {
      triples += 1;
      sink(quad.subject, quad.predicate, quad.object);
    });
  } catch (error) {
    if (error instanceof ParseAborted) throw error;
    if (control.signal?.aborted) throw new ParseAborted();
    if ((error as NodeJS.ErrnoException).code && /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code!)) throw error;
    problem = error instanceof XmlEncodingProblem || error instanceof DoctypeMalformed ? { message: error.message, line: error.line, col: error.col } : problemOf(error);
  }
  return { problem, triples, counts: {}, notices: [] };
}

/**
 * Parses Turtle, N-Triples, N-Quads or TriG with N3.js, fed the file chunk by chunk.
 *
 * N3's parser reads from any emitter of `data` and `end` and calls back as it goes, so the
 * chunks are handed to it directly. Through a stream pipeline (N3's StreamParser) a file
 * of a few kilobytes cost about 250 µs of streams, abort signals and listeners besides its
 * parse, several times the parse itself, which made a package of many small N-Triples files
 * slow to validate. The first syntax error ends the parse; the triples before it count.
 */
async function parseN3(filePath: string, format: string, sink: TripleSink, control: ParseControl): Promise<ParseOutcome> {
  let triples = 0;
  let failure: unknown = null;
  const input = new EventEmitter();
  new N3Parser({ format, ...(control.baseIri ? { baseIRI: control.baseIri } : {}) }).parse(input, {
    onQuad: (error: Error | null, quad: Quad | null) => {
      if (failure !== null) return;
      if (error) failure = error;
      else if (quad) {
        triples += 1;
        sink(quad.subject, quad.predicate, quad.object);
      }
    },
  });
  for await (const chunk of readChunks(filePath, control)) {
    input.emit('data', chunk);
    if (failure !== null) break;
  }
  if (failure === null) input.emit('end');
  return { problem: failure === null ? null : problemOf(failure), triples, counts: {}, notices: [] };
}

/** The few members of saxes' parser that closing it at the end and checking its DOCTYPE need. */
interface ClosableSax {
  close(): void;
  on(event: 'error', handler: (error: Error) => void): void;
  on(event: 'doctype', handler: (doctype: string) => void): void;
  on(event: 'opentag', handler: (tag: SaxesTagNS) => void): void;
  on(event: 'closetag', handler: (tag: SaxesTagNS) => void): void;
  readonly line: number;
  readonly column: number;
  ENTITIES: Record<string, string>;
}

/**
 * An RDF/XML parser stream that also reports a document cut short.
 *
 * rdfxml-streaming-parser never closes its XML parser when the input ends, so a file
 * truncated before its closing tags (a partial download, say) parsed as valid. Closing
 * it in the stream's flush makes saxes report the unclosed element (or a missing root)
 * as the parse's error, with its position.
 */
function closingRdfXmlParser(baseIri: string | undefined): Duplex {
  const { RdfXmlParser } = loadParser<typeof RdfXml>('rdfxml-streaming-parser');
  const parser = new RdfXmlParser({ trackPosition: true, ...(baseIri ? { baseIRI: baseIri } : {}) });
  // A private field of the library: checked here, so an upgrade that renames it fails loudly.
  const sax = (parser as unknown as { saxParser?: ClosableSax }).saxParser;
  if (typeof sax?.close !== 'function') throw new Error('rdfxml-streaming-parser no longer keeps its XML parser as saxParser; the end-of-document check needs it.');
  // saxes finds a DOCTYPE's end but reads nothing in it: checked here, then its entities made
  // known as XML expands them (the parser's own reading, a pattern, takes values as written).
  const readDoctype = (parser as unknown as { onDoctype(doctype: string): void }).onDoctype.bind(parser);
  sax.on('doctype', (doctype) => {
    const facts = checkDoctype(doctype, sax.line);
    readDoctype(doctype);
    useDoctypeEntities(sax, facts);
  });
  // The element structure, followed before the parser reads each tag (see RdfXmlStructure).
  const library = parser as unknown as { onTag(tag: SaxesTagNS): void; onCloseTag(): void };
  const onTag = library.onTag.bind(parser);
  const onCloseTag = library.onCloseTag.bind(parser);
  const structure = new RdfXmlStructure();
  sax.on('opentag', (tag) => {
    const problem = structure.open(tag);
    // Positioned as saxes positions its own errors, which problemOf reads.
    if (problem) throw new Error(`${sax.line}:${sax.column}: ${problem}`);
    onTag(tag);
  });
  sax.on('closetag', () => {
    structure.close();
    onCloseTag();
  });
  parser._flush = (callback: (error?: Error | null) => void) => {
    let failure: Error | null = null;
    sax.on('error', (error) => {
      failure ??= error;
    });
    sax.close();
    callback(failure);
  };
  return parser as unknown as Duplex;
}

/** Thrown by the offline document loader; carries the URL that was refused. */
class RemoteRefused extends Error {
  constructor(readonly url: string) {
    super(`Remote document ${url} was not loaded.`);
  }
}

/** A JSON-LD document loader that never touches the network. */
async function offlineLoader(url: string): Promise<never> {
  throw new RemoteRefused(url);
}

function findRefusal(error: unknown, depth = 0): RemoteRefused | null {
  if (error instanceof RemoteRefused) return error;
  if (!error || typeof error !== 'object' || depth > 5) return null;
  const value = error as { cause?: unknown; details?: { cause?: unknown } };
  return findRefusal(value.details?.cause, depth + 1) ?? findRefusal(value.cause, depth + 1);
}

async function parseJsonLd(filePath: string, sink: TripleSink, control: ParseControl): Promise<ParseOutcome> {
  // Well-formedness first, streaming, so a broken file reports its line and column.
  const scanner = new JsonScanner();
  try {
    for await (const text of readTextChunks(filePath, control)) scanner.write(text);
    scanner.end();
  } catch (error) {
    if (!(error instanceof JsonSyntax)) throw error;
    return { problem: { message: error.message, line: error.line, col: error.col }, triples: null, counts: {}, notices: [] };
  }
  const size = (await stat(filePath)).size;
  if (size > JSONLD_MAX_BYTES) {
    return {
      problem: null, triples: null, counts: {},
      notices: [{ rule: 'too-large', message: `JSON-LD over ${JSONLD_MAX_BYTES / 1024 / 1024} MB is only checked for well-formedness (it is not expanded to RDF).` }],
    };
  }
  // A byte order mark is allowed before JSON text (the well-formedness scan skips it);
  // JSON.parse is not: it would read as an unreadable file.
  const document: unknown = JSON.parse((await readFile(filePath, 'utf8')).replace(/^\uFEFF/, ''));
  if (control.signal?.aborted) throw new ParseAborted();
  let quads: unknown;
  try {
    const jsonld = loadParser<typeof JsonLd>('jsonld');
    quads = await jsonld.toRDF(document, { documentLoader: offlineLoader, ...(control.baseIri ? { base: control.baseIri } : {}) });
  } catch (error) {
    const refused = findRefusal(error);
    if (refused) {
      const notice: ParseNotice = {
        rule: 'remote-context',
        message: `The document needs the remote context ${refused.url}; Ontocat never fetches from the network while validating, so its RDF could not be checked.`,
        details: { url: refused.url },
      };
      return { problem: null, triples: null, counts: {}, notices: [notice] };
    }
    const message = (error as Error).message ?? String(error);
    const details = (error as { details?: { code?: string } }).details;
    return { problem: { message: details?.code ? `${message} (${details.code})` : message, line: null, col: null }, triples: null, counts: {}, notices: [] };
  }
  let triples = 0;
  for (const quad of quads as QuadLike[]) {
    triples += 1;
    sink(quad.subject, quad.predicate, quad.object);
  }
  return { problem: null, triples, counts: {}, notices: [] };
}

/**
 * Parses an RDF file, streaming where the format allows, and feeds every triple to `sink`.
 *
 * Turtle, N-Triples, N-Quads and TriG go through N3.js, RDF/XML through
 * rdfxml-streaming-parser; both stream with bounded memory. JSON-LD is checked for
 * well-formedness while streaming, then expanded with `jsonld` and an offline document
 * loader. A syntax error ends the parse and is returned, never thrown; I/O errors and
 * cancellation (`ParseAborted`) are thrown.
 */
export async function parseRdfFile(filePath: string, format: StreamRdfFormat, sink: TripleSink, control: ParseControl = {}): Promise<ParseOutcome> {
  if (format === 'jsonld') return parseJsonLd(filePath, sink, control);
  if (format === 'rdfxml') return streamThrough(filePath, closingRdfXmlParser(control.baseIri), sink, control, readXmlChunks(filePath, control));
  return parseN3(filePath, n3Formats[format]!, sink, control);
}
