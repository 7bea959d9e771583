-- File-level delta between two versions, with renames.
--
-- Each path of A and B gets exactly one row:
--   UNCHANGED  same path, same sha256
--   MODIFIED   same path, different sha256
--   RENAMED    an exact-content move: a path of A that is gone from B paired with a path
--              of B that is new, both with the same sha256
--   REMOVED    a path of A gone from B (and not paired as a rename)
--   ADDED      a path of B new since A (and not paired as a rename)
--
-- Rename pairing, per sha256 among the gone (g) and new (n) paths:
--   * both sides are numbered by path (row_number over sorted paths), and gone #k pairs
--     with new #k, so a source is never paired twice and the result is deterministic;
--   * when a hash has MORE new paths than gone paths (one file became several identical
--     copies) it is a split, not a rename: none of them pair, all are REMOVED + ADDED;
--   * when it has fewer or as many, the first |n| gone paths pair with the new ones and
--     the rest stay REMOVED (several identical files collapsed into fewer);
--   * a path that moved AND changed content is REMOVED + ADDED;
--   * paths compare byte for byte, so a case-only move (a/File.ttl -> a/file.ttl) is a
--     RENAMED.
-- The location of a change (relpath, dir, name) is its path in B when it has one, else
-- its path in A. Rows carry both file ids and formats, so term-level deltas can follow.
--
-- Speed: the full outer join over every path carries only ids, sizes, formats and the
-- content hash (strings on hundreds of thousands of rows are what cost); paths are fetched
-- again only for the gone/new rows that rename pairing sorts, and, in version_delta_in,
-- by file id for the rows a caller reads. Callers that only count use version_delta_ids.
-- The delta as ids, for counting and paging: one row per change with its kind, file ids,
-- sizes and formats, located under `folder` ('' for everything). `seg` is the first path
-- segment of the change's location below `folder` (NULL outside it) and `deep` says the
-- location is in a sub-folder of `folder` rather than directly in it, so a folder level
-- of the tree groups by `seg` without reading paths again.
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
)
SELECT CASE WHEN same THEN 'UNCHANGED' ELSE 'MODIFIED' END AS kind,
       old_file_id, new_file_id, old_size, new_size, new_format AS format, old_format, new_format, seg, deep
FROM joined WHERE old_file_id IS NOT NULL AND new_file_id IS NOT NULL AND seg IS NOT NULL
UNION ALL
SELECT 'RENAMED', old_file_id, new_file_id, old_size, new_size, new_format, old_format, new_format, seg, deep
FROM moves WHERE seg IS NOT NULL
UNION ALL
SELECT 'REMOVED', g.file_id, NULL, g.size_bytes, NULL, g.format, g.format, NULL, g.seg, g.deep
FROM gone g ANTI JOIN moves m ON m.old_file_id = g.file_id WHERE g.seg IS NOT NULL
UNION ALL
SELECT 'ADDED', NULL, c.file_id, NULL, c.size_bytes, c.format, NULL, c.format, c.seg, c.deep
FROM came c ANTI JOIN moves m ON m.new_file_id = c.file_id WHERE c.seg IS NOT NULL;

-- The delta under `folder` with paths and hashes, fetched by file id for the rows read.
CREATE OR REPLACE MACRO version_delta_in(a, b, folder) AS TABLE
SELECT COALESCE(nf.relpath, af.relpath) AS relpath, COALESCE(nf.dir, af.dir) AS dir, COALESCE(nf.name, af.name) AS name,
       d.kind, af.relpath AS old_relpath, nf.relpath AS new_relpath, d.old_size, d.new_size,
       af.sha256 AS old_sha256, nf.sha256 AS new_sha256, d.format, d.old_format, d.new_format,
       d.old_file_id, d.new_file_id
FROM version_delta_ids(a, b, folder) d
LEFT JOIN (SELECT file_id, relpath, dir, name, sha256 FROM extracted_files WHERE version_id = a::UUID) af ON af.file_id = d.old_file_id
LEFT JOIN (SELECT file_id, relpath, dir, name, sha256 FROM extracted_files WHERE version_id = b::UUID) nf ON nf.file_id = d.new_file_id;

CREATE OR REPLACE MACRO version_delta(a, b) AS TABLE
SELECT * FROM version_delta_in(a, b, '');
