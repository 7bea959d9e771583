-- The team server's accounts and sessions, and who did what in the audit log.

-- One account. The password is stored as an scrypt hash in PHC-like form
-- (`scrypt$N$r$p$salt$hash`, base64url), never in the clear; role is the least role a
-- channel needs (electron/shared/channel-roles.ts).
CREATE TABLE users (
  username       VARCHAR   PRIMARY KEY,
  role           VARCHAR   NOT NULL CHECK (role IN ('viewer', 'curator', 'admin')),
  password_hash  VARCHAR   NOT NULL,
  created_at     TIMESTAMP NOT NULL,
  updated_at     TIMESTAMP NOT NULL,
  last_login_at  TIMESTAMP
);

-- One signed-in browser or desktop relay. The cookie carries a random id; only its
-- SHA-256 is stored, so a copy of the catalog signs nobody in. The CSRF token is the
-- synchronizer token the client echoes in a header on every state-changing call.
CREATE TABLE user_sessions (
  session_hash  VARCHAR   PRIMARY KEY,
  username      VARCHAR   NOT NULL,
  csrf_token    VARCHAR   NOT NULL,
  created_at    TIMESTAMP NOT NULL,
  expires_at    TIMESTAMP NOT NULL,
  address       VARCHAR
);

-- Who caused each event: a user name on the team server, else the front door
-- (`desktop`, `web`, `cli`). NULL for events recorded before this migration.
ALTER TABLE events ADD COLUMN actor VARCHAR;
