import { OBO_ID } from '../../shared/curie.js';
import { withAltIdTerms, type AltIds } from './alt-id-terms.js';
import type { RdfTermLike } from './parse-types.js';
import {
  ALT_ID_PROPERTY, CONSIDER_PROPERTY, DECLARATION_PREDICATES, DEFINITION_PROPERTIES, DEPRECATED_PROPERTY, ELUCIDATION_PROPERTY, LABEL_PROPERTIES, OWL, PARENT_PROPERTIES, RDF, RDF_TYPE, RDFS, VACUOUS_PARENTS,
  REPLACED_BY_PROPERTIES, SHORTHAND_PROPERTY, SYNONYM_PROPERTIES,
} from './vocabulary.js';

/** What kind of term: the same names for RDF types and OBO stanzas. */
export type TermKind = 'class' | 'object_property' | 'datatype_property' | 'annotation_property' | 'property' | 'individual';

/** A label or definition with its language tag (null when it has none, as in OBO). */
export interface TermLabel {
  readonly value: string;
  readonly lang: string | null;
}

/** One term of an ontology file. */
export interface ExtractedTerm {
  /** The IRI (RDF formats) or the OBO id (`GO:0008150`). */
  readonly id: string;
  readonly kind: TermKind;
  /** rdfs:label and skos:prefLabel (OBO: `name`), in file order. */
  readonly labels: readonly TermLabel[];
  /** IAO:0000115 and skos:definition values (OBO: the text of `def`), in file order. */
  readonly definitions: readonly TermLabel[];
  /** owl:deprecated true (OBO: `is_obsolete: true`). */
  readonly deprecated: boolean;
  /** IAO:0100001 "term replaced by" (OBO: `replaced_by`). */
  readonly replaced_by: readonly string[];
  /** oboInOwl:consider (OBO: `consider`). */
  readonly consider: readonly string[];
  /** oboInOwl:has*Synonym and skos:altLabel values (OBO: the text of each `synonym`). */
  readonly synonyms: readonly string[];
  /** Direct named parents: rdfs:subClassOf / rdfs:subPropertyOf to an IRI (OBO: `is_a`). */
  readonly parents: readonly string[];
  /** Line where the term starts (OBO stanzas); null for RDF, whose parsers do not say. */
  readonly line: number | null;
  /**
   * It has an IAO:0000600 elucidation, the primitive terms' stand-in for a definition (BFO):
   * ROBOT's missing_definition passes over such terms.
   */
  readonly elucidated?: boolean;
  /**
   * Every triple with it as subject only declares it (rdf:type, owl:disjointWith, …): an
   * IRI the file uses but does not describe, such as another vocabulary's property.
   * ROBOT's missing_label and missing_definition pass over such entities. RDF only.
   */
  readonly declared_only?: boolean;
  /**
   * The short names the file also gives it: an OBO relation's id as written (`part_of`,
   * whose id is its xref's `BFO:0000050`), an OWL property's oboInOwl:shorthand.
   */
  readonly aliases?: readonly string[];
}

/** An IRI written as a literal (`http://edamontology.org/topic_0197`). */
const IRI_VALUE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/;

/** An alternative id an id can be made of: an IRI, or an OBO id (`BS:00003`). */
const isAltIdValue = (value: string): boolean => IRI_VALUE.test(value) || OBO_ID.test(value);

/** RDF types that make an IRI a term, strongest first (a punned class stays a class). */
const kindByType: ReadonlyMap<string, TermKind> = new Map([
  [`${OWL}Class`, 'class'],
  [`${RDFS}Class`, 'class'],
  [`${OWL}ObjectProperty`, 'object_property'],
  [`${OWL}DatatypeProperty`, 'datatype_property'],
  [`${OWL}AnnotationProperty`, 'annotation_property'],
  [`${RDF}Property`, 'property'],
  [`${OWL}NamedIndividual`, 'individual'],
]);
const kindRank: Readonly<Record<TermKind, number>> = {
  class: 0, object_property: 1, datatype_property: 2, annotation_property: 3, property: 4, individual: 5,
};

/** What a predicate means to the collector. */
const enum Role { Other, Declaration, Type, Label, Definition, Elucidation, Deprecated, ReplacedBy, Consider, Synonym, Shorthand, AltId, Parent }

/** The role of every predicate the collector reads; a declaration predicate (DECLARATION_PREDICATES) describes nothing. */
const predicateRoles: ReadonlyMap<string, Role> = new Map<string, Role>([
  ...[...DECLARATION_PREDICATES].map((p): [string, Role] => [p, Role.Declaration]),
  [RDF_TYPE, Role.Type],
  ...[...LABEL_PROPERTIES].map((p): [string, Role] => [p, Role.Label]),
  ...[...DEFINITION_PROPERTIES].map((p): [string, Role] => [p, Role.Definition]),
  [ELUCIDATION_PROPERTY, Role.Elucidation],
  [DEPRECATED_PROPERTY, Role.Deprecated],
  ...[...REPLACED_BY_PROPERTIES].map((p): [string, Role] => [p, Role.ReplacedBy]),
  [CONSIDER_PROPERTY, Role.Consider],
  ...[...SYNONYM_PROPERTIES].map((p): [string, Role] => [p, Role.Synonym]),
  [SHORTHAND_PROPERTY, Role.Shorthand],
  [ALT_ID_PROPERTY, Role.AltId],
  ...[...PARENT_PROPERTIES].map((p): [string, Role] => [p, Role.Parent]),
]);

/** Subjects kept in order before they go into the set: memory stays that of the set's. */
const UNDESCRIBED_LIMIT = 4096;

