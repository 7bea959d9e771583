-- An OBO file's bare relation ids are read as the IRIs its own header gives them
-- (issue #16): `default-relationship-id-prefix: EDAM` with `idspace: EDAM
-- http://edamontology.org/` makes `has_format` http://edamontology.org/has_format, the IRI
-- EDAM's OWL releases use. Read as written, EDAM's twelve relations were removed and added
-- again between its last OBO release (1.2) and its first OWL-only one (1.3).
--
-- Only an OBO content with a relation whose id has no prefix can change; its header
-- decides. Such contents are re-read by the next backfill or validation that meets them
-- (term-index.ts, TERM_INDEX_RULES 5), and one whose ids changed is recorded again. Every
-- other content is right as recorded under the rules of 0025; contents still under older
-- rules stay outdated.
UPDATE term_index_contents SET rules = 5
WHERE rules = 4
  AND content_id NOT IN (
    SELECT t.content_id FROM file_terms t JOIN term_keys k ON k.term_key = t.term_key
    WHERE t.kind = 'object_property' AND NOT contains(k.term, ':'));

-- The per-file term deltas cached for OBO files name relations by the ids read before; the
-- cache is recomputed from the files when missing (as 0022 did for all of it).
DELETE FROM term_changes
WHERE old_file_id IN (SELECT file_id FROM extracted_files WHERE format = 'obo')
   OR new_file_id IN (SELECT file_id FROM extracted_files WHERE format = 'obo');
DELETE FROM term_delta_runs
WHERE old_file_id IN (SELECT file_id FROM extracted_files WHERE format = 'obo')
   OR new_file_id IN (SELECT file_id FROM extracted_files WHERE format = 'obo');
