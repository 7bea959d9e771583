/**
 * The term extractor: the classes, properties and individuals of an ontology file.
 *
 * One entry point, `scanOntologyFile`, streams a file of any ontology format
 * (ONTOLOGY_FORMATS: the RDF formats, OWL/XML and OBO) once and returns both the syntax
 * outcome and the terms; `extractTerms` is the convenience form that fails on a syntax
 * error. Validation's quality checks and the term-level delta are both built on it.
 */
import path from 'node:path';
import { OntocatError } from '../../shared/errors.js';
import { ONTOLOGY_FORMATS, type FileFormat } from '../../shared/formats.js';
import { oboAltId, oboLocalId, oboRelationIds, shorthandTarget, type RelationIdOf } from './obo-relation-ids.js';
import { parseOboFile, unescapeObo, type OboStanza, type OboStanzaType, type OboTag } from './parse-obo.js';
import { parseOwlXmlFile } from './parse-owlxml.js';
import { parseLineRdf } from './parse-line-rdf.js';
import { parseRdfFile, type StreamRdfFormat } from './parse-rdf.js';
import { ParseAborted, type ParseControl, type ParseOutcome } from './parse-types.js';
import { withAltIdTerms } from './alt-id-terms.js';
import { TermCollector, type ExtractedTerm, type TermKind } from './term-collector.js';
import { SUBSET_PROPERTY, SYNONYM_TYPE_PROPERTY } from './vocabulary.js';

export type { ExtractedTerm, TermKind, TermLabel } from './term-collector.js';

/** An id that several OBO stanzas share; the term list keeps the first stanza only. */
export interface DuplicateTerm {
  readonly id: string;
  readonly kind: TermKind;
  /** The `[Term]` / `[Typedef]` / `[Instance]` line of every stanza with this id, in file order. */
  readonly lines: readonly number[];
}

/** The syntax outcome of a file plus its terms (those read before a syntax error, if any). */
export interface OntologyScan extends ParseOutcome {
  /** One entry per distinct id. */
  readonly terms: readonly ExtractedTerm[];
  /** Ids used by more than one stanza (OBO only; an RDF IRI is one term by nature). */
  readonly duplicates: readonly DuplicateTerm[];
}

const oboKinds: Readonly<Record<OboStanzaType, TermKind>> = { Term: 'class', Typedef: 'object_property', Instance: 'individual' };

/** OBO 1.4 `synonym` and the OBO 1.2 scoped forms. */
const OBO_SYNONYM_TAGS: ReadonlySet<string> = new Set(['synonym', 'exact_synonym', 'narrow_synonym', 'broad_synonym', 'related_synonym']);

/**
 * Turns one OBO stanza into a term, its ids as written.
 *
 * A `[Typedef]` with `is_metadata_tag: true` is an annotation property (OWL's reading of
 * it, OWLAPIObo2Owl); any other is an object property.
 */
export function oboStanzaToTerm(stanza: OboStanza): ExtractedTerm {
  const values = (tag: string): string[] => stanza.tags.filter((t) => t.tag === tag).map((t) => t.value);
  const metadata = stanza.type === 'Typedef' && values('is_metadata_tag').includes('true');
  return {
    id: stanza.id,
    kind: metadata ? 'annotation_property' : oboKinds[stanza.type],
    labels: values('name').map((value) => ({ value, lang: null })),
    definitions: values('def').map((value) => ({ value, lang: null })),
    deprecated: values('is_obsolete').includes('true'),
    replaced_by: values('replaced_by'),
    consider: values('consider'),
    synonyms: stanza.tags.filter((t) => OBO_SYNONYM_TAGS.has(t.tag)).map((t) => t.value),
    parents: values('is_a'),
    line: stanza.line,
    // `property_value: IAO:0000600 "…" xsd:string`: an elucidation (OBO 1.4's form of the annotation).
    ...(values('property_value').some((value) => /^IAO:0000600\s/.test(value)) ? { elucidated: true } : {}),
  };
}

/**
 * A relation term with its ids (own, is_a, replaced_by, consider) as `relationId` maps
 * them; the id as written stays its alias, the name a curator knows it by.
 */
function withRelationIds(term: ExtractedTerm, relationId: RelationIdOf): ExtractedTerm {
  const id = relationId(term.id);
  return {
    ...term, id, parents: term.parents.map(relationId),
    replaced_by: term.replaced_by.map(relationId), consider: term.consider.map(relationId),
    ...(id === term.id ? {} : { aliases: [term.id] }),
  };
}

