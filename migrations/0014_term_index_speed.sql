-- The term index at full size (issue #16: 50 releases × ~50,000 terms): columns the
-- queries would otherwise compute on every row of every search, history and delta.
-- Content shared by many versions is still stored once (keyed by file sha256).

-- Lower-cased id, CURIE and label, so a case-insensitive search compares stored values
-- instead of lower-casing the whole dictionary on every keystroke.
ALTER TABLE term_keys ADD COLUMN term_lc VARCHAR;
ALTER TABLE term_keys ADD COLUMN curie_lc VARCHAR;
UPDATE term_keys SET term_lc = lower(term), curie_lc = lower(curie);
ALTER TABLE term_labels ADD COLUMN label_lc VARCHAR;
UPDATE term_labels SET label_lc = lower(label);

-- The part of a term's state the whole-version delta compares (its labels, definition,
-- parents and deprecated flag, lists as sets), hashed: when two states' hashes are equal
-- the states are taken as equal, and only terms whose hashes differ are compared in full.
-- (A false "equal" needs a 64-bit collision between the two states of one term; a hash
-- that changes with a DuckDB upgrade only sends more terms to the full comparison.)
-- A version's state of a term held by one file is that file row's hash; a term held by
-- several files of a version is hashed from the merged state with the same macro.
CREATE MACRO term_state_hash(labels, definition_md5, deprecated, parents) AS
  hash(list_sort(list_distinct(labels)), definition_md5, deprecated, list_sort(list_distinct(parents)));

ALTER TABLE file_terms ADD COLUMN state_hash UBIGINT;
UPDATE file_terms SET state_hash = term_state_hash(labels, definition_md5, deprecated, parents);

-- One term's rows (history, the versions a search hit exists in) are read through this
-- index instead of every row of every indexed content.
CREATE INDEX file_terms_term_key ON file_terms (term_key);
