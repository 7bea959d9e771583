-- Both term deltas name two more changes the term history already named (issue #16):
--
-- * UNDEPRECATED, a term deprecated in one release and live again in the next: a delta
--   that said nothing of it hid a reversed decision (EDAM beta08 -> beta10 brings two back).
-- * REPLACED, a deprecated term whose replacements changed. The whole-version delta only
--   compares terms whose state hash differs, and the hash left replacements out: it now
--   takes them in. A row without replacements keeps the hash it had (the same expression),
--   so only rows with replacements are hashed again here; no file is re-read.
--
-- The file-pair cache is dropped (recomputed from the files when next asked for) and made
-- again with the wider CHECK: DuckDB cannot change a CHECK constraint in place.
CREATE OR REPLACE MACRO term_state_hash(labels, definition_md5, deprecated, parents, replaced_by) AS
  CASE WHEN COALESCE(len(replaced_by), 0) = 0 THEN
    hash(
      CASE WHEN len(labels) = 0 OR (len(labels) = 1 AND labels[1] IS NOT NULL) THEN labels ELSE list_sort(list_distinct(labels)) END,
      definition_md5, deprecated,
      CASE WHEN len(parents) = 0 OR (len(parents) = 1 AND parents[1] IS NOT NULL) THEN parents ELSE list_sort(list_distinct(parents)) END)
  ELSE
    hash(
      CASE WHEN len(labels) = 0 OR (len(labels) = 1 AND labels[1] IS NOT NULL) THEN labels ELSE list_sort(list_distinct(labels)) END,
      definition_md5, deprecated,
      CASE WHEN len(parents) = 0 OR (len(parents) = 1 AND parents[1] IS NOT NULL) THEN parents ELSE list_sort(list_distinct(parents)) END,
      list_sort(list_distinct(replaced_by)))
  END;

UPDATE file_terms SET state_hash = term_state_hash(labels, definition_md5, deprecated, parents, replaced_by)
WHERE COALESCE(len(replaced_by), 0) > 0;

DELETE FROM term_delta_runs;
DROP TABLE term_changes;
CREATE TABLE term_changes (
  old_file_id  UUID    NOT NULL,
  new_file_id  UUID    NOT NULL,
  term         VARCHAR NOT NULL,
  term_kind    VARCHAR NOT NULL,
  change       VARCHAR NOT NULL CHECK (change IN ('ADDED', 'REMOVED', 'RELABELLED', 'REDEFINED', 'REPARENTED', 'RETYPED', 'DEPRECATED', 'UNDEPRECATED', 'REPLACED')),
  old_label    VARCHAR,
  new_label    VARCHAR,
  before       VARCHAR,
  after        VARCHAR,
  PRIMARY KEY (old_file_id, new_file_id, term, change)
);
