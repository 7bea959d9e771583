-- Views and table macros the readers build on.

CREATE VIEW v_version_stats AS
SELECT
  v.version_id,
  v.service,
  v.version,
  v.created_at,
  v.pinned,
  v.note,
  (lp.version_id IS NOT NULL) AS is_latest,
  COALESCE(f.files, 0) AS files,
  COALESCE(f.bytes, 0) AS bytes,
  COALESCE(val.passed, 0) AS validations_passed,
  COALESCE(val.failed, 0) AS validations_failed,
  -- per file: validated at all, and with at least one failed ERROR (the pass rate people read)
  COALESCE(val.files_validated, 0) AS files_validated,
  COALESCE(val.files_failed, 0) AS files_failed
FROM versions v
LEFT JOIN (
  SELECT version_id, count(*) AS files, sum(size_bytes) AS bytes
  FROM extracted_files GROUP BY version_id
) f USING (version_id)
LEFT JOIN (
  SELECT version_id, count(*) FILTER (WHERE passed) AS passed, count(*) FILTER (WHERE NOT passed) AS failed,
         count(DISTINCT file_id) AS files_validated,
         count(DISTINCT file_id) FILTER (WHERE NOT passed AND severity = 'ERROR') AS files_failed
  FROM validations GROUP BY version_id
) val USING (version_id)
LEFT JOIN latest_pointer lp ON lp.slot = v.service AND lp.version_id = v.version_id;

CREATE VIEW v_latest_files AS
SELECT f.*, v.version
FROM latest_pointer lp
JOIN versions v ON v.version_id = lp.version_id
JOIN extracted_files f ON f.version_id = lp.version_id;

CREATE VIEW v_validation_failures AS
SELECT val.*, f.relpath, f.format, f.service, v.version
FROM validations val
JOIN extracted_files f USING (file_id)
JOIN versions v ON v.version_id = val.version_id
WHERE NOT val.passed;

-- Files on disk (scanned into staging_fs_listing with scope 'root') that no catalog row
-- accounts for: an anti-join, never a loop.
CREATE VIEW v_fs_orphans AS
WITH known AS (
  SELECT v.service || '/' || v.version || '/data/' || f.relpath AS relpath
  FROM extracted_files f JOIN versions v USING (version_id)
  UNION ALL
  SELECT fs_relpath FROM artifacts WHERE fs_relpath IS NOT NULL
)
SELECT s.relpath, s.size_bytes, s.mtime
FROM staging_fs_listing s
WHERE s.scope = 'root'
  AND NOT EXISTS (SELECT 1 FROM known k WHERE k.relpath = s.relpath);

-- File-level delta between two versions by path: ADDED, REMOVED, MODIFIED, UNCHANGED.
CREATE MACRO version_delta(a, b) AS TABLE
WITH fa AS (SELECT relpath, size_bytes, sha256, format FROM extracted_files WHERE version_id = a),
     fb AS (SELECT relpath, size_bytes, sha256, format FROM extracted_files WHERE version_id = b)
SELECT
  COALESCE(fb.relpath, fa.relpath) AS relpath,
  CASE
    WHEN fa.relpath IS NULL THEN 'ADDED'
    WHEN fb.relpath IS NULL THEN 'REMOVED'
    WHEN fa.sha256 = fb.sha256 THEN 'UNCHANGED'
    ELSE 'MODIFIED'
  END AS kind,
  fa.relpath AS old_relpath,
  fb.relpath AS new_relpath,
  fa.size_bytes AS old_size,
  fb.size_bytes AS new_size,
  fa.sha256 AS old_sha256,
  fb.sha256 AS new_sha256,
  COALESCE(fb.format, fa.format) AS format
FROM fa FULL OUTER JOIN fb ON fa.relpath = fb.relpath;
