-- A parse's verdict is on bytes read as one format (term_index_unparsable, 0028): DCAT's
-- N-Quads file parses as N-Quads (dcat.nq) and not as N-Triples (the same bytes as dcat.nt).
-- Kept by content alone, the verdict of a file that holds a content in a format it is not
-- written in made the content "known not to parse": a backfill passed over it and the file
-- that does parse never got its terms. Verdicts are now kept per content and format; a
-- content is known not to parse for the files that hold it in a refused format only.
CREATE TABLE term_index_unparsable_by_format (
  sha256            VARCHAR NOT NULL,
  format            VARCHAR NOT NULL,
  validator_version INTEGER NOT NULL,
  message           VARCHAR NOT NULL,
  read_at           TIMESTAMP NOT NULL,
  PRIMARY KEY (sha256, format)
);
INSERT INTO term_index_unparsable_by_format SELECT sha256, format, validator_version, message, read_at FROM term_index_unparsable;
DROP TABLE term_index_unparsable;
ALTER TABLE term_index_unparsable_by_format RENAME TO term_index_unparsable;
