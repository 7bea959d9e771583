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
CREATE OR REPLACE MACRO version_delta(a, b) AS TABLE
WITH fa AS (
  SELECT file_id, relpath, dir, name, size_bytes, sha256, format FROM extracted_files WHERE version_id = a::UUID
),
fb AS (
  SELECT file_id, relpath, dir, name, size_bytes, sha256, format FROM extracted_files WHERE version_id = b::UUID
),
joined AS MATERIALIZED (
  SELECT fa.file_id AS old_file_id, fb.file_id AS new_file_id,
         fa.relpath AS old_relpath, fb.relpath AS new_relpath,
         fa.dir AS old_dir, fb.dir AS new_dir, fa.name AS old_name, fb.name AS new_name,
         fa.size_bytes AS old_size, fb.size_bytes AS new_size,
         fa.sha256 AS old_sha256, fb.sha256 AS new_sha256,
         fa.format AS old_format, fb.format AS new_format
  FROM fa FULL OUTER JOIN fb ON fa.relpath = fb.relpath
),
gone AS MATERIALIZED (
  SELECT old_file_id, old_relpath, old_dir, old_name, old_size, old_sha256, old_format,
         row_number() OVER (PARTITION BY old_sha256 ORDER BY old_relpath) AS rn,
         count(*) OVER (PARTITION BY old_sha256) AS n
  FROM joined WHERE new_relpath IS NULL
),
came AS MATERIALIZED (
  SELECT new_file_id, new_relpath, new_dir, new_name, new_size, new_sha256, new_format,
         row_number() OVER (PARTITION BY new_sha256 ORDER BY new_relpath) AS rn,
         count(*) OVER (PARTITION BY new_sha256) AS n
  FROM joined WHERE old_relpath IS NULL
),
moves AS MATERIALIZED (
  SELECT g.*, c.new_file_id, c.new_relpath, c.new_dir, c.new_name, c.new_size, c.new_sha256, c.new_format
  FROM gone g JOIN came c ON c.new_sha256 = g.old_sha256 AND c.rn = g.rn AND c.n <= g.n
)
SELECT new_relpath AS relpath, new_dir AS dir, new_name AS name,
       CASE WHEN old_sha256 = new_sha256 THEN 'UNCHANGED' ELSE 'MODIFIED' END AS kind,
       old_relpath, new_relpath, old_size, new_size, old_sha256, new_sha256,
       new_format AS format, old_format, new_format, old_file_id, new_file_id
FROM joined WHERE old_relpath IS NOT NULL AND new_relpath IS NOT NULL
UNION ALL
SELECT new_relpath, new_dir, new_name, 'RENAMED',
       old_relpath, new_relpath, old_size, new_size, old_sha256, new_sha256,
       new_format, old_format, new_format, old_file_id, new_file_id
FROM moves
UNION ALL
SELECT g.old_relpath, g.old_dir, g.old_name, 'REMOVED',
       g.old_relpath, NULL, g.old_size, NULL, g.old_sha256, NULL,
       g.old_format, g.old_format, NULL, g.old_file_id, NULL
FROM gone g ANTI JOIN moves m ON m.old_file_id = g.old_file_id
UNION ALL
SELECT c.new_relpath, c.new_dir, c.new_name, 'ADDED',
       NULL, c.new_relpath, NULL, c.new_size, NULL, c.new_sha256,
       c.new_format, NULL, c.new_format, NULL, c.new_file_id
FROM came c ANTI JOIN moves m ON m.new_file_id = c.new_file_id;
