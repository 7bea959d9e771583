-- A file pair's term delta names every kind of change the whole-version delta names
-- (issue #16): redefined, re-parented and changed kind joined added, removed, relabelled and
-- deprecated. Before, a curator who opened one file from a version delta saying "3
-- redefined" found no such term in that file's delta. `before` and `after` say what changed
-- as the version delta's columns of those names do: the definitions or labels one side
-- alone has, the parents or kinds of each side, a deprecated term's replacement.
--
-- term_changes and term_delta_runs are a cache of per-file comparisons, recomputed from
-- the files when missing, so the rows computed before are dropped rather than shown
-- without the kinds they did not look for. A relabel's labels that one side alone has move
-- from old_label / new_label to before / after; old_label and new_label are now always the
-- label each side shows the term by. DuckDB cannot change a CHECK constraint in
-- place: the table is made again.
DELETE FROM term_delta_runs;
-- The parsers (VALIDATOR_VERSION) and the term rules (TERM_INDEX_RULES) a comparison was
-- made under: one made under others is computed again when next asked for, where before
-- each change of parser had to drop the cache in a migration (0022, 0026, 0027).
ALTER TABLE term_delta_runs ADD COLUMN validator_version INTEGER;
ALTER TABLE term_delta_runs ADD COLUMN rules INTEGER;
DROP TABLE term_changes;
CREATE TABLE term_changes (
  old_file_id  UUID    NOT NULL,
  new_file_id  UUID    NOT NULL,
  term         VARCHAR NOT NULL,
  term_kind    VARCHAR NOT NULL,
  change       VARCHAR NOT NULL CHECK (change IN ('ADDED', 'REMOVED', 'RELABELLED', 'REDEFINED', 'REPARENTED', 'RETYPED', 'DEPRECATED')),
  old_label    VARCHAR,
  new_label    VARCHAR,
  before       VARCHAR,
  after        VARCHAR,
  PRIMARY KEY (old_file_id, new_file_id, term, change)
);
