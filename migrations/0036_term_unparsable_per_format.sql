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

-- The verdicts validation had already recorded on a file holding an indexed content in a
-- format other than the one it was indexed from (the index lent such a file the content's
-- terms): a syntax check that failed, under the newest validator version that checked it.
INSERT OR IGNORE INTO term_index_unparsable
SELECT f.sha256, f.format, max(s.v), arg_max(s.message, s.v), max(s.run_at)
FROM (
  SELECT syn.file_id, syn.run_at, coalesce(syn.message, 'The file did not parse cleanly.') AS message,
         TRY_CAST(json_extract_string(syn.details_json, '$.validator_version') AS INTEGER) AS v
  FROM validations syn
  WHERE syn.rule = 'syntax' AND NOT syn.passed
) s
JOIN extracted_files f ON f.file_id = s.file_id
WHERE s.v IS NOT NULL
  AND f.format IN ('turtle', 'ntriples', 'nquads', 'trig', 'rdfxml', 'owlxml', 'jsonld', 'obo')
  AND EXISTS (SELECT 1 FROM term_index_contents c WHERE c.sha256 = f.sha256 AND c.format <> f.format)
GROUP BY f.sha256, f.format;
