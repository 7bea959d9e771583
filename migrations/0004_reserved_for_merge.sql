-- Placeholder so that this branch's 0005 applies without a gap (the runner refuses gaps).
-- Another branch owns 0004; the lead drops this file when merging.
SELECT 1;
