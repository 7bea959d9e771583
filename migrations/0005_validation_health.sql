-- One definition of validation health, read by every page, command and report
-- (electron/catalog/health-queries.ts; README "Validation"):
--   a file is checked when it has a syntax result, and parses when that result passed;
--   findings are every other failed result, counted by severity (ERROR, WARN, INFO);
--   a file has errors when it does not parse or has an ERROR finding.
-- A WARN or INFO is never a failure; a parse rate is files_parsed / files_checked.

CREATE VIEW v_file_health AS
SELECT version_id, file_id,
       bool_or(rule = 'syntax') AS checked,
       bool_or(rule = 'syntax' AND NOT passed) AS unparsable,
       count(*) FILTER (WHERE rule <> 'syntax' AND NOT passed AND severity = 'ERROR') AS errors,
       count(*) FILTER (WHERE rule <> 'syntax' AND NOT passed AND severity = 'WARN') AS warnings,
       count(*) FILTER (WHERE rule <> 'syntax' AND NOT passed AND severity = 'INFO') AS infos
FROM validations
GROUP BY version_id, file_id;

CREATE VIEW v_version_health AS
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
LEFT JOIN (SELECT version_id, count(*) AS files FROM extracted_files GROUP BY version_id) f USING (version_id)
LEFT JOIN (
  SELECT version_id,
         count(*) FILTER (WHERE checked) AS files_checked,
         count(*) FILTER (WHERE unparsable) AS files_unparsable,
         count(*) FILTER (WHERE unparsable OR errors > 0) AS files_with_errors,
         count(*) FILTER (WHERE warnings > 0) AS files_with_warnings,
         sum(errors) AS errors, sum(warnings) AS warnings, sum(infos) AS infos
  FROM v_file_health GROUP BY version_id
) h USING (version_id);
