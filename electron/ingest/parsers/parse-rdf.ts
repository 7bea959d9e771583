// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- jsonld ships no types; the reference makes every tsconfig that reaches this file (node, test) see them
/// <reference path="./jsonld.d.ts" />
import { readFile, stat } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type JsonLd from 'jsonld';
import { StreamParser } from 'n3';
import type * as RdfXml from 'rdfxml-streaming-parser';
import { JsonScanner, JsonSyntax } from './check-json.js';
import { readChunks, readTextChunks } from './read-chunks.js';
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
async function streamThrough(filePath: string, parser: NodeJS.ReadWriteStream, sink: TripleSink, control: ParseControl): Promise<ParseOutcome> {
  let triples = 0;
  const consumer = new Writable({
    objectMode: true,
    highWaterMark: 1024,
    write(quad: QuadLike, _encoding, callback) {
      triples += 1;
      sink(quad.subject, quad.predicate, quad.object);
      callback();
    },
  });
  let problem: SyntaxProblem | null = null;
  try {
    await pipeline(Readable.from(readChunks(filePath, control)), parser, consumer);
  } catch (error) {
    if (error instanceof ParseAborted) throw error;
    if (control.signal?.aborted) throw new ParseAborted();
    if ((error as NodeJS.ErrnoException).code && /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code!)) throw error;
    problem = problemOf(error);
  }
  return { problem, triples, counts: {}, notices: [] };
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
  const document: unknown = JSON.parse(await readFile(filePath, 'utf8'));
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
  if (format === 'rdfxml') {
    const { RdfXmlParser } = loadParser<typeof RdfXml>('rdfxml-streaming-parser');
    return streamThrough(filePath, new RdfXmlParser({ trackPosition: true, ...(control.baseIri ? { baseIRI: control.baseIri } : {}) }) as unknown as NodeJS.ReadWriteStream, sink, control);
  }
  const parser = new StreamParser({ format: n3Formats[format], ...(control.baseIri ? { baseIRI: control.baseIri } : {}) });
  return streamThrough(filePath, parser as unknown as NodeJS.ReadWriteStream, sink, control);
}
