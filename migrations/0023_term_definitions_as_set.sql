-- A term's definitions are a set, like its labels (issue #16). The index kept the first
-- definition in the file, and an RDF file's triples have no order: DCAT 2021 listed a new
-- Danish definition first, and five unchanged terms read as "redefined" against 2020.
-- Recording now keeps every definition (the shown one first, English before others) and
-- hashes them as a sorted set; for a term with one definition nothing changes.
--
-- Contents indexed under the old rules keep one definition, and a label order that put
-- the first label in the file first. `rules` says which rules recorded a content: an RDF
-- content with terms recorded before this migration is re-read by the next backfill or
-- validation that meets it (OBO gives one `def` and no languages, so its rows are right).
ALTER TABLE term_index_contents ADD COLUMN rules INTEGER DEFAULT 1;
UPDATE term_index_contents SET rules = 2 WHERE format = 'obo' OR terms = 0;
