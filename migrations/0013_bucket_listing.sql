-- The keys of a root's bucket (S3-compatible object storage), listed page by page by
-- `ontocat bucket doctor` and `bucket prune` and compared with the catalog in SQL.
-- Refilled on every listing; `sha256` is NULL for a key that is not a content key.
CREATE TABLE staging_bucket_listing (
  key         VARCHAR NOT NULL,
  sha256      VARCHAR,
  size_bytes  BIGINT NOT NULL
);
