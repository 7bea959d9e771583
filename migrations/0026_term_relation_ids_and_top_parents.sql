-- Relations and parents as an OWL reading of the same release gives them (issue #16):
--
-- * An OBO file's bare relation ids stand for the ids its typedefs' xrefs and its header
--   give them (electron/ingest/parsers/obo-relation-ids.ts): GO's `part_of`
--   (xref BFO:0000050) is BFO:0000050, as in GO's OWL files; EDAM's `has_format`
--   (default-relationship-id-prefix EDAM, idspace EDAM http://edamontology.org/) is
--   http://edamontology.org/has_format, as in EDAM's OWL releases. Read as written, each
--   such relation was removed and added again when a release moved from OBO to OWL, and
--   a version holding both files listed it twice. A typedef marked is_metadata_tag is an
--   annotation property.
-- * The id an OBO file writes for such a relation (`part_of`), and an OWL property's
--   oboInOwl:shorthand, are the term's aliases: a search or a history finds the term by
--   them (term_labels rows marked alias, matched as ids are).
-- * owl:Thing (and the top object and data properties) is no parent: every class is one.
--   A class ROBOT writes with `subClassOf owl:Thing` in OWL and without it in OBO read as
--   re-parented between the two.
--
-- Only an OBO content with a relation whose id has no prefix, an RDF content with a
-- property under http://purl.obolibrary.org/obo/ (where oboInOwl:shorthand is written), or
-- a content with a row under such a top, can change. Those are re-read by the next backfill
-- or validation that meets them (term-index.ts, TERM_INDEX_RULES 5); one whose ids changed
-- is recorded again. Every other content is right as recorded under the rules of 0025;
-- contents still under older rules stay outdated.
ALTER TABLE term_index_stage ADD COLUMN aliases VARCHAR;
ALTER TABLE term_labels ADD COLUMN alias BOOLEAN DEFAULT false;

UPDATE term_index_contents SET rules = 5
WHERE rules = 4
  AND content_id NOT IN (
    SELECT t.content_id FROM file_terms t JOIN term_keys k ON k.term_key = t.term_key
    WHERE t.kind = 'object_property' AND NOT contains(k.term, ':'))
  AND content_id NOT IN (
    SELECT t.content_id FROM file_terms t JOIN term_keys k ON k.term_key = t.term_key
    WHERE t.kind IN ('object_property', 'annotation_property') AND starts_with(k.term, 'http://purl.obolibrary.org/obo/'))
  AND content_id NOT IN (
    SELECT content_id FROM file_terms
    WHERE list_has_any(parents, ['owl:Thing', 'owl:topObjectProperty', 'owl:topDataProperty']));

-- The per-file term deltas cached for OBO files name relations by the ids read before; the
-- cache is recomputed from the files when missing (as 0022 did for all of it).
DELETE FROM term_changes
WHERE old_file_id IN (SELECT file_id FROM extracted_files WHERE format = 'obo')
   OR new_file_id IN (SELECT file_id FROM extracted_files WHERE format = 'obo');
DELETE FROM term_delta_runs
WHERE old_file_id IN (SELECT file_id FROM extracted_files WHERE format = 'obo')
   OR new_file_id IN (SELECT file_id FROM extracted_files WHERE format = 'obo');