/**
 * Reads an OBO file into one term per distinct id and the ids several stanzas share. The
 * first stanza of an id is the term: merging unrelated stanzas (EDAM 1.1 gives one id to
 * two operations) would give one term the labels of both.
 *
 * Relations' bare ids become the ids the file's typedefs and header give them
 * (obo-relation-ids.ts), once the whole file is read: a typedef's xref may come after
 * another typedef's is_a names it.
 *
 * An `alt_id` of a term or relation is a term of its own, deprecated and replaced by the
 * stanza's id (alt-id-terms.ts); so are the header's subset and synonym type names
 * (headerNameTerms), as the OWL API reads them.
 */
async function scanOboFile(filePath: string, control: ParseControl): Promise<OntologyScan> {
  const terms: ExtractedTerm[] = [];
  const relations = new Set<number>();
  const duplicates = new Map<string, { id: string; kind: TermKind; lines: number[] }>();
  const shorthands = new Map<string, string>();
  const altIds: { of: number; ids: string[] }[] = [];
  let header: readonly OboTag[] = [];
  const outcome = await parseOboFile(filePath, {
    onHeader(tags) {
      header = tags;
    },
    onDuplicate({ id, first, again }) {
      const entry = duplicates.get(id) ?? { id, kind: oboKinds[first.type], lines: [first.line] };
      entry.lines.push(again.line);
      duplicates.set(id, entry);
    },
    onStanza(stanza) {
      if (stanza.type === 'Typedef') {
        relations.add(terms.length);
        const target = shorthandTarget(stanza);
        if (target !== null) shorthands.set(stanza.id, target);
      }
      const term = oboStanzaToTerm(stanza);
      const alts = term.kind === 'annotation_property' || stanza.type === 'Instance' ? [] : stanza.tags.filter((tag) => tag.tag === 'alt_id').map((tag) => tag.value.trim());
      if (alts.length > 0) altIds.push({ of: terms.length, ids: alts });
      terms.push(term);
      // A [Term] or [Instance] is final here: only relations' ids are mapped once the whole
      // file is read; alt_id and header terms are added then, next to these.
      if (stanza.type !== 'Typedef') control.onFinalTerm?.(term);
    },
  }, control);
  const mapped = oboRelationIds(header, shorthands);
  // One term per id stays true: a relation whose mapped id another stanza has, or another
  // relation maps to as well, keeps the id it is written with (no real file tested does this).
  const written = new Set(terms.map((term) => term.id));
  const targets = new Map<string, number>();
  for (const i of relations) {
    const target = mapped(terms[i]!.id);
    targets.set(target, (targets.get(target) ?? 0) + 1);
  }
  const relationId: RelationIdOf = (id) => {
    const target = mapped(id);
    return target === id || written.has(target) || (targets.get(target) ?? 0) > 1 ? id : target;
  };
  const read = relations.size === 0 ? terms : terms.map((term, i) => (relations.has(i) ? withRelationIds(term, relationId) : term));
  // A term's alt_id as the OWL API resolves it (a bare one in the header's ontology), or in
  // the namespace of an ontology IRI as EDAM's own OWL release writes it (oboAltId).
  const termAltId = oboAltId(header);
  const stanzaTerms = altIds.length === 0 ? read : withAltIdTerms(read, altIds.map(({ of, ids }) => ({
    of, ids: relations.has(of) ? ids.map(relationId) : ids.flatMap((id) => termAltId(id) ?? []),
  })));
  const declared = headerNameTerms(header, new Set(stanzaTerms.map((term) => term.id)));
  return {
    ...outcome,
    terms: declared.length === 0 ? stanzaTerms : [...declared, ...stanzaTerms],
    duplicates: [...duplicates.values()].map((entry) => (entry.kind === 'object_property' ? { ...entry, id: relationId(entry.id) } : entry)),
  };
}

/**
 * The annotation properties the header declares, as the OWL API reads them (trHeaderFrame):
 * each `subsetdef` a sub-property of oboInOwl:SubsetProperty, each `synonymtypedef` one of
 * oboInOwl:SynonymTypeProperty labelled by its description. Only names that get an id
 * (oboLocalId) count, and not one a stanza has; the first declaration of a name wins.
 */
