/**
 * Compact ids (CURIEs) for term IRIs whose prefix is known.
 *
 * OBO PURLs become their OBO id (`http://purl.obolibrary.org/obo/GO_0008150` →
 * `GO:0008150`), EDAM IRIs the id EDAM's own OBO releases use
 * (`http://edamontology.org/data_0006` → `EDAM_data:0006`), and the common W3C and
 * community vocabularies their usual prefix. An OBO id (`GO:0008150`) is its own CURIE.
 */

/** Namespace → prefix of the vocabularies whose CURIEs are well known. */
export const KNOWN_PREFIXES: readonly (readonly [string, string])[] = [
  ['http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'rdf'],
  ['http://www.w3.org/2000/01/rdf-schema#', 'rdfs'],
  ['http://www.w3.org/2002/07/owl#', 'owl'],
  ['http://www.w3.org/2001/XMLSchema#', 'xsd'],
  ['http://www.w3.org/2004/02/skos/core#', 'skos'],
  ['http://www.w3.org/ns/prov#', 'prov'],
  ['http://www.w3.org/ns/shacl#', 'sh'],
  ['http://www.w3.org/ns/dcat#', 'dcat'],
  ['http://www.w3.org/ns/org#', 'org'],
  ['http://www.w3.org/ns/sosa/', 'sosa'],
  ['http://www.w3.org/ns/ssn/', 'ssn'],
  ['http://www.w3.org/2006/time#', 'time'],
  ['http://purl.org/dc/terms/', 'dcterms'],
  ['http://purl.org/dc/elements/1.1/', 'dc'],
  ['http://xmlns.com/foaf/0.1/', 'foaf'],
  ['http://schema.org/', 'schema'],
  ['https://schema.org/', 'schema'],
  ['http://rdfs.org/ns/void#', 'void'],
  ['http://purl.org/vocab/vann/', 'vann'],
  ['http://www.geneontology.org/formats/oboInOwl#', 'oboInOwl'],
];

const OBO_PURL = /^http:\/\/purl\.obolibrary\.org\/obo\/([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9_]+)$/;
const EDAM_IRI = /^http:\/\/edamontology\.org\/(data|operation|topic|format)_([0-9]+)$/;
/** An OBO-style id: PREFIX:local with no scheme slashes. */
export const OBO_ID = /^[A-Za-z][A-Za-z0-9_.-]*:[^\s/][^\s]*$/;
const LOCAL_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Schemes whose ids look like OBO ids but are IRIs. */
const NOT_OBO_SCHEME = /^(urn|mailto|file|https?):/i;

/** The CURIE of a term id, or null when no prefix is known for it. */
export function curieOf(id: string): string | null {
  // Every namespace above has a scheme (`…://`): an id without one is an OBO id or has no CURIE.
  if (!id.includes('://')) return OBO_ID.test(id) && !NOT_OBO_SCHEME.test(id) ? id : null;
  const obo = OBO_PURL.exec(id);
  if (obo) return `${obo[1]}:${obo[2]}`;
  const edam = EDAM_IRI.exec(id);
  if (edam) return `EDAM_${edam[1]}:${edam[2]}`;
  for (const [namespace, prefix] of KNOWN_PREFIXES) {
    if (id.startsWith(namespace)) {
      const local = id.slice(namespace.length);
      return LOCAL_NAME.test(local) ? `${prefix}:${local}` : null;
    }
  }
  return null;
}

/** What makes two spellings of an id one term: its CURIE where known, else the id. */
export function termIdent(id: string): string {
  return curieOf(id) ?? id;
}

const NUMBERED_LOCAL = /^([A-Za-z][A-Za-z0-9]*)_([0-9]+)$/;

/**
 * The OBO-style id a bare name spells as the last segment of an EDAM IRI or an OBO PURL:
 * `topic_0003` is EDAM_topic:0003 (bio.tools and EDAM's own pages name it so) and
 * `GO_0008150` is GO:0008150; null for any other name. Only a numbered local id counts,
 * so a relation's bare name (`part_of`, `has_topic`) spells none.
 */
export function numberedLocalIdent(name: string): string | null {
  const edam = EDAM_IRI.exec(`http://edamontology.org/${name}`);
  if (edam) return `EDAM_${edam[1]}:${edam[2]}`;
  const numbered = NUMBERED_LOCAL.exec(name);
  return numbered ? `${numbered[1]}:${numbered[2]}` : null;
}
