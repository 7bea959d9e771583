-- An OBO definition or synonym whose text holds quotes its writer did not escape is read
-- whole (issue #16): EDAM 1.0 has 28 such definitions, EDAM 1.2 one, and the index kept
-- each cut short at its first inner quote ("… from the Ensembl 'core' database (").
--
-- RDF contents and contents without terms are right as recorded under the rules of 0024;
-- an OBO content with terms may hold such texts, and is re-read by the next backfill or
-- validation that meets it (term-index.ts, TERM_INDEX_RULES 4). RDF contents still under
-- older rules stay outdated.
UPDATE term_index_contents SET rules = 4 WHERE rules = 3 AND (terms = 0 OR format <> 'obo');
