-- Release order: what "newer" means everywhere (prune's keep-last, Delta's previous
-- version, cadence, growth, version lists, hints). One rule, defined here only.

-- When a version was released, and how we know: 'curator' (set by hand), 'owl-version'
-- or 'obo-header' (a date the ontology states about itself), 'http-last-modified' (the
-- artifact's Last-Modified) or 'ingest' (no evidence: the ingest date, shown but never
-- used to order; see v_release_order).
ALTER TABLE versions ADD COLUMN release_date TIMESTAMP;
ALTER TABLE versions ADD COLUMN release_date_source VARCHAR;
UPDATE versions SET release_date = created_at, release_date_source = 'ingest';

-- A string whose plain (byte) order is the natural order of version strings:
-- numbers compare as numbers (6.6.2 < 6.10.0), an eight-digit date counts as year, month
-- and day (20210922 = 2021-09-22 = 2021.9.22), a leading 'v' is ignored, and a word
-- starts a pre-release as in semver: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta
-- < 1.0.0-rc.1 < 1.0.0, and EDAM's beta05 < beta13 < 1.0.
-- Each part is a rank character and a body; before the first word the ranks are
-- word '1' < end '2' < number '3', after it end '1' < number '2' < word '3'. Numbers
-- are their length (two digits) then their digits; words end with '.', which sorts
-- before every letter, so 'beta' < 'betax'.
CREATE MACRO release_version_parts(v) AS flatten(list_transform(
  regexp_extract_all(regexp_replace(lower(v), '^v([0-9])', '\1'), '[0-9]+|[a-z]+'),
  t -> CASE WHEN regexp_full_match(t, '(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])')
            THEN [t[1:4], t[5:6], t[7:8]] ELSE [t] END));

-- Position of the first word among the parts (0 when there is none).
CREATE MACRO release_first_word(p) AS COALESCE(list_position(list_transform(p, t -> regexp_full_match(t, '[a-z]+')), true), 0);

CREATE MACRO release_key_of_parts(p, w) AS array_to_string(list_transform(range(1, len(p) + 1), i ->
  CASE
    WHEN regexp_full_match(p[i], '[a-z]+') THEN (CASE WHEN w > 0 AND w < i THEN '3' ELSE '1' END) || p[i] || '.'
    ELSE (CASE WHEN w > 0 AND w < i THEN '2' ELSE '3' END)
         || lpad(least(length(COALESCE(NULLIF(ltrim(p[i], '0'), ''), '0')), 99)::VARCHAR, 2, '0')
         || COALESCE(NULLIF(ltrim(p[i], '0'), ''), '0')
  END), '') || CASE WHEN w = 0 THEN '2' ELSE '1' END;

CREATE MACRO release_version_key(v) AS release_key_of_parts(release_version_parts(v), release_first_word(release_version_parts(v)));

-- The key is stored with the row (written by upsertVersion through the same macro):
-- computing it costs about 0.1 ms a version, too much to repeat on every list.
ALTER TABLE versions ADD COLUMN version_key VARCHAR;
UPDATE versions SET version_key = release_version_key(version);

-- Every version's place in its service's release order, oldest first (release_rank 1).
-- The order is the release date, then the version string's natural order, then the id.
-- A date the source or a curator gave counts; a version with only its ingest date takes
-- the latest such date among the versions below it by version string (none: before
-- every dated one), so its version string places it and ingest order never decides.
-- release_key is the same order as one unique string (date, version key, id), for
-- sorting lists across services.
CREATE VIEW v_release_order AS
WITH keyed AS (
  SELECT version_id, service, version, created_at, release_date, release_date_source,
         version_key,
         CASE WHEN release_date_source <> 'ingest' THEN release_date END AS evidence_date
  FROM versions
),
placed AS (
  SELECT *,
         COALESCE(evidence_date, max(evidence_date) OVER (
           PARTITION BY service ORDER BY version_key, version_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS order_date
  FROM keyed
)
SELECT *,
       row_number() OVER (PARTITION BY service ORDER BY order_date ASC NULLS FIRST, version_key, version_id) AS release_rank,
       count(*) OVER (PARTITION BY service) AS service_versions,
       COALESCE(strftime(order_date, '%Y-%m-%dT%H:%M:%S.%f'), '0000') || ' ' || version_key || ' ' || version_id::VARCHAR AS release_key
FROM placed;

-- The version stats every list reads, now with the release date and order.
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
  -- validation health by its one definition (0005_validation_health.sql)
  h.health,
  v.release_date,
  v.release_date_source,
  r.release_rank,
  r.release_key
FROM versions v
JOIN v_release_order r USING (version_id)
JOIN v_version_health h USING (version_id)
LEFT JOIN (
  SELECT version_id, count(*) AS files, sum(size_bytes) AS bytes
  FROM extracted_files GROUP BY version_id
) f USING (version_id)
LEFT JOIN latest_pointer lp ON lp.slot = v.service AND lp.version_id = v.version_id;
