-- A term deprecated in one release and live again in the next is a change both term deltas
-- name (UNDEPRECATED), as the term history already did: a delta that said nothing of it
-- hid a decision a curator reverses a deprecation for. The file-pair cache is dropped
-- (recomputed from the files when next asked for) and made again with the wider CHECK:
-- DuckDB cannot change a CHECK constraint in place.
DELETE FROM term_delta_runs;
DROP TABLE term_changes;
CREATE TABLE term_changes (
  old_file_id  UUID    NOT NULL,
  new_file_id  UUID    NOT NULL,
  term         VARCHAR NOT NULL,
  term_kind    VARCHAR NOT NULL,
  change       VARCHAR NOT NULL CHECK (change IN ('ADDED', 'REMOVED', 'RELABELLED', 'REDEFINED', 'REPARENTED', 'RETYPED', 'DEPRECATED', 'UNDEPRECATED')),
  old_label    VARCHAR,
  new_label    VARCHAR,
  before       VARCHAR,
  after        VARCHAR,
  PRIMARY KEY (old_file_id, new_file_id, term, change)
);
