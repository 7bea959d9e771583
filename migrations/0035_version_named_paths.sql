-- A removed and an added file whose paths differ only by the version each names
-- (EDAM_1.1.obo and EDAM_1.2.obo; edam-1.25/EDAM.owl and edam-1.26/EDAM.owl) are one file
-- MODIFIED in a delta, not one REMOVED and one ADDED (electron/catalog/delta-sql.ts,
-- delta_named_pairs; the version_delta macros below do the same): releases named by their
-- version made every file of a delta new and every finding of B NEW.
--
-- version_named_path(relpath, version): the path with each occurrence of the version
-- string that stands as a whole version (no digit, and no dot with a digit, on either
-- side: 1.2 is not in 1.20, 11.2 or 0.1.2) replaced by chr(1), which no path holds (the
-- catalog refuses control characters in paths). A version written with a leading v
-- (v1.25) is also found without it, as GitHub names the folders of its archives
-- (repo-1.25/). Each form is replaced twice: a match takes the character before the
-- next one (1.2/1.2.obo). A version without a digit (a, beta, latest) names no path: such
-- words are too often plain names (a.ttl).
CREATE OR REPLACE MACRO version_named_path_pattern(form) AS
  '(^|[^0-9.]|[^0-9]\.)' || regexp_replace(form, '([.^$|()\[\]{}*+?\\-])', '\\\1', 'g') || '($|[^0-9.]|\.[^0-9]|\.$)';

CREATE OR REPLACE MACRO version_named_path_form(relpath, form) AS
  CASE WHEN form IS NULL OR form = '' THEN relpath ELSE
    regexp_replace(regexp_replace(relpath, version_named_path_pattern(form), '\1' || chr(1) || '\2', 'g'),
                   version_named_path_pattern(form), '\1' || chr(1) || '\2', 'g') END;

CREATE OR REPLACE MACRO version_named_path(relpath, version) AS
  CASE WHEN NOT regexp_matches(version, '[0-9]') THEN relpath ELSE
    version_named_path_form(version_named_path_form(relpath, version),
                            CASE WHEN regexp_matches(version, '^[vV][0-9]') THEN version[2:] END) END;

