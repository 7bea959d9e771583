-- Alternative ids, ontology-local relations and header names, as the OWL API reads an OBO
-- file (issue #16; electron/ingest/parsers/alt-id-terms.ts, obo-relation-ids.ts):
--
-- * An alt_id (OBO) or oboInOwl:hasAlternativeId value (OWL) is a deprecated term replaced
--   by the term that gives it. A term merged into another read as removed in the release of
--   the merge, and a search for its id found nothing; SO's OWL release holds each of its
--   OBO release's 132 alt_ids as such a class.
-- * A bare relation id that neither its xref nor the header's relation prefix maps is in the
--   ontology the header names: SO's `part_of` is http://purl.obolibrary.org/obo/so#part_of,
--   as SO's OWL release names it (read as written, all fifty of SO's relations were removed
--   and added again between its OBO and OWL files).
-- * An OBO header's subsetdef and synonymtypedef names are annotation properties in that
--   ontology, as in the OWL release.
--
-- Any OBO content, and any other content with terms, can change; they are re-read by the
-- next backfill or validation that meets them (TERM_INDEX_RULES 6), and one whose ids
-- changed is recorded again. A content without terms has none to give an alternative id.
UPDATE term_index_contents SET rules = 6
WHERE rules = 5 AND terms = 0 AND format <> 'obo';

-- The cached per-file term deltas were computed under the rules before; each is computed
-- again from its files when asked for (as 0022 did).
DELETE FROM term_changes;
DELETE FROM term_delta_runs;
