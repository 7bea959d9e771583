-- A file pair's relabelled terms now carry the labels each side has and the other lacks,
-- not the first label of each side (issue #16): a term with labels in many languages
-- that gained one read "Catalog Record → Catalog Record". term_changes and term_delta_runs
-- are a cache of per-file comparisons, recomputed from the files when missing, so the
-- rows computed before are dropped rather than shown with the old meaning.
DELETE FROM term_changes;
DELETE FROM term_delta_runs;
