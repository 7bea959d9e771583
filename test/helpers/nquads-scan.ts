/**
 * Line scans of N-Quads files, the outside truth for term answers: nothing here shares code
 * with the parsers or the index (a statement per line, literals read with JSON.parse).
 */
import { readFileSync } from 'node:fs';
import { curieOf } from '../../electron/shared/curie.js';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const TERM_TYPES = new Set([
  'http://www.w3.org/2002/07/owl#Class', 'http://www.w3.org/2000/01/rdf-schema#Class', 'http://www.w3.org/2002/07/owl#ObjectProperty',
  'http://www.w3.org/2002/07/owl#DatatypeProperty', 'http://www.w3.org/2002/07/owl#AnnotationProperty',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#Property', 'http://www.w3.org/2002/07/owl#NamedIndividual',
]);
export const LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';
const PARENTS = new Set(['http://www.w3.org/2000/01/rdf-schema#subClassOf', 'http://www.w3.org/2000/01/rdf-schema#subPropertyOf']);

export interface NqTerm { labels: Set<string>; parents: Set<string> }

/** Each statement of an N-Quads file, by line matching: subject, predicate, and the rest (object and graph). */
function* nquadStatements(file: string): Generator<[string, string, string]> {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^<([^>]+)> <([^>]+)> (.*)$/.exec(line);
    if (m) yield [m[1]!, m[2]!, m[3]!];
  }
}

/** The IRI a statement's rest starts with, if its object is one. */
const iriObject = (rest: string): string | undefined => /^<([^>]+)>/.exec(rest)?.[1];

/** Whether a statement types its subject as a term. */
const typesTerm = (p: string, rest: string): boolean => p === RDF_TYPE && TERM_TYPES.has(iriObject(rest) ?? '');

/** Terms of an N-Quads file by line matching: typed IRIs, their label values and named parents. */
export function scanNquads(file: string): Map<string, NqTerm> {
  const typed = new Set<string>();
  const info = new Map<string, NqTerm>();
  const get = (s: string): NqTerm => info.get(s) ?? (info.set(s, { labels: new Set(), parents: new Set() }), info.get(s)!);
  for (const [s, p, rest] of nquadStatements(file)) {
    if (typesTerm(p, rest)) {
      typed.add(s);
    } else if (p === LABEL) {
      const lit = /^("(?:[^"\\]|\\.)*")/.exec(rest)?.[1];
      if (lit) get(s).labels.add(JSON.parse(lit) as string);
    } else if (PARENTS.has(p)) {
      const o = iriObject(rest);
      if (o && o !== s) get(s).parents.add(curieOf(o) ?? o);
    }
  }
  const terms = new Map<string, NqTerm>();
  for (const s of typed) terms.set(s, info.get(s) ?? { labels: new Set(), parents: new Set() });
  return terms;
}

/**
 * Each typed term's kind by its RDF types, the strongest when it has several (a punned class
 * is a class), in the words the index uses; by line matching.
 */
export function scanKinds(file: string): Map<string, string> {
  const strongestFirst = [
    ['http://www.w3.org/2002/07/owl#Class', 'class'], ['http://www.w3.org/2000/01/rdf-schema#Class', 'class'],
    ['http://www.w3.org/2002/07/owl#ObjectProperty', 'object_property'], ['http://www.w3.org/2002/07/owl#DatatypeProperty', 'datatype_property'],
    ['http://www.w3.org/2002/07/owl#AnnotationProperty', 'annotation_property'], ['http://www.w3.org/1999/02/22-rdf-syntax-ns#Property', 'property'],
    ['http://www.w3.org/2002/07/owl#NamedIndividual', 'individual'],
  ];
  const rank = new Map(strongestFirst.map(([type], i) => [type!, i]));
  const best = new Map<string, number>();
  for (const [s, p, rest] of nquadStatements(file)) {
    const r = p === RDF_TYPE ? rank.get(iriObject(rest) ?? '') : undefined;
    if (r !== undefined && r < (best.get(s) ?? Infinity)) best.set(s, r);
  }
  return new Map([...best].map(([s, r]) => [s, strongestFirst[r]![1]!]));
}

export const PREF_LABEL = 'http://www.w3.org/2004/02/skos/core#prefLabel';

/**
 * The label each typed term of an N-Quads file should be shown by, by line matching: its
 * first English label, else its first without a language, else its first.
 */
export function scanShownLabels(file: string): Map<string, string> {
  const shown = new Map<string, string>();
  for (const [s, all] of scanTermLiterals(file, new Set([LABEL, PREF_LABEL]))) if (all.length > 0) shown.set(s, shownValue(all));
  return shown;
}

/** Each typed term of an N-Quads file with its literals of `predicates` (value and language) in file order, by line matching. */
export function scanTermLiterals(file: string, predicates: ReadonlySet<string>): Map<string, ScannedLiteral[]> {
  const typed = new Set<string>();
  const literals = new Map<string, ScannedLiteral[]>();
  for (const [s, p, rest] of nquadStatements(file)) {
    if (typesTerm(p, rest)) {
      typed.add(s);
    } else if (predicates.has(p)) {
      const lit = /^("(?:[^"\\]|\\.)*")(?:@([A-Za-z0-9-]+))?/.exec(rest);
      if (lit) literals.set(s, [...(literals.get(s) ?? []), { value: JSON.parse(lit[1]!) as string, lang: lit[2]?.toLowerCase() ?? null }]);
    }
  }
  return new Map([...typed].map((s) => [s, literals.get(s) ?? []]));
}

/** The value a term is shown by: the first English one, then en-*, then one without a language, then the first. */
export const shownValue = (all: readonly ScannedLiteral[]): string =>
  (all.find((l) => l.lang === 'en') ?? all.find((l) => l.lang?.startsWith('en-')) ?? all.find((l) => l.lang === null) ?? all[0]!).value;

/** A literal's value and language (lower-cased; null for none). */
export type ScannedLiteral = { value: string; lang: string | null };

const DEFINITIONS: ReadonlySet<string> = new Set(['http://purl.obolibrary.org/obo/IAO_0000115', 'http://www.w3.org/2004/02/skos/core#definition']);

/**
 * The terms of two releases whose definition sets differ, each with the definitions the
 * older alone has (gone) and the newer alone has (added), ' | '-joined in code-point order.
 */
export function scanRedefinitions(older: string, newer: string): { id: string; gone: string | null; added: string | null }[] {
  const [a, b] = [scanTermLiterals(older, DEFINITIONS), scanTermLiterals(newer, DEFINITIONS)];
  const values = (all: readonly ScannedLiteral[]): Set<string> => new Set(all.map((l) => l.value));
  const only = (x: Set<string>, y: Set<string>): string | null => [...x].filter((v) => !y.has(v)).sort().join(' | ') || null;
  return [...b.keys()].filter((id) => a.has(id)).sort()
    .map((id) => ({ id: curieOf(id) ?? id, gone: only(values(a.get(id)!), values(b.get(id)!)), added: only(values(b.get(id)!), values(a.get(id)!)) }))
    .filter((row) => row.gone !== null || row.added !== null);
}

/** Each typed term's definitions, as scanTermLiterals reads them. */
export function scanDefinitions(file: string): Map<string, ScannedLiteral[]> {
  return scanTermLiterals(file, DEFINITIONS);
}
