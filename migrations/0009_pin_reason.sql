-- Why a version is pinned, in the curator's words, and since when. `versions.pinned` stays
-- the truth of whether it is pinned; a row here exists only while it is (unpinning drops
-- it). Prune previews show the reason beside "kept: pinned".
CREATE TABLE version_pins (
  version_id  UUID      PRIMARY KEY,
  reason      VARCHAR   NOT NULL,
  pinned_at   TIMESTAMP NOT NULL
);
