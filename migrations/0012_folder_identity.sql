-- Device and inode of the folders Ontocat acts in (issue 18, "compare device and inode with
-- what the catalog recorded"): the storage root (recorded when the catalog opens), each
-- version's data folder (recorded when its files are recorded: ingest, import, adopt, and
-- by doctor for versions ingested before this migration or re-made by hand) and each trash
-- entry's folder (recorded when a prune or doctor apply creates it). Prune apply, doctor
-- apply and trash restore/empty compare the folder on disk with this row right before they
-- act: a folder swapped for another real folder, a symlink or a mount point is refused.
-- A side table, so extracted_files and versions keep their column order.
-- Numbers are kept as text of the exact integers Node reports (no 2^53 rounding question).
CREATE TABLE folder_identity (
  relpath      VARCHAR   PRIMARY KEY,   -- '' for the storage root itself
  role         VARCHAR   NOT NULL CHECK (role IN ('root', 'version_data', 'trash')),
  version_id   UUID,                    -- role version_data
  plan_id      VARCHAR,                 -- role trash
  dev          VARCHAR   NOT NULL,
  ino          VARCHAR   NOT NULL,
  recorded_at  TIMESTAMP NOT NULL,
  recorded_by  VARCHAR   NOT NULL        -- init/open, ingest, doctor, prune, doctor-apply, restore
);