function headerNameTerms(header: readonly OboTag[], stanzaIds: ReadonlySet<string>): ExtractedTerm[] {
  const idOf = oboLocalId(header);
  const terms = new Map<string, ExtractedTerm>();
  for (const tag of header) {
    if (tag.tag !== 'subsetdef' && tag.tag !== 'synonymtypedef') continue;
    const name = tag.value.trim().split(/\s+/)[0] ?? '';
    const id = idOf(name);
    if (id === null || stanzaIds.has(id) || terms.has(id)) continue;
    const description = /"((?:[^"\\]|\\.)*)"/.exec(tag.value)?.[1];
    const synonymType = tag.tag === 'synonymtypedef';
    terms.set(id, {
      id, kind: 'annotation_property',
      labels: synonymType && description !== undefined ? [{ value: unescapeObo(description), lang: null }] : [],
      definitions: [], deprecated: false, replaced_by: [], consider: [], synonyms: [],
      parents: [synonymType ? SYNONYM_TYPE_PROPERTY : SUBSET_PROPERTY], line: tag.line,
    });
  }
  return [...terms.values()];
}

/** The base IRI used when none is given: `file:///<file name>`, independent of the folder it sits in. */
export function defaultBaseIri(filePath: string): string {
  return `file:///${encodeURIComponent(path.basename(filePath))}`;
}

/** True when the format holds terms this module can list. */
export function canExtractTerms(format: string): format is FileFormat {
  return ONTOLOGY_FORMATS.has(format as FileFormat);
}

/**
 * Streams an ontology file once: syntax outcome, counts and terms.
 *
 * Relative IRIs resolve against `options.baseIri` (default `defaultBaseIri(filePath)`);
 * pass one derived from the file's path inside its version so ids compare across versions.
 *
 * Never throws for a syntax error (it is in `problem`); throws OntocatError BAD_INPUT for
 * a format without terms, CANCELLED when `control.signal` aborts, and I/O errors as is.
 */
export async function scanOntologyFile(filePath: string, format: FileFormat, options: ParseControl = {}): Promise<OntologyScan> {
  const control: ParseControl = { ...options, baseIri: options.baseIri ?? defaultBaseIri(filePath) };
  try {
    if (format === 'obo') return await scanOboFile(filePath, control);
    let collector = new TermCollector();
    let outcome: ParseOutcome;
    if (format === 'ntriples' || format === 'nquads') {
      const fast = await parseLineRdf(filePath, format, collector.add, control);
      if (!('refusedAfter' in fast)) return { ...fast, terms: collector.terms(), duplicates: [] };
      // Not decided there: N3 reads it again into fresh terms, counting and checking only the
      // bytes past those the line reader read (as far as N3 alone would have).
      collector = new TermCollector();
      outcome = await parseRdfFile(filePath, format, collector.add, { ...control, reportedBytes: fast.refusedAfter });
    } else if (format === 'owlxml') outcome = await parseOwlXmlFile(filePath, collector.add, control);
    else if (canExtractTerms(format)) outcome = await parseRdfFile(filePath, format as StreamRdfFormat, collector.add, control);
    else throw new OntocatError('BAD_INPUT', `Format '${format}' has no terms to extract; expected one of ${[...ONTOLOGY_FORMATS].join(', ')}.`);
    return { ...outcome, terms: collector.terms(), duplicates: [] };
  } catch (error) {
    if (error instanceof ParseAborted) throw new OntocatError('CANCELLED', 'Term extraction was cancelled.');
    throw error;
  }
}

/**
 * Lists the terms of an ontology file: `{ id, kind, labels, definitions, deprecated,
 * replaced_by, consider, line }`, sorted by id (OBO: in file order).
 *
 * Terms are IRIs typed owl:Class, rdfs:Class, owl:ObjectProperty, owl:DatatypeProperty,
 * owl:AnnotationProperty, rdf:Property or owl:NamedIndividual (OBO: stanzas with an id);
 * blank nodes never are. Fails with BAD_INPUT on a syntax error, naming the line.
 */
export async function extractTerms(filePath: string, format: FileFormat, control: ParseControl = {}): Promise<ExtractedTerm[]> {
  const scan = await scanOntologyFile(filePath, format, control);
  if (scan.problem) {
    const where = scan.problem.line !== null ? ` at line ${scan.problem.line}${scan.problem.col !== null ? `, column ${scan.problem.col}` : ''}` : '';
    throw new OntocatError('BAD_INPUT', `Cannot list the terms of ${filePath}: syntax error${where}: ${scan.problem.message}`);
  }
  return [...scan.terms];
}
