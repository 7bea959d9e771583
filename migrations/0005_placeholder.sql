-- Placeholder (housekeeping branch only): keeps the numbering gap-free so that this
-- branch's 0006_housekeeping.sql applies. Drop it at merge; other branches own 0005.
SELECT 1;
