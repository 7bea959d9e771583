-- When a source's schedule was last set or changed. Counted from the source's creation,
-- a schedule added to a source saved days before had already "fired" since, and the
-- scheduler ran the source at once; a schedule's first run is its first firing after this
-- moment (or after the last scheduled run, whichever is later). Sources saved before keep
-- their creation time, as they were counted until now.
ALTER TABLE sources ADD COLUMN schedule_set_at TIMESTAMP;
UPDATE sources SET schedule_set_at = created_at;
