-- Core tables of the catalog. IDs are deterministic hashes of natural keys (see
-- electron/catalog/ids.ts), so repeating a boundary is an upsert, never a duplicate.
-- No FOREIGN KEY clauses: DuckDB forbids updating rows that are referenced, and the
-- boundaries keep referential integrity themselves (doctor checks it).

CREATE TABLE versions (
  version_id  UUID    PRIMARY KEY,
  service     VARCHAR NOT NULL,
  version     VARCHAR NOT NULL,
  created_at  TIMESTAMP NOT NULL,
  plan_hash   VARCHAR,
  pinned      BOOLEAN NOT NULL DEFAULT false,
  note        VARCHAR,
  UNIQUE (service, version)
);

CREATE TABLE artifacts (
  artifact_id    UUID    PRIMARY KEY,
  version_id     UUID    NOT NULL,
  service        VARCHAR NOT NULL,
  name           VARCHAR NOT NULL,
  source_url     VARCHAR,
  etag           VARCHAR,
  last_modified  VARCHAR,
  content_type   VARCHAR,
  size_bytes     BIGINT NOT NULL DEFAULT 0,
  sha256         VARCHAR,
  fs_relpath     VARCHAR,
  status         VARCHAR NOT NULL CHECK (status IN ('fresh', 'cached', 'failed')),
  fetched_at     TIMESTAMP NOT NULL
);

CREATE TABLE extracted_files (
  file_id      UUID    PRIMARY KEY,
  artifact_id  UUID,
  version_id   UUID    NOT NULL,
  service      VARCHAR NOT NULL,
  relpath      VARCHAR NOT NULL,
  -- parent folder ('' at the top) and base name: lazy trees list one level by `dir`
  dir          VARCHAR NOT NULL,
  name         VARCHAR NOT NULL,
  format       VARCHAR NOT NULL,
  size_bytes   BIGINT NOT NULL,
  sha256       VARCHAR NOT NULL,
  mtime        TIMESTAMP,
  cas_relpath  VARCHAR,
  -- sha256 as four 64-bit integers (content_key = the first 64 bits): an integer
  -- pre-filter for lookups and grouping, and an exact, cheap equality for deltas, far
  -- cheaper than comparing or indexing the 64-character hash
  content_key    UBIGINT NOT NULL,
  content_key_2  UBIGINT NOT NULL,
  content_key_3  UBIGINT NOT NULL,
  content_key_4  UBIGINT NOT NULL
);

CREATE TABLE validations (
  validation_id  UUID    PRIMARY KEY,
  file_id        UUID    NOT NULL,
  version_id     UUID    NOT NULL,
  validator      VARCHAR NOT NULL,
  rule           VARCHAR NOT NULL,
  severity       VARCHAR NOT NULL CHECK (severity IN ('ERROR', 'WARN', 'INFO')),
  passed         BOOLEAN NOT NULL,
  message        VARCHAR,
  line           INTEGER,
  col            INTEGER,
  subject        VARCHAR,
  details_json   VARCHAR,
  run_at         TIMESTAMP NOT NULL
);

CREATE TABLE latest_pointer (
  slot        VARCHAR PRIMARY KEY,
  version_id  UUID    NOT NULL,
  updated_at  TIMESTAMP NOT NULL,
  "by"        VARCHAR NOT NULL
);

CREATE TABLE events (
  event_id      UUID    PRIMARY KEY,
  ts            TIMESTAMP NOT NULL,
  type          VARCHAR NOT NULL,
  level         VARCHAR NOT NULL CHECK (level IN ('info', 'warn', 'error')),
  run_id        VARCHAR,
  payload_json  VARCHAR NOT NULL
);

CREATE TABLE staging_fs_listing (
  scope       VARCHAR NOT NULL,
  relpath     VARCHAR NOT NULL,
  size_bytes  BIGINT NOT NULL,
  mtime       TIMESTAMP
);

CREATE TABLE plans (
  plan_id       VARCHAR PRIMARY KEY,
  kind          VARCHAR NOT NULL,
  created_at    TIMESTAMP NOT NULL,
  content_hash  VARCHAR NOT NULL,
  body_json     VARCHAR NOT NULL,
  applied_at    TIMESTAMP
);

-- Term-level deltas are cached per file pair: a run row says the pair was compared (so an
-- empty change set is a real "no term changed", not "never computed").
CREATE TABLE term_delta_runs (
  old_file_id  UUID NOT NULL,
  new_file_id  UUID NOT NULL,
  old_terms    INTEGER NOT NULL,
  new_terms    INTEGER NOT NULL,
  computed_at  TIMESTAMP NOT NULL,
  PRIMARY KEY (old_file_id, new_file_id)
);

CREATE TABLE term_changes (
  old_file_id  UUID    NOT NULL,
  new_file_id  UUID    NOT NULL,
  term         VARCHAR NOT NULL,
  term_kind    VARCHAR NOT NULL,
  change       VARCHAR NOT NULL CHECK (change IN ('ADDED', 'REMOVED', 'RELABELLED', 'DEPRECATED')),
  old_label    VARCHAR,
  new_label    VARCHAR,
  PRIMARY KEY (old_file_id, new_file_id, term, change)
);
