-- The term index at full size, second step (issue #16): a small table derived from
-- file_terms, which stays the source of truth. It depends on contents only (a content's
-- terms never change and an indexed content is never dropped), so it is written once, in
-- the transaction that records the content; which versions hold a content
-- (extracted_files, the latest pointer, prune) is still read at query time.

-- The set of contents each term key is in, shared: most terms live in one run of
-- releases, so a few thousand sets stand for every key. A search maps matched keys to
-- their sets, and the sets (not 1.25M term rows) to versions and services. A new content
-- makes each set its keys had into a new one (made_from + made_with); sets no key uses
-- any more stay, unread.
CREATE SEQUENCE term_presence_seq START 1;
CREATE TABLE term_presence_sets (
  presence_id  INTEGER   NOT NULL,
  content_ids  INTEGER[] NOT NULL,
  made_from    INTEGER,
  made_with    INTEGER
);
CREATE TABLE term_key_presence (
  term_key     INTEGER NOT NULL,
  presence_id  INTEGER NOT NULL
);

-- Backfill from the rows already indexed.
INSERT INTO term_presence_sets (presence_id, content_ids)
SELECT nextval('term_presence_seq'), content_ids FROM (
  SELECT DISTINCT list_sort(list_distinct(list(content_id))) AS content_ids FROM file_terms GROUP BY term_key
);

INSERT INTO term_key_presence
SELECT k.term_key, p.presence_id
FROM (SELECT term_key, list_sort(list_distinct(list(content_id))) AS content_ids FROM file_terms GROUP BY term_key) k
JOIN term_presence_sets p ON p.content_ids = k.content_ids
ORDER BY k.term_key;

