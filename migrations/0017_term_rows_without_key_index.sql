-- One term's rows are read through the contents that hold it (term_key_presence, 0015)
-- instead of an ART index on file_terms(term_key) (issue #16). Keeping that index cost
-- more than the rest of recording a release: about 460 ms of a 1,030 ms recording of
-- 50,000 terms went into the commit's index inserts, against 5 ms of a history's p50 and
-- nothing at its p95 (and the first history after opening the catalog was slower with it,
-- loading the index). A history now reads only the row groups of the contents holding
-- the term, so its cost follows the size of the term's service, not of the catalog.
DROP INDEX IF EXISTS file_terms_term_key;