-- The reference macro (0003) pairs version-named files too, as the app's delta does.
CREATE OR REPLACE MACRO version_delta_ids(a, b, folder) AS TABLE
WITH fa AS (
  SELECT file_id, relpath, size_bytes, sha256, content_key, content_key_2, content_key_3, content_key_4, format,
         CASE WHEN folder = '' THEN relpath WHEN starts_with(relpath, folder || '/') THEN relpath[len(folder) + 2:] END AS rest
  FROM extracted_files WHERE version_id = a::UUID
),
fb AS (
  SELECT file_id, relpath, size_bytes, sha256, content_key, content_key_2, content_key_3, content_key_4, format,
         CASE WHEN folder = '' THEN relpath WHEN starts_with(relpath, folder || '/') THEN relpath[len(folder) + 2:] END AS rest
  FROM extracted_files WHERE version_id = b::UUID
),
joined AS MATERIALIZED (
  SELECT fa.file_id AS old_file_id, fb.file_id AS new_file_id,
         fa.size_bytes AS old_size, fb.size_bytes AS new_size,
         fa.format AS old_format, fb.format AS new_format,
         -- the whole sha256, compared as four integers
         (fa.content_key = fb.content_key AND fa.content_key_2 = fb.content_key_2
          AND fa.content_key_3 = fb.content_key_3 AND fa.content_key_4 = fb.content_key_4) AS same,
         split_part(COALESCE(fb.rest, fa.rest), '/', 1) AS seg, contains(COALESCE(fb.rest, fa.rest), '/') AS deep
  FROM fa FULL OUTER JOIN fb ON fa.relpath = fb.relpath
),
gone AS MATERIALIZED (
  SELECT file_id, size_bytes, sha256, format, split_part(rest, '/', 1) AS seg, contains(rest, '/') AS deep,
         row_number() OVER (PARTITION BY sha256 ORDER BY relpath) AS rn,
         count(*) OVER (PARTITION BY sha256) AS n
  FROM fa WHERE file_id IN (SELECT old_file_id FROM joined WHERE new_file_id IS NULL)
),
came AS MATERIALIZED (
  SELECT file_id, size_bytes, sha256, format, split_part(rest, '/', 1) AS seg, contains(rest, '/') AS deep,
         row_number() OVER (PARTITION BY sha256 ORDER BY relpath) AS rn,
         count(*) OVER (PARTITION BY sha256) AS n
  FROM fb WHERE file_id IN (SELECT new_file_id FROM joined WHERE old_file_id IS NULL)
),
moves AS MATERIALIZED (
  SELECT g.file_id AS old_file_id, c.file_id AS new_file_id, g.size_bytes AS old_size, c.size_bytes AS new_size,
         g.format AS old_format, c.format AS new_format, c.seg, c.deep
  FROM gone g JOIN came c ON c.sha256 = g.sha256 AND c.rn = g.rn AND c.n <= g.n
),
-- Version-named files: a path of one version alone, whose content the other version does
-- not hold, paired with the other's when both name the same path after their versions
-- and each is its version's only file so named.
named_a AS MATERIALIZED (
  SELECT *, count(*) OVER (PARTITION BY named) AS n FROM (
    SELECT fa.*, version_named_path(fa.relpath, (SELECT version FROM versions WHERE version_id = a::UUID)) AS named FROM fa
    WHERE fa.relpath NOT IN (SELECT relpath FROM fb) AND fa.sha256 NOT IN (SELECT sha256 FROM fb))
  WHERE named <> relpath
),
named_b AS MATERIALIZED (
  SELECT *, count(*) OVER (PARTITION BY named) AS n FROM (
    SELECT fb.*, version_named_path(fb.relpath, (SELECT version FROM versions WHERE version_id = b::UUID)) AS named FROM fb
    WHERE fb.relpath NOT IN (SELECT relpath FROM fa) AND fb.sha256 NOT IN (SELECT sha256 FROM fa))
  WHERE named <> relpath
),
named_pairs AS MATERIALIZED (
  SELECT g.file_id AS old_file_id, c.file_id AS new_file_id, g.size_bytes AS old_size, c.size_bytes AS new_size,
         g.format AS old_format, c.format AS new_format,
         split_part(c.rest, '/', 1) AS seg, contains(c.rest, '/') AS deep
  FROM named_a g JOIN named_b c ON c.named = g.named AND g.n = 1 AND c.n = 1
)
SELECT CASE WHEN same THEN 'UNCHANGED' ELSE 'MODIFIED' END AS kind,
       old_file_id, new_file_id, old_size, new_size, new_format AS format, old_format, new_format, seg, deep
FROM joined WHERE old_file_id IS NOT NULL AND new_file_id IS NOT NULL AND seg IS NOT NULL
UNION ALL
SELECT 'RENAMED', old_file_id, new_file_id, old_size, new_size, new_format, old_format, new_format, seg, deep
FROM moves WHERE seg IS NOT NULL
UNION ALL
SELECT 'MODIFIED', old_file_id, new_file_id, old_size, new_size, new_format, old_format, new_format, seg, deep
FROM named_pairs WHERE seg IS NOT NULL
UNION ALL
SELECT 'REMOVED', g.file_id, NULL, g.size_bytes, NULL, g.format, g.format, NULL, g.seg, g.deep
FROM gone g ANTI JOIN moves m ON m.old_file_id = g.file_id ANTI JOIN named_pairs p ON p.old_file_id = g.file_id WHERE g.seg IS NOT NULL
UNION ALL
SELECT 'ADDED', NULL, c.file_id, NULL, c.size_bytes, c.format, NULL, c.format, c.seg, c.deep
FROM came c ANTI JOIN moves m ON m.new_file_id = c.file_id ANTI JOIN named_pairs p ON p.new_file_id = c.file_id WHERE c.seg IS NOT NULL;

