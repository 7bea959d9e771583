import type { Utf8Check } from './utf8-check.js';
import type { ExtractedTerm } from './term-collector.js';

/**
 * Shared shapes of the streaming parsers: where a syntax problem is, what a parse saw,
 * and how a caller steers a parse (cancel, byte progress).
 */

/** A syntax problem at a position; `line` and `col` are 1-based, null when the parser cannot tell. */
export interface SyntaxProblem {
  readonly message: string;
  readonly line: number | null;
  readonly col: number | null;
}

/** What a caller hands to a parse: a cancel signal and a sink for bytes read so far. */
export interface ParseControl {
  readonly signal?: AbortSignal;
  /** Called with the number of bytes read since the previous call. */
  readonly onBytes?: (bytes: number) => void;
  /**
   * Base IRI for relative IRIs in RDF formats (RDF/XML `rdf:about="#A"`, Turtle `<#A>`),
   * standing in for the document's URL. Keep it stable (derived from the file's path in
   * the version, not the disk) so term ids compare across versions.
   */
  readonly baseIri?: string;
  /** Sees every byte read, to tell whether the file is UTF-8 (the parsers read it as such). */
  readonly utf8?: Utf8Check;
  /**
   * Bytes at the file's start that an earlier read of it already counted (`onBytes`) and
   * checked (`utf8`): a second read (N3 after the line reader refused a file) reports only
   * what lies past them, so a file is counted and checked once, as far as its last read went.
   */
  readonly reportedBytes?: number;
  /**
   * Called with each term as soon as it is final, before the file is read to its end (an
   * OBO [Term] or [Instance] stanza; a relation's ids wait for the whole file): the term
   * index records a large file's terms while the rest of it is parsed. Every term handed
   * here is also in the scan's `terms`, as the same object.
   */
  readonly onFinalTerm?: (term: ExtractedTerm) => void;
}

/** An RDF/JS-shaped term, as N3, rdfxml-streaming-parser and jsonld all produce. */
export interface RdfTermLike {
  readonly termType: string;
  readonly value: string;
  readonly language?: string;
  readonly datatype?: { readonly value: string };
}

/** Receives every triple (or quad, graph ignored) a parse produces. */
export type TripleSink = (subject: RdfTermLike, predicate: RdfTermLike, object: RdfTermLike) => void;

/** The outcome of one parse: a problem (first syntax error) or none, plus counts. */
export interface ParseOutcome {
  readonly problem: SyntaxProblem | null;
  /** Triples (or quads) for RDF formats; axioms for OWL/XML; null where it does not apply. */
  readonly triples: number | null;
  /** Format-specific counts: stanzas, records, columns, elements, … */
  readonly counts: Readonly<Record<string, number>>;
  /** Findings that are not syntax errors but stop a full check (e.g. a remote JSON-LD context). */
  readonly notices: readonly ParseNotice[];
}

export interface ParseNotice {
  readonly rule: string;
  readonly message: string;
  /** WARN makes it a finding (not passed); INFO, the default, is only recorded. */
  readonly severity?: 'WARN' | 'INFO';
  readonly line?: number;
  readonly col?: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Thrown inside a parse when its signal aborts; callers turn it into CANCELLED. */
export class ParseAborted extends Error {
  override readonly name = 'ParseAborted';
  constructor() {
    super('The parse was cancelled.');
  }
}
