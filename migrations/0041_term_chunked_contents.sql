-- Contents whose terms are being recorded chunk by chunk while their file is parsed (issue
-- #16, term-index.ts recordContentChunk): each one's first chunk adds it here, in the same
-- transaction as its first rows, and its last transaction (its record, or the removal of
-- its rows) takes it out. A content still here when no run records it is a killed run's:
-- the next chunked recording removes its rows by this list. It used to find them by
-- scanning every term row for a content id without a record, 30–60 ms at 2,500,000 rows,
-- paid by the first large file of every process (each `ontocat validate`).
CREATE TABLE term_chunked_contents (
  content_id  INTEGER   NOT NULL,
  started_at  TIMESTAMP NOT NULL
);

-- Rows a killed run left before this list was kept: found the old way, once.
DELETE FROM file_terms WHERE content_id IN (
  SELECT DISTINCT t.content_id FROM file_terms t ANTI JOIN term_index_contents c ON c.content_id = t.content_id);
