-- oboInOwl:hasDefinition is read as a definition (issue #16). EDAM's OWL releases define
-- every term with it, and the index had no definition for them: between EDAM 1.2 (OBO and
-- OWL) and 1.3 (OWL only), 2,745 of 2,858 terms read as "redefined" to nothing.
--
-- OBO contents and contents without terms are right as recorded; an RDF content with terms
-- may hold such definitions, and is re-read by the next backfill or validation that meets
-- it (term-index.ts, TERM_INDEX_RULES 3).
UPDATE term_index_contents SET rules = 3 WHERE rules = 2 AND (format = 'obo' OR terms = 0);
