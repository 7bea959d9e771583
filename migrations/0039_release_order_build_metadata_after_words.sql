-- Build metadata after a pre-release does not order either (semver 2.0.0 §10, whose own
-- examples are 1.0.0-alpha+001 and 1.0.0-beta+exp.sha.5114f85). 0034 ended the ordering
-- part at a '+' after a digit only, so '1.0.0-beta+exp.sha.5114f85' kept 'exp', 'sha', …
-- as pre-release identifiers and came after 1.0.0-beta.2 (prune kept it over the newer
-- beta.2), and '1.0.0-alpha+001' read as 1.0.0-alpha.1. A version string that starts with
-- a number now ends its ordering part at its first '+' after a letter or digit too; 0034's
-- rule stays for the rest.
CREATE OR REPLACE MACRO release_version_parts(v) AS flatten(list_transform(
  regexp_extract_all(regexp_replace(regexp_replace(regexp_replace(lower(v),
      '^(v?[0-9][0-9a-z._-]*[0-9a-z])\+.*$', '\1'), '([0-9])\+.*$', '\1'), '^v([0-9])', '\1'), '[0-9]+|[a-z]+'),
  t -> CASE WHEN regexp_full_match(t, '(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])')
            THEN [t[1:4], t[5:6], t[7:8]] ELSE [t] END));

-- The stored keys of versions that carry a '+', read again by the new rule.
UPDATE versions SET version_key = release_version_key(version) WHERE contains(version, '+');
