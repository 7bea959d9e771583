-- Acquisition: sources that fill the catalog by themselves, their runs, the releases
-- they produced (idempotency keys), candidates awaiting review, and notifications.
-- No foreign keys (see 0001): a pruned version leaves its source_releases and candidates
-- rows behind, and every reader joins them with versions, so such a row counts as gone.

-- One source: which service it fills and how (the zod-validated spec, electron/shared/
-- contract/sources.ts, stored whole so import/export round-trips without loss).
CREATE TABLE sources (
  source_id   VARCHAR PRIMARY KEY,
  service     VARCHAR NOT NULL,
  spec_json   VARCHAR NOT NULL,
  enabled     BOOLEAN NOT NULL DEFAULT true,
  created_at  TIMESTAMP NOT NULL,
  updated_at  TIMESTAMP NOT NULL
);

-- One check of one source. The manifest holds the inputs (URLs, validators sent and
-- received, resolver evidence) and the outputs (version, artifact sha256, files,
-- validation summary); status 'running' until it ends (a crash leaves it so, and the
-- next sync of the source marks it 'interrupted').
CREATE TABLE source_runs (
  run_id           VARCHAR PRIMARY KEY,
  source_id        VARCHAR NOT NULL,
  trigger          VARCHAR NOT NULL CHECK (trigger IN ('manual', 'schedule', 'cli')),
  started_at       TIMESTAMP NOT NULL,
  finished_at      TIMESTAMP,
  status           VARCHAR NOT NULL CHECK (status IN ('running', 'changed', 'unchanged', 'failed', 'cancelled', 'interrupted')),
  version          VARCHAR,
  idempotency_key  VARCHAR,
  duration_ms      BIGINT,
  error_code       VARCHAR,
  error_message    VARCHAR,
  manifest_json    VARCHAR NOT NULL
);

-- What a source last saw of each artifact: the validators for the next conditional GET.
CREATE TABLE source_validators (
  source_id      VARCHAR NOT NULL,
  artifact_key   VARCHAR NOT NULL,
  url            VARCHAR NOT NULL,
  etag           VARCHAR,
  last_modified  VARCHAR,
  sha256         VARCHAR NOT NULL,
  updated_at     TIMESTAMP NOT NULL,
  PRIMARY KEY (source_id, artifact_key)
);

-- One release a source brought in: the idempotency key (source, artifact identity,
-- content hash) maps to the version it became, so the same content never makes two.
CREATE TABLE source_releases (
  idempotency_key  VARCHAR PRIMARY KEY,
  source_id        VARCHAR NOT NULL,
  version_id       UUID NOT NULL,
  service          VARCHAR NOT NULL,
  version          VARCHAR NOT NULL,
  run_id           VARCHAR NOT NULL,
  created_at       TIMESTAMP NOT NULL
);

-- A version a run brought in, awaiting a curator (or the source's promotion policy).
CREATE TABLE candidates (
  version_id  UUID PRIMARY KEY,
  source_id   VARCHAR NOT NULL,
  run_id      VARCHAR NOT NULL,
  state       VARCHAR NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  created_at  TIMESTAMP NOT NULL,
  decided_at  TIMESTAMP,
  decided_by  VARCHAR,
  reason      VARCHAR
);

-- One notification to one target; delivery_key is the idempotency key, so a retried
-- delivery never notifies twice.
CREATE TABLE notifications (
  delivery_key   VARCHAR PRIMARY KEY,
  event_type     VARCHAR NOT NULL,
  target         VARCHAR NOT NULL,
  payload_json   VARCHAR NOT NULL,
  status         VARCHAR NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  last_status    INTEGER,
  last_error     VARCHAR,
  created_at     TIMESTAMP NOT NULL,
  delivered_at   TIMESTAMP
);