interface Draft {
  kind: TermKind | null;
  labels: TermLabel[];
  definitions: TermLabel[];
  deprecated: boolean;
  replaced_by: string[];
  consider: string[];
  synonyms: string[];
  parents: string[];
  elucidated: boolean;
  aliases?: string[];
  altIds?: string[];
}

function isTrue(term: RdfTermLike): boolean {
  return term.termType === 'Literal' && (term.value.trim() === 'true' || term.value.trim() === '1');
}

/**
 * Builds terms from a stream of triples, in one pass and without keeping the triples.
 *
 * Only subjects that are IRIs and carry a type, label, definition, deprecation,
 * replacement, synonym or parent are remembered, so memory grows with the number of terms, not the file.
 * A subject becomes a term only if it is typed with one of the term classes; blank
 * nodes never are.
 */
export class TermCollector {
  private readonly drafts = new Map<string, Draft>();
  /** Subjects of a triple that is not a declaration (DECLARATION_PREDICATES). */
  private readonly described = new Set<string>();
  /**
   * Subjects not yet added to `described`, in the order met: most files of a data dump have
   * no terms, and then the set is never needed (see `describedSet`).
   */
  private undescribed: string[] = [];
  /** The last subject taken for `described`: a file's triples about one subject mostly come together. */
  private lastDescribed = '';

  private draft(id: string): Draft {
    let draft = this.drafts.get(id);
    if (!draft) {
      draft = { kind: null, labels: [], definitions: [], deprecated: false, replaced_by: [], consider: [], synonyms: [], parents: [], elucidated: false };
      this.drafts.set(id, draft);
    }
    return draft;
  }

  /** Takes one triple; the signature matches `TripleSink`. */
  readonly add = (subject: RdfTermLike, predicate: RdfTermLike, object: RdfTermLike): void => {
    if (subject.termType !== 'NamedNode') return;
    // One lookup per triple: most predicates of a dump are none of these.
    const role = predicateRoles.get(predicate.value) ?? Role.Other;
    if (role !== Role.Type && role !== Role.Declaration && subject.value !== this.lastDescribed) {
      this.undescribed.push(subject.value);
      this.lastDescribed = subject.value;
      if (this.undescribed.length >= UNDESCRIBED_LIMIT) this.describedSet();
    }
    switch (role) {
      case Role.Other:
      case Role.Declaration:
        return;
      case Role.Type: {
        const kind = kindByType.get(object.value);
        if (!kind) return;
        const draft = this.draft(subject.value);
        if (draft.kind === null || kindRank[kind] < kindRank[draft.kind]) draft.kind = kind;
        return;
      }
      case Role.Label:
        if (object.termType === 'Literal') this.draft(subject.value).labels.push({ value: object.value, lang: object.language ? object.language.toLowerCase() : null });
        return;
      case Role.Definition:
        if (object.termType === 'Literal') this.draft(subject.value).definitions.push({ value: object.value, lang: object.language ? object.language.toLowerCase() : null });
        return;
      case Role.Elucidation:
        this.draft(subject.value).elucidated = true;
        return;
      case Role.Deprecated:
        if (isTrue(object)) this.draft(subject.value).deprecated = true;
        return;
      case Role.ReplacedBy:
        this.draft(subject.value).replaced_by.push(object.value);
        return;
      case Role.Consider:
        this.draft(subject.value).consider.push(object.value);
        return;
      case Role.Synonym:
        if (object.termType === 'Literal') this.draft(subject.value).synonyms.push(object.value);
        return;
      case Role.Shorthand:
        if (object.termType === 'Literal' && object.value.trim() !== '') (this.draft(subject.value).aliases ??= []).push(object.value.trim());
        return;
      case Role.AltId: {
        const value = object.termType === 'Literal' ? object.value.trim() : '';
        if (isAltIdValue(value)) (this.draft(subject.value).altIds ??= []).push(value);
        return;
      }
      case Role.Parent:
        // Anonymous superclasses (restrictions) are axioms, not parents.
        if (object.termType === 'NamedNode' && object.value !== subject.value && !VACUOUS_PARENTS.has(object.value)) this.draft(subject.value).parents.push(object.value);
        return;
    }
  };

  /** `described`, with the subjects met since it was last brought up to date. */
  private describedSet(): Set<string> {
    for (const subject of this.undescribed) this.described.add(subject);
    this.undescribed = [];
    return this.described;
  }

  /**
   * The terms seen so far, sorted by id, with a deprecated term for each alternative id a
   * class or object property gives (alt-id-terms.ts), as OBO's alt_id reads.
   */
  terms(): ExtractedTerm[] {
    const terms: ExtractedTerm[] = [];
    const altIds: AltIds[] = [];
    for (const [id, draft] of this.drafts) {
      if (draft.kind === null) continue;
      if (draft.altIds && (draft.kind === 'class' || draft.kind === 'object_property')) altIds.push({ of: terms.length, ids: draft.altIds });
      terms.push({
        id, kind: draft.kind, labels: draft.labels, definitions: draft.definitions, deprecated: draft.deprecated,
        replaced_by: draft.replaced_by, consider: draft.consider, synonyms: draft.synonyms, parents: draft.parents, line: null,
        ...(draft.elucidated ? { elucidated: true } : {}),
        ...(draft.aliases ? { aliases: draft.aliases } : {}),
        ...(this.describedSet().has(id) ? {} : { declared_only: true }),
      });
    }
    return (altIds.length === 0 ? terms : withAltIdTerms(terms, altIds)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
