-- XML read in the encoding it declares (issue #16's term index, and validation):
--
-- An RDF/XML or OWL/XML file declaring another encoding than UTF-8 (ISO-8859-1 in older
-- ontologies), or UTF-16 by its byte order mark, was read as UTF-8: every accented letter
-- of its labels, synonyms and definitions became U+FFFD. Parsers now decode it as it
-- declares (electron/ingest/parsers/xml-encoding.ts; VALIDATOR_VERSION 11).
--
-- Only an XML content whose recorded text holds U+FFFD can change (a UTF-16 file did not
-- parse, so it is in term_index_unparsable under an older validator version and is read
-- again anyway). Those stay under the rules of 0027 and are re-read by the next backfill
-- or validation that meets them (term-index.ts, TERM_INDEX_RULES 7); every other content
-- is right as recorded.
UPDATE term_index_contents SET rules = 7
WHERE rules = 6
  AND NOT (format IN ('rdfxml', 'owlxml') AND content_id IN (
    SELECT t.content_id FROM file_terms t
    WHERE contains(coalesce(t.label, ''), chr(65533))
       OR contains(array_to_string(t.labels, ' '), chr(65533))
       OR contains(array_to_string(t.synonyms, ' '), chr(65533))
       OR t.definition_md5 IN (SELECT definition_md5 FROM term_definitions WHERE contains(definition, chr(65533)))));
