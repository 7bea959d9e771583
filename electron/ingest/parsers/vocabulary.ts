/** IRIs the term extractor and quality checks look for. */
export const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
export const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
export const OWL = 'http://www.w3.org/2002/07/owl#';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const SKOS = 'http://www.w3.org/2004/02/skos/core#';
export const OBO = 'http://purl.obolibrary.org/obo/';
export const OBO_IN_OWL = 'http://www.geneontology.org/formats/oboInOwl#';

/** oboInOwl:shorthand: the OBO id of a relation the OWL file names by an IRI (`part_of`). */
export const SHORTHAND_PROPERTY = `${OBO_IN_OWL}shorthand`;

export const RDF_TYPE = `${RDF}type`;

/** Annotation properties read as labels. */
export const LABEL_PROPERTIES: ReadonlySet<string> = new Set([`${RDFS}label`, `${SKOS}prefLabel`]);
/**
 * Annotation properties read as definitions (IAO:0000115 "definition", skos:definition, and
 * oboInOwl:hasDefinition with a literal value, the OBO `def` as EDAM's OWL releases carry it
 * for every term). The older oboInOwl mapping's form, a node whose rdfs:label holds the
 * text, is not read: no release this project tests against uses it.
 */
export const DEFINITION_PROPERTIES: ReadonlySet<string> = new Set([`${OBO}IAO_0000115`, `${SKOS}definition`, `${OBO_IN_OWL}hasDefinition`]);
/** IAO:0000600 "elucidation": how a primitive term is explained where it cannot be defined. */
export const ELUCIDATION_PROPERTY = `${OBO}IAO_0000600`;
export const DEPRECATED_PROPERTY = `${OWL}deprecated`;
/** IAO:0100001 "term replaced by" (what OBO `replaced_by` becomes in OWL). */
export const REPLACED_BY_PROPERTIES: ReadonlySet<string> = new Set([`${OBO}IAO_0100001`, `${OBO_IN_OWL}replacedBy`]);
export const CONSIDER_PROPERTY = `${OBO_IN_OWL}consider`;
/** oboInOwl:hasAlternativeId: OBO's alt_id in OWL (a literal id). */
export const ALT_ID_PROPERTY = `${OBO_IN_OWL}hasAlternativeId`;
/** Synonym annotations (oboInOwl's four scopes, skos:altLabel). */
export const SYNONYM_PROPERTIES: ReadonlySet<string> = new Set([
  `${OBO_IN_OWL}hasExactSynonym`, `${OBO_IN_OWL}hasRelatedSynonym`, `${OBO_IN_OWL}hasNarrowSynonym`, `${OBO_IN_OWL}hasBroadSynonym`, `${SKOS}altLabel`,
]);
/** Direct-parent properties: rdfs:subClassOf and rdfs:subPropertyOf to a named term (OBO: `is_a`). */
export const PARENT_PROPERTIES: ReadonlySet<string> = new Set([`${RDFS}subClassOf`, `${RDFS}subPropertyOf`]);

/**
 * The tops of OWL's hierarchies: every class is an owl:Thing, so `subClassOf owl:Thing`
 * says nothing and is no parent. Kept as one, a class ROBOT writes with it in OWL and
 * without it in OBO (its docs/examples/example.owl and .obo) read as re-parented when a
 * release moved from one format to the other.
 */
export const VACUOUS_PARENTS: ReadonlySet<string> = new Set([`${OWL}Thing`, `${OWL}topObjectProperty`, `${OWL}topDataProperty`]);

/**
 * Predicates that only declare an entity or relate it to others (ROBOT's report queries
 * missing_label and missing_definition): an IRI that is the subject of nothing else is
 * declared, not described, and those checks pass over it.
 */
export const DECLARATION_PREDICATES: ReadonlySet<string> = new Set([
  RDF_TYPE, `${OWL}equivalentClass`, `${OWL}disjointWith`, `${OWL}equivalentProperty`, `${OWL}sameAs`, `${OWL}differentFrom`, `${OWL}inverseOf`,
]);
/** oboInOwl:SubsetProperty: the parent of an OBO subset's annotation property, which those checks pass over too. */
export const SUBSET_PROPERTY = `${OBO_IN_OWL}SubsetProperty`;
/** The property an OBO header's synonym types are sub-properties of in OWL. */
export const SYNONYM_TYPE_PROPERTY = `${OBO_IN_OWL}SynonymTypeProperty`;

/** Namespaces of the built-in vocabularies; their IRIs are never checked as the ontology's own terms. */
export const BUILT_IN_NAMESPACES: readonly string[] = [RDF, RDFS, OWL, XSD];
