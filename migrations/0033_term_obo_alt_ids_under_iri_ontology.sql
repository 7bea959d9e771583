-- A bare alt_id in an OBO file whose header names its ontology by IRI (issue #16's term
-- index; electron/ingest/parsers/obo-relation-ids.ts, oboAltId):
--
-- EDAM 1.2 (`ontology: http://edamontology.org`) writes `alt_id: topic_0197`; it gave no
-- term, so EDAM_topic:0197, merged into EDAM_topic:0203 in 1.1, read as removed in 1.2,
-- while EDAM's own OWL release of 1.2 still has it as an alternative id of that class. It is
-- now http://edamontology.org/topic_0197, deprecated and replaced as in 1.1.
--
-- Only an OBO content with terms can change, and the index keeps no header to tell which have an IRI
-- ontology: every OBO content stays under the rules of 0032 and is re-read by the next
-- backfill or validation that meets it (term-index.ts, TERM_INDEX_RULES 8); every other
-- content is right as recorded. Cached file-pair term deltas name the rules they were
-- computed under, so they are computed again when asked for.
UPDATE term_index_contents SET rules = 8
WHERE rules = 7 AND (format <> 'obo' OR terms = 0);
