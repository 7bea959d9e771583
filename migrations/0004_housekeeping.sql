-- Housekeeping: files doctor found damaged, and views the doctor and prune plans join on.

-- A catalogued file whose bytes are gone or no longer match its hash. The rows of the
-- version stay (they are the only record of what it held); this marks them damaged.
CREATE TABLE file_damage (
  file_id      UUID    PRIMARY KEY,
  version_id   UUID    NOT NULL,
  relpath      VARCHAR NOT NULL,
  kind         VARCHAR NOT NULL,
  detected_at  TIMESTAMP NOT NULL,
  plan_id      VARCHAR
);

-- Every catalogued file with its path under the root (the doctor joins the fs listing on it).
CREATE VIEW v_catalog_paths AS
SELECT f.file_id, f.version_id, f.service, v.version, f.relpath,
       f.service || '/' || v.version || '/data/' || f.relpath AS root_relpath,
       f.size_bytes, f.sha256, f.mtime, f.cas_relpath,
       (d.file_id IS NOT NULL) AS damaged
FROM extracted_files f
JOIN versions v USING (version_id)
LEFT JOIN file_damage d USING (file_id);

-- Versions with at least one damaged file.
CREATE VIEW v_damaged_versions AS
SELECT v.version_id, v.service, v.version, count(*) AS damaged_files
FROM file_damage d JOIN versions v USING (version_id)
GROUP BY ALL;
