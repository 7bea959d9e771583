-- Build metadata does not order a version (semver 2.0.0 §10): '2.0.0+build.5' is the
-- release 2.0.0, newer than '2.0.0-rc.2'. release_version_parts of 0007 read '+build' as
-- a word, which starts a pre-release, so such a release came before its own release
-- candidates (prune kept the candidate, growth ran backwards). A '+' after a digit now
-- ends the part of the string that orders; anything else about the key is as in 0007.
CREATE OR REPLACE MACRO release_version_parts(v) AS flatten(list_transform(
  regexp_extract_all(regexp_replace(regexp_replace(lower(v), '([0-9])\+.*$', '\1'), '^v([0-9])', '\1'), '[0-9]+|[a-z]+'),
  t -> CASE WHEN regexp_full_match(t, '(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])')
            THEN [t[1:4], t[5:6], t[7:8]] ELSE [t] END));

-- The stored keys of versions that carry build metadata, read again by the new rule.
UPDATE versions SET version_key = release_version_key(version) WHERE regexp_matches(version, '[0-9]\+');
