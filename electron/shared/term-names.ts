/**
 * The term search modes and term delta kinds, without zod.
 *
 * contract/terms.ts builds its schemas from these; the CLI imports them from here, so a
 * command that runs through a running app does not load zod and the channel schemas.
 */
export const TERM_MATCHES = ['exact', 'prefix', 'contains'] as const;
export type TermMatch = (typeof TERM_MATCHES)[number];

export const TERM_DELTA_KINDS = ['ADDED', 'REMOVED', 'RELABELLED', 'REDEFINED', 'REPARENTED', 'RETYPED', 'DEPRECATED', 'UNDEPRECATED', 'REPLACED'] as const;
export type TermDeltaKind = (typeof TERM_DELTA_KINDS)[number];

/**
 * What contents recorded under older term index rules miss, in words (term-index.ts,
 * TERM_INDEX_RULES): read again, their terms may change definition, an OBO file's
 * relations their ids, and a term's alternative ids become terms.
 */
export const OLDER_RULES_MISS = 'parts of some definitions and synonyms (a term’s other languages, oboInOwl:hasDefinition, OBO texts with quotes not escaped), the ids OBO relations stand for (their xrefs, their header’s prefix or ontology) and alternative ids (alt_id, hasAlternativeId) as deprecated terms, and took RDF text that is not UTF-8 (now refused) as if it were';
