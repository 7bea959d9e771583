-- RDF text syntaxes and JSON-LD are UTF-8 by their specifications: a file of N-Triples,
-- N-Quads, Turtle, TriG or JSON-LD whose bytes are not UTF-8 now fails its syntax check
-- (VALIDATOR_VERSION 20), where rdflib refuses it. Before, it parsed with U+FFFD in place
-- of each such byte, and the term index took its terms with those letters lost.
--
-- Only a content whose recorded text holds U+FFFD can be one (a file may hold U+FFFD as
-- UTF-8, and then reads as before). Those go back under the rules before 0037, so the next
-- backfill or validation that meets them reads them again: a refused one leaves the index
-- (term-index.ts, recordUnparsableContents), any other is recorded as it was.
UPDATE term_index_contents SET rules = 7
WHERE rules >= 8
  AND format IN ('turtle', 'ntriples', 'nquads', 'trig', 'jsonld')
  AND content_id IN (
    SELECT t.content_id FROM file_terms t
    WHERE contains(coalesce(t.label, ''), chr(65533))
       OR contains(array_to_string(t.labels, ' '), chr(65533))
       OR contains(array_to_string(t.synonyms, ' '), chr(65533))
       OR t.definition_md5 IN (SELECT definition_md5 FROM term_definitions WHERE contains(definition, chr(65533))));
