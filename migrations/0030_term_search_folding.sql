-- Term search folds case as one function on both sides (electron/catalog/term-text-fold.ts):
--
-- * The stored search text (term_keys.term_lc and curie_lc, term_labels.label_lc) was
--   DuckDB's lower(), the typed text JavaScript's toLowerCase(), which maps a word-final
--   `Σ` to `ς` and `İ` to `i` + U+0307 where lower() gives `σ` and `i`: `ΦΥΣΙΚΟΣ ΚΑΝΟΝΑΣ`
--   and `İZMİR` found nothing, even typed as the file writes them. The typed text is now
--   folded by DuckDB too.
-- * `ς` folds to `σ` on both sides, so `φυσικος` finds `ΦΥΣΙΚΟΣ`, and `ΦΥΣΙΚΟΣ` a label
--   written `φυσικος`. New rows are written so; this brings the stored ones to it.
--
-- Every stored value was lower() of its text, so its folding is the value with `ς`
-- replaced: no content is re-read (a TERM_INDEX_RULES bump would parse every file again).
-- Each statement scans one column of its table and rewrites only the rows holding a `ς`
-- (Greek labels; few or none in most catalogs).
UPDATE term_labels SET label_lc = replace(label_lc, 'ς', 'σ') WHERE contains(label_lc, 'ς');
UPDATE term_keys SET term_lc = replace(term_lc, 'ς', 'σ') WHERE contains(term_lc, 'ς');
UPDATE term_keys SET curie_lc = replace(curie_lc, 'ς', 'σ') WHERE contains(curie_lc, 'ς');
