-- The term index records the contents of a validation run in batches (issue #16): each
-- statement of a recording scans the index's tables once, and one content a transaction
-- spent about 27 ms per content in those scans (16 s for the W3C suites' 590 small files
-- against 2 s for their validation). A staged row names its content by its place in the
-- batch.
ALTER TABLE term_index_stage ADD COLUMN content_ord INTEGER;
