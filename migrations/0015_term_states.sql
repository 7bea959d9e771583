-- The term index at full size, second step (issue #16): small tables derived from
-- file_terms, which stays the source of truth. Everything here depends on contents only
-- (a content's terms never change and an indexed content is never dropped), so it is
-- written once, in the transaction that records the content; which versions hold a
-- content (extracted_files, the latest pointer, prune) is still read at query time.

-- Each distinct state of a term (all of a file_terms row but its content): a term keeps
-- its state over many releases, so ~220k states stand for 2.5M rows at 50 releases.
-- full_hash: a hash of every column, so a new content's rows find their known states by
-- (term_key, full_hash) and then compare in full (a collision only costs a comparison).
CREATE MACRO term_full_hash(kind, label, labels, synonyms, definition_md5, deprecated, replaced_by, consider, parents) AS
  hash(kind, label, labels, synonyms, definition_md5, deprecated, replaced_by, consider, parents);
CREATE SEQUENCE term_state_seq START 1;
CREATE TABLE term_states (
  state_id        INTEGER   NOT NULL,
  term_key        INTEGER   NOT NULL,
  kind            VARCHAR   NOT NULL,
  label           VARCHAR,
  labels          VARCHAR[] NOT NULL,
  synonyms        VARCHAR[] NOT NULL,
  definition_md5  UHUGEINT,
  deprecated      BOOLEAN   NOT NULL,
  replaced_by     VARCHAR[] NOT NULL,
  consider        VARCHAR[] NOT NULL,
  parents         VARCHAR[] NOT NULL,
  state_hash      UBIGINT,
  full_hash       UBIGINT   NOT NULL
);

-- One narrow row per file_terms row: which state a term has in a content. Read by
-- content (a delta side; rows are written content by content, so a content's rows sit
-- together) or by key for a page of search hits.
CREATE TABLE term_occurrences (
  content_id  INTEGER NOT NULL,
  term_key    INTEGER NOT NULL,
  state_id    INTEGER NOT NULL
);

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
INSERT INTO term_states
SELECT nextval('term_state_seq'), *, term_full_hash(kind, label, labels, synonyms, definition_md5, deprecated, replaced_by, consider, parents) FROM (
  SELECT DISTINCT term_key, kind, label, labels, synonyms, definition_md5, deprecated, replaced_by, consider, parents, state_hash
  FROM file_terms ORDER BY term_key
);

INSERT INTO term_occurrences
SELECT t.content_id, t.term_key, s.state_id
FROM file_terms t
JOIN term_states s ON s.term_key = t.term_key AND s.kind = t.kind AND s.label IS NOT DISTINCT FROM t.label
  AND s.labels = t.labels AND s.synonyms = t.synonyms AND s.definition_md5 IS NOT DISTINCT FROM t.definition_md5
  AND s.deprecated = t.deprecated AND s.replaced_by = t.replaced_by AND s.consider = t.consider
  AND s.parents = t.parents AND s.state_hash IS NOT DISTINCT FROM t.state_hash
ORDER BY t.content_id, t.term_key;

INSERT INTO term_presence_sets (presence_id, content_ids)
SELECT nextval('term_presence_seq'), content_ids FROM (
  SELECT DISTINCT list_sort(list_distinct(list(content_id))) AS content_ids FROM term_occurrences GROUP BY term_key
);

INSERT INTO term_key_presence
SELECT k.term_key, p.presence_id
FROM (SELECT term_key, list_sort(list_distinct(list(content_id))) AS content_ids FROM term_occurrences GROUP BY term_key) k
JOIN term_presence_sets p ON p.content_ids = k.content_ids
ORDER BY k.term_key;

