-- Each version's file count and bytes, kept beside its file rows (issue #14): the version
-- list, `ontocat versions`, health and reports read ten or a hundred rows here instead of
-- counting every file row of the catalog (two group-bys over 1,000,000 rows were 35-55 ms
-- of a cold `ontocat versions`). Written in the same transaction as the file rows by every
-- path that adds or removes them (electron/catalog/version-totals.ts); a writable open
-- checks the whole table against the rows and rebuilds it, with a warning event, should
-- they ever disagree. A version with no files has no row here (0 files, 0 bytes).
CREATE TABLE version_file_totals (
  version_id UUID NOT NULL,
  files BIGINT NOT NULL,
  bytes BIGINT NOT NULL
);

INSERT INTO version_file_totals
SELECT version_id, count(*), COALESCE(sum(size_bytes), 0) FROM extracted_files GROUP BY version_id;

-- Health as 0005 defines it; its file count now from the totals.
CREATE OR REPLACE VIEW v_version_health AS
SELECT v.version_id,
       struct_pack(
         files := COALESCE(f.files, 0),
         files_checked := COALESCE(h.files_checked, 0),
         files_parsed := COALESCE(h.files_checked, 0) - COALESCE(h.files_unparsable, 0),
         files_unparsable := COALESCE(h.files_unparsable, 0),
         files_unchecked := COALESCE(f.files, 0) - COALESCE(h.files_checked, 0),
         files_with_errors := COALESCE(h.files_with_errors, 0),
         files_with_warnings := COALESCE(h.files_with_warnings, 0),
         errors := COALESCE(h.errors, 0),
         warnings := COALESCE(h.warnings, 0),
         infos := COALESCE(h.infos, 0)
       ) AS health
FROM versions v
LEFT JOIN version_file_totals f USING (version_id)
LEFT JOIN (
  SELECT version_id,
         count(*) FILTER (WHERE checked) AS files_checked,
         count(*) FILTER (WHERE unparsable) AS files_unparsable,
         count(*) FILTER (WHERE unparsable OR errors > 0) AS files_with_errors,
         count(*) FILTER (WHERE warnings > 0) AS files_with_warnings,
         sum(errors) AS errors, sum(warnings) AS warnings, sum(infos) AS infos
  FROM v_file_health GROUP BY version_id
) h USING (version_id);

-- The version stats of 0007, files and bytes from the totals.
CREATE OR REPLACE VIEW v_version_stats AS
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
  h.health,
  v.release_date,
  v.release_date_source,
  r.release_rank,
  r.release_key
FROM versions v
JOIN v_release_order r USING (version_id)
JOIN v_version_health h USING (version_id)
LEFT JOIN version_file_totals f USING (version_id)
LEFT JOIN latest_pointer lp ON lp.slot = v.service AND lp.version_id = v.version_id;
