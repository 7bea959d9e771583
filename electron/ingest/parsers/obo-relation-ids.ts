/**
 * The ids an OBO file's bare relation ids stand for, by the file's own stanzas and header.
 *
 * An OBO relation is mostly written by a short name (`part_of`), while OWL names it by an
 * IRI. Read as written, one relation was two terms in the OBO and the OWL release of one
 * ontology, and a curator saw it removed and added again. Three rules map such ids, in this
 * order; the OWL API's converter applies the first and the third (OWLAPIObo2Owl.oboIdToIRI
 * and translateShorthandIdToExpandedId), and EDAM's releases need the second:
 *
 * - Shorthand (OBO 1.4 5.9.3): a `[Typedef]` with a bare id and an xref stands for that
 *   xref's id. With several xrefs, the last one in RO or BFO wins, else the first
 *   (GO's `part_of`, xrefs `BFO:0000050` and `OBO_REL:part_of`, is `BFO:0000050`, which
 *   GO's OWL files use). ROBOT writes its OBO files this way (docs/examples/example.obo and
 *   example.owl are one ontology).
 * - Header: `default-relationship-id-prefix: EDAM` prefixes every bare relation id
 *   (`has_format` is `EDAM:has_format`), and `idspace: EDAM http://edamontology.org/` maps
 *   that prefix to IRIs (`http://edamontology.org/has_format`), the IRIs EDAM's OWL
 *   releases use for the same twelve relations.
 * - Ontology (the OWL API's rule for any other bare id, oboIdToIRI): the id is local to the
 *   ontology the header names, `http://purl.obolibrary.org/obo/<ontology>#<id>`. SO's
 *   `adjacent_to` (`ontology: so`, no xref) is `http://purl.obolibrary.org/obo/so#adjacent_to`,
 *   the IRI SO's OWL release of the same date uses for it; so are all fifty of SO's relations.
 *   A header that names its ontology by an IRI (EDAM's `http://edamontology.org`) or none
 *   gives no such IRI (the OWL API would make `…/obo/http://…#id` or `…/obo/TEMP#id`).
 *
 * An id written with a prefix stays as written.
 */
import type { OboStanza, OboTag } from './parse-obo.js';

/** The id a relation id stands for; the id itself when nothing maps it. */
export type RelationIdOf = (id: string) => string;

const isBare = (id: string): boolean => id !== '' && !id.includes(':') && !/\s/.test(id);

/** The xref id a `[Typedef]` with a bare id stands for (5.9.3), or null. */
export function shorthandTarget(stanza: OboStanza): string | null {
  if (stanza.type !== 'Typedef' || !isBare(stanza.id)) return null;
  let target: string | null = null;
  for (const tag of stanza.tags) {
    if (tag.tag !== 'xref') continue;
    const xref = tag.value.trim().split(/\s+/)[0] ?? '';
    if (xref === stanza.id || !xref.includes(':')) continue;
    if (target === null || /^(RO|BFO):/.test(xref)) target = xref;
  }
  return target;
}

/**
 * The mapping of bare relation ids: first the shorthands (bare id → xref id, from
 * `shorthandTarget` over the file's typedefs), then the header's default prefix and its
 * idspace, then the header's ontology.
 */
export function oboRelationIds(header: readonly OboTag[], shorthands: ReadonlyMap<string, string>): RelationIdOf {
  const ontologyBase = ontologyIdBase(header);
  const prefix = header.find((tag) => tag.tag === 'default-relationship-id-prefix')?.value.trim();
  let base: string | undefined;
  for (const tag of prefix ? header : []) {
    if (tag.tag !== 'idspace') continue;
    const [space, iri] = tag.value.trim().split(/\s+/);
    // The first declaration of a space wins, as for any repeated header tag read here.
    if (space === prefix && iri && base === undefined) base = iri;
  }
  const iriBase = base !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(base) ? base : null;
  if (shorthands.size === 0 && iriBase === null && ontologyBase === null) return (id) => id;
  return (id) => {
    if (!isBare(id)) return id;
    const target = shorthands.get(id);
    if (target !== undefined) return target;
    if (iriBase !== null) return `${iriBase}${id}`;
    return ontologyBase === null ? id : `${ontologyBase}${javaUrlEncode(id)}`;
  };
}

/**
 * The id of a name that is no relation (a `subsetdef` or `synonymtypedef` name, a term's
 * `alt_id`) as the OWL API gives it: a bare one local to the ontology (SO's `SOFA` is
 * `http://purl.obolibrary.org/obo/so#SOFA`), or null when the header's ontology is no bare
 * name to put it in (none, or an IRI such as EDAM 1.2's `http://edamontology.org`); one
 * written with a prefix as written.
 */
export function oboLocalId(header: readonly OboTag[]): (name: string) => string | null {
  const base = ontologyIdBase(header);
  return (name) => (!isBare(name) ? (name.includes(':') ? name : null) : base === null ? null : `${base}${javaUrlEncode(name)}`);
}

/**
 * The id of a term's `alt_id`: as oboLocalId, except under a header whose ontology is an IRI,
 * where a bare one is in that IRI's namespace. EDAM 1.2 names `http://edamontology.org` and
 * writes `alt_id: topic_0197`; EDAM's own OWL release of 1.2 gives that class
 * `hasAlternativeId http://edamontology.org/topic_0197`, so the term merged in 1.1 stays
 * merged in 1.2 instead of reading as removed. (The OWL API would make it
 * `…/obo/http://edamontology.org#topic_0197`, an IRI no release uses.)
 */
export function oboAltId(header: readonly OboTag[]): (name: string) => string | null {
  const local = oboLocalId(header);
  const ontology = header.find((tag) => tag.tag === 'ontology')?.value.trim() ?? '';
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/.test(ontology)) return local;
  const namespace = /[/#]$/.test(ontology) ? ontology : `${ontology}/`;
  return (name) => local(name) ?? (isBare(name) ? `${namespace}${name}` : null);
}

/** `http://purl.obolibrary.org/obo/<ontology>#` for a header's `ontology: <name>`, or null. */
function ontologyIdBase(header: readonly OboTag[]): string | null {
  const ontology = header.find((tag) => tag.tag === 'ontology')?.value.trim() ?? '';
  return /^[A-Za-z0-9_.-]+$/.test(ontology) ? `http://purl.obolibrary.org/obo/${ontology}#` : null;
}

/**
 * A local id as the OWL API puts it in an IRI: Java's URLEncoder (UTF-8 bytes; letters,
 * digits and `.-*_` kept, every other byte as `%XX`). Bare ids hold no white space.
 */
function javaUrlEncode(id: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(id)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9.*_-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
