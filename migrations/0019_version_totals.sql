-- Each version's file count, bytes and validation health counts, kept beside its rows
-- (issue #14). Lists, `ontocat versions`, health and reports read a row a version here
-- instead of aggregating every file row and every validation of the catalog: at 1,000,000
-- file rows the two group-bys over extracted_files were 35-55 ms of a cold `ontocat
-- versions`, and with 700,000 validations the health of three versions read all of them
-- (the filter cannot pass the view's joins): 205 ms cold, 65 ms warm.
--
-- version_totals_counted(ids) is the one place the counts are defined: the file count and
-- bytes of extracted_files, and the health of 0005 (a file is checked when it has a
-- syntax result, parses when that passed; findings by severity; errors when it does not
-- parse or has an ERROR finding) over v_file_health, for the versions in `ids` (NULL:
-- all). Every path that writes file rows or validations recounts its versions through it
-- in the same transaction (electron/catalog/version-totals.ts); a writable open compares
-- files and bytes with the rows, and the doctor compares everything, rebuilding the table
-- with a warning event should they ever disagree. A version with neither files nor
-- validations has no row (all zero).
CREATE MACRO version_totals_counted(ids) AS TABLE
WITH f AS (
  SELECT version_id, count(*) AS files, COALESCE(sum(size_bytes), 0) AS bytes
  FROM extracted_files WHERE ids IS NULL OR list_contains(ids, version_id) GROUP BY version_id
),
h AS (
  SELECT version_id,
         count(*) FILTER (WHERE checked) AS files_checked,
         count(*) FILTER (WHERE unparsable) AS files_unparsable,
         count(*) FILTER (WHERE unparsable OR errors > 0) AS files_with_errors,
         count(*) FILTER (WHERE warnings > 0) AS files_with_warnings,
         COALESCE(sum(errors), 0) AS errors, COALESCE(sum(warnings), 0) AS warnings, COALESCE(sum(infos), 0) AS infos
  FROM v_file_health WHERE ids IS NULL OR list_contains(ids, version_id) GROUP BY version_id
)
SELECT COALESCE(f.version_id, h.version_id) AS version_id,
       COALESCE(f.files, 0) AS files, COALESCE(f.bytes, 0) AS bytes,
       COALESCE(h.files_checked, 0) AS files_checked, COALESCE(h.files_unparsable, 0) AS files_unparsable,
       COALESCE(h.files_with_errors, 0) AS files_with_errors, COALESCE(h.files_with_warnings, 0) AS files_with_warnings,
       COALESCE(h.errors, 0) AS errors, COALESCE(h.warnings, 0) AS warnings, COALESCE(h.infos, 0) AS infos
FROM f FULL JOIN h ON h.version_id = f.version_id;

CREATE TABLE version_totals (
  version_id UUID NOT NULL,
  files BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  files_checked BIGINT NOT NULL,
  files_unparsable BIGINT NOT NULL,
  files_with_errors BIGINT NOT NULL,
  files_with_warnings BIGINT NOT NULL,
  errors BIGINT NOT NULL,
  warnings BIGINT NOT NULL,
  infos BIGINT NOT NULL
);

INSERT INTO version_totals SELECT * FROM version_totals_counted(NULL);

-- Health as 0005 defines it, from the kept counts.
CREATE OR REPLACE VIEW v_version_health AS
SELECT v.version_id,
       struct_pack(
         files := COALESCE(t.files, 0),
         files_checked := COALESCE(t.files_checked, 0),
         files_parsed := COALESCE(t.files_checked, 0) - COALESCE(t.files_unparsable, 0),
         files_unparsable := COALESCE(t.files_unparsable, 0),
         files_unchecked := COALESCE(t.files, 0) - COALESCE(t.files_checked, 0),
         files_with_errors := COALESCE(t.files_with_errors, 0),
         files_with_warnings := COALESCE(t.files_with_warnings, 0),
         errors := COALESCE(t.errors, 0),
         warnings := COALESCE(t.warnings, 0),
         infos := COALESCE(t.infos, 0)
       ) AS health
FROM versions v
LEFT JOIN version_totals t USING (version_id);

-- The version stats of 0007, files and bytes from the kept counts.
CREATE OR REPLACE VIEW v_version_stats AS
SELECT
  v.version_id,
  v.service,
  v.version,
  v.created_at,
  v.pinned,
  v.note,
  (lp.version_id IS NOT NULL) AS is_latest,
  COALESCE(t.files, 0) AS files,
  COALESCE(t.bytes, 0) AS bytes,
  h.health,
  v.release_date,
  v.release_date_source,
  r.release_rank,
  r.release_key
FROM versions v
JOIN v_release_order r USING (version_id)
JOIN v_version_health h USING (version_id)
LEFT JOIN version_totals t USING (version_id)
LEFT JOIN latest_pointer lp ON lp.slot = v.service AND lp.version_id = v.version_id;
