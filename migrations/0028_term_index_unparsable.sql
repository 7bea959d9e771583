-- Ontology file contents that do not parse, so the term index cannot hold them (issue #16).
--
-- Such a content stayed "pending" for ever: every backfill parsed it again and failed again,
-- the Terms page said it was "validated before the index existed", and its button offered
-- to index it. A parse's verdict on the same bytes changes only with the parser, so a
-- content is kept here with the validator version that read it (VALIDATOR_VERSION in
-- electron/ingest/validate/validators.ts); a later version of the parsers reads it again.
-- A file that could not be read (missing from disk) is no verdict and is not kept.
CREATE TABLE term_index_unparsable (
  sha256            VARCHAR PRIMARY KEY,
  format            VARCHAR NOT NULL,
  validator_version INTEGER NOT NULL,
  -- The parse's problem (or the remote context it would have had to load).
  message           VARCHAR NOT NULL,
  read_at           TIMESTAMP NOT NULL
);

-- The verdicts validation recorded already: a content not in the index whose syntax check,
-- under a known validator version, failed, or passed but met a remote JSON-LD context.
INSERT INTO term_index_unparsable
SELECT f.sha256, arg_max(f.format, s.v), max(s.v), arg_max(s.message, s.v), max(s.run_at)
FROM (
  SELECT syn.file_id, syn.run_at,
         TRY_CAST(json_extract_string(syn.details_json, '$.validator_version') AS INTEGER) AS v,
         CASE WHEN NOT syn.passed THEN coalesce(syn.message, 'The file did not parse cleanly.')
              ELSE (SELECT min(r.message) FROM validations r
                    WHERE r.file_id = syn.file_id AND r.rule = 'remote-context' AND NOT r.passed) END AS message
  FROM validations syn
  WHERE syn.rule = 'syntax'
) s
JOIN extracted_files f ON f.file_id = s.file_id
WHERE s.v IS NOT NULL AND s.message IS NOT NULL
  AND f.format IN ('turtle', 'ntriples', 'nquads', 'trig', 'rdfxml', 'owlxml', 'jsonld', 'obo')
  AND NOT EXISTS (SELECT 1 FROM term_index_contents c WHERE c.sha256 = f.sha256)
GROUP BY f.sha256;
