-- The term index (issue #16): every term of every ontology file, recorded once per file
-- content (sha256), so a file shared by 50 versions is indexed once. A version reaches
-- its terms through extracted_files.sha256 → term_index_contents → file_terms.

-- One row per indexed content: its terms parsed cleanly and are all in file_terms (an
-- empty set is a real "no terms", not "never indexed").
CREATE SEQUENCE term_content_seq START 1;
CREATE TABLE term_index_contents (
  content_id  INTEGER   NOT NULL,
  sha256      VARCHAR   NOT NULL,
  format      VARCHAR   NOT NULL,
  terms       INTEGER   NOT NULL,
  indexed_at  TIMESTAMP NOT NULL
);

-- Every term id ever indexed, numbered: file_terms stores the small number, not the IRI.
-- ident is what makes two spellings one term: the CURIE where a prefix is known (an OBO
-- file's GO:0008150 and an OWL file's http://purl.obolibrary.org/obo/GO_0008150 are one
-- term), else the id itself.
CREATE SEQUENCE term_key_seq START 1;
CREATE TABLE term_keys (
  term_key  INTEGER NOT NULL,
  term      VARCHAR NOT NULL,
  curie     VARCHAR,
  ident     VARCHAR NOT NULL
);

-- Every distinct label a term has had in any indexed file: search reads this small table,
-- not one row per term and file.
CREATE TABLE term_labels (
  term_key  INTEGER NOT NULL,
  label     VARCHAR NOT NULL
);

-- Definitions, once per distinct text; file_terms holds the 128-bit md5 of the text.
CREATE TABLE term_definitions (
  definition_md5  UHUGEINT NOT NULL,
  definition      VARCHAR  NOT NULL
);

-- The terms of one content. Lists hold values in file order; parents, replaced_by and
-- consider are CURIEs where a prefix is known, so they compare across formats.
CREATE TABLE file_terms (
  content_id      INTEGER   NOT NULL,
  term_key        INTEGER   NOT NULL,
  kind            VARCHAR   NOT NULL,
  label           VARCHAR,
  labels          VARCHAR[] NOT NULL,
  synonyms        VARCHAR[] NOT NULL,
  definition_md5  UHUGEINT,
  deprecated      BOOLEAN   NOT NULL,
  replaced_by     VARCHAR[] NOT NULL,
  consider        VARCHAR[] NOT NULL,
  parents         VARCHAR[] NOT NULL
);

-- Scratch table the appender fills while one content is recorded; list values are joined
-- with chr(31). Empty outside a write transaction.
CREATE TABLE term_index_stage (
  term         VARCHAR NOT NULL,
  curie        VARCHAR,
  kind         VARCHAR NOT NULL,
  labels       VARCHAR,
  synonyms     VARCHAR,
  definition   VARCHAR,
  deprecated   BOOLEAN NOT NULL,
  replaced_by  VARCHAR,
  consider     VARCHAR,
  parents      VARCHAR
);

-- Each file of each version with its indexed content (files never indexed are absent).
CREATE VIEW v_indexed_files AS
SELECT f.file_id, f.version_id, f.service, f.relpath, f.format, c.content_id, c.terms
FROM extracted_files f
JOIN term_index_contents c ON c.sha256 = f.sha256;

-- Per version: how many of its ontology files are indexed (a version is fully indexed
-- when indexed_files = ontology_files).
CREATE VIEW v_version_term_index AS
SELECT f.version_id, f.service,
       count(*) FILTER (WHERE f.format IN ('turtle', 'ntriples', 'nquads', 'trig', 'rdfxml', 'owlxml', 'jsonld', 'obo')) AS ontology_files,
       count(c.content_id) AS indexed_files,
       COALESCE(sum(c.terms), 0) AS term_rows
FROM extracted_files f
LEFT JOIN term_index_contents c ON c.sha256 = f.sha256
GROUP BY f.version_id, f.service;

-- The terms of one version, one row per term identity over all its indexed files: the
-- union of labels, parents and replacements, deprecated if any file says so.
CREATE MACRO version_term_states(vid) AS TABLE
SELECT k.ident,
       min(k.term) AS term,
       min(t.kind) AS kind,
       list_sort(list_distinct(flatten(list(t.labels)))) AS labels,
       min(t.definition_md5) AS definition_md5,
       bool_or(t.deprecated) AS deprecated,
       list_sort(list_distinct(flatten(list(t.parents)))) AS parents,
       list_sort(list_distinct(flatten(list(t.replaced_by)))) AS replaced_by,
       list_sort(list_distinct(flatten(list(t.consider)))) AS consider
FROM extracted_files f
JOIN term_index_contents c ON c.sha256 = f.sha256
JOIN file_terms t ON t.content_id = c.content_id
JOIN term_keys k ON k.term_key = t.term_key
WHERE f.version_id = vid
GROUP BY k.ident;
