/**
 * The team server's accounts and sessions (migration 0011): every SQL statement on them.
 */
import type { Role, UserInfo } from '../shared/contract/users.js';
import type { SqlConnection } from './sql.js';
import type { WriteTx } from './open-catalog.js';

/** An account with its password hash, for signing in; never leaves the server. */
export interface UserCredentials {
  readonly username: string;
  readonly role: Role;
  readonly password_hash: string;
}

/** A stored session: the hash of its id, never the id. */
export interface StoredSession {
  readonly session_hash: string;
  readonly username: string;
  readonly csrf_token: string;
  readonly created_at: string;
  readonly expires_at: string;
}

const userColumns = 'username, role, created_at, updated_at, last_login_at';

/** Every account, by name. */
export function listUsers(conn: SqlConnection): Promise<UserInfo[]> {
  return conn.all<UserInfo>(`SELECT ${userColumns} FROM users ORDER BY username`);
}

/** One account, or null. */
export function getUser(conn: SqlConnection, username: string): Promise<UserInfo | null> {
  return conn.one<UserInfo>(`SELECT ${userColumns} FROM users WHERE username = $username`, { username });
}

/** Every account with its hash (the server's cache of who may sign in). */
export function listCredentials(conn: SqlConnection): Promise<UserCredentials[]> {
  return conn.all<UserCredentials>('SELECT username, role, password_hash FROM users ORDER BY username');
}

/** How many admins there are besides `except`. */
export async function otherAdmins(conn: SqlConnection, except: string): Promise<number> {
  return Number(await conn.scalar<number>("SELECT count(*) FROM users WHERE role = 'admin' AND username <> $except", { except }));
}

export async function insertUser(tx: WriteTx, username: string, role: Role, passwordHash: string): Promise<void> {
  await tx.run(
    'INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ($username, $role, $hash, now()::TIMESTAMP, now()::TIMESTAMP)',
    { username, role, hash: passwordHash },
  );
}

export async function updateRole(tx: WriteTx, username: string, role: Role): Promise<void> {
  await tx.run('UPDATE users SET role = $role, updated_at = now()::TIMESTAMP WHERE username = $username', { username, role });
}

/** Sets a new password hash and ends the account's sessions (a changed password signs everyone out). */
export async function updatePassword(tx: WriteTx, username: string, passwordHash: string): Promise<number> {
  await tx.run('UPDATE users SET password_hash = $hash, updated_at = now()::TIMESTAMP WHERE username = $username', { username, hash: passwordHash });
  return deleteUserSessions(tx, username);
}

/** Removes an account and its sessions; returns how many sessions ended. */
export async function deleteUser(tx: WriteTx, username: string): Promise<number> {
  const ended = await deleteUserSessions(tx, username);
  await tx.run('DELETE FROM users WHERE username = $username', { username });
  return ended;
}

async function deleteUserSessions(tx: WriteTx, username: string): Promise<number> {
  const count = Number(await tx.scalar<number>('SELECT count(*) FROM user_sessions WHERE username = $username', { username }));
  await tx.run('DELETE FROM user_sessions WHERE username = $username', { username });
  return count;
}

/** Records a new session (and the account's sign-in time). */
export async function insertSession(tx: WriteTx, session: StoredSession, address: string | null): Promise<void> {
  await tx.run(
    `INSERT INTO user_sessions (session_hash, username, csrf_token, created_at, expires_at, address)
     VALUES ($hash, $username, $csrf, $created::TIMESTAMP, $expires::TIMESTAMP, $address)`,
    { hash: session.session_hash, username: session.username, csrf: session.csrf_token, created: session.created_at, expires: session.expires_at, address },
  );
  await tx.run('UPDATE users SET last_login_at = $created::TIMESTAMP WHERE username = $username', { username: session.username, created: session.created_at });
}

/** Ends one session and every expired one. */
export async function deleteSession(tx: WriteTx, sessionHash: string): Promise<void> {
  await tx.run('DELETE FROM user_sessions WHERE session_hash = $hash OR expires_at <= now()::TIMESTAMP', { hash: sessionHash });
}

/** Sessions that have not expired (a restarted server keeps its users signed in). */
export function liveSessions(conn: SqlConnection): Promise<StoredSession[]> {
  return conn.all<StoredSession>(
    `SELECT s.session_hash, s.username, s.csrf_token, s.created_at, s.expires_at FROM user_sessions s JOIN users u USING (username)
     WHERE s.expires_at > now()::TIMESTAMP ORDER BY s.session_hash`,
  );
}
