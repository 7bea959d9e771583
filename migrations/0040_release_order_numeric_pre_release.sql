-- A semver pre-release that starts with a number (1.0.1-0, 1.0.1-1, 1.0.1-0.3.7: what
-- `npm version prerelease` makes) comes before its release (semver 2.0.0 §11), and before a
-- pre-release that starts with a word (numeric identifiers are lower). 0007 read the number
-- after '-' as one more part, so 1.0.1-2 came after 1.0.1: prune --keep-last 1 kept the
-- pre-release and removed the release. Only a version string that is semver as a whole
-- (three numbers without leading zeros, then '-') is read so; 2.1-3 or 2024.01.02-1 keep
-- 0007's reading (GNU sort -V's). The pre-release then starts with an empty word, which
-- sorts before every word ('.' before any letter): its key part is '1.'.
CREATE OR REPLACE MACRO release_version_parts(v) AS flatten(list_transform(
  regexp_extract_all(
    regexp_replace(
      regexp_replace(regexp_replace(regexp_replace(lower(v),
        '^(v?[0-9][0-9a-z._-]*[0-9a-z])\+.*$', '\1'), '([0-9])\+.*$', '\1'), '^v([0-9])', '\1'),
      '^((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*))-([0-9][0-9a-z.-]*)$', '\1-~\5'),
    '[0-9]+|[a-z]+|~'),
  t -> CASE WHEN t = '~' THEN ['']
            WHEN regexp_full_match(t, '(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])')
            THEN [t[1:4], t[5:6], t[7:8]] ELSE [t] END));

-- A word is any part that is not a number: the empty word counts as one.
CREATE OR REPLACE MACRO release_first_word(p) AS COALESCE(list_position(list_transform(p, t -> NOT regexp_full_match(t, '[0-9]+')), true), 0);

CREATE OR REPLACE MACRO release_key_of_parts(p, w) AS array_to_string(list_transform(range(1, len(p) + 1), i ->
  CASE
    WHEN NOT regexp_full_match(p[i], '[0-9]+') THEN (CASE WHEN w > 0 AND w < i THEN '3' ELSE '1' END) || p[i] || '.'
    ELSE (CASE WHEN w > 0 AND w < i THEN '2' ELSE '3' END)
         || lpad(least(length(COALESCE(NULLIF(ltrim(p[i], '0'), ''), '0')), 99)::VARCHAR, 2, '0')
         || COALESCE(NULLIF(ltrim(p[i], '0'), ''), '0')
  END), '') || CASE WHEN w = 0 THEN '2' ELSE '1' END;

-- The stored keys of versions with such a pre-release, read again by the new rule.
UPDATE versions SET version_key = release_version_key(version)
WHERE regexp_matches(lower(version), '^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)-[0-9]');
