/**
 * Who is signed in to the team server: accounts, sessions and their CSRF tokens.
 *
 * Accounts live in the catalog (`users`, migration 0011); this keeps a copy of who may sign
 * in, refreshed whenever a `users:*` channel commits (also when the CLI changes accounts
 * through the owner's endpoint), so every request is checked without a query. Sessions are
 * kept here and written behind to `user_sessions` (only the SHA-256 of each id), so a
 * restarted server keeps its users signed in while a sign-in never waits behind a long
 * write of an ingest job.
 */
import { createHash, randomBytes } from 'node:crypto';
import { deleteSession, insertSession, listCredentials, liveSessions, type StoredSession } from '../catalog/user-queries.js';
import type { Role } from '../shared/contract/users.js';
import { verifyAgainstDummy, verifyPassword } from './password-hash.js';
import type { Session } from './session.js';

/** A signed-in user as the server sees each request. */
export interface SignedIn {
  readonly username: string;
  readonly role: Role;
  /** The synchronizer token every state-changing call must echo. */
  readonly csrf: string;
  readonly expiresAt: number;
}

/** A new session: the id goes in the cookie, the CSRF token to the client's script. */
export interface NewSession extends SignedIn {
  readonly id: string;
}

export interface TeamAccountsOptions {
  /** How long a session lasts from sign-in (default 12 h). */
  readonly sessionTtlMs?: number;
  readonly now?: () => number;
}

interface Account { readonly role: Role; readonly hash: string }
interface Held { readonly username: string; readonly csrf: string; readonly expiresAt: number }

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export class TeamAccounts {
  private accounts = new Map<string, Account>();
  private readonly sessions = new Map<string, Held>();
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;
  private refreshing: Promise<void> = Promise.resolve();

  private constructor(private readonly session: Session, options: TeamAccountsOptions) {
    this.ttl = options.sessionTtlMs ?? 12 * 3600_000;
    this.now = options.now ?? Date.now;
    this.unsubscribe = session.on('catalog:changed', ({ channel }) => {
      // A restored backup brings its own accounts (and the sessions stored when it was taken).
      const restored = channel === 'backup:restore';
      if (channel.startsWith('users:') || restored) this.refreshing = this.refreshing.then(() => this.refresh(restored), () => this.refresh(restored));
    });
  }

  /** Loads the accounts and the sessions that outlived the last run. */
  static async open(session: Session, options: TeamAccountsOptions = {}): Promise<TeamAccounts> {
    const accounts = new TeamAccounts(session, options);
    await accounts.refresh();
    for (const stored of await session.catalog.read((conn) => liveSessions(conn))) {
      accounts.sessions.set(stored.session_hash, { username: stored.username, csrf: stored.csrf_token, expiresAt: Date.parse(`${stored.expires_at.replace(/Z?$/, 'Z')}`) });
    }
    return accounts;
  }

  /**
   * Waits for account changes already committed to be seen. The server waits here before
   * it trusts a session or a password: the reload may queue behind long reads, and until
   * it is done a removed account or an old password would still pass. Never rejects (a
   * failed reload keeps the accounts as they were).
   */
  settled(): Promise<void> {
    return this.refreshing.then(() => undefined, () => undefined);
  }

  /** How many accounts exist (a server with none tells its admin how to add one). */
  get userCount(): number {
    return this.accounts.size;
  }

  private async refresh(restored = false): Promise<void> {
    const rows = await this.session.catalog.read((conn) => listCredentials(conn));
    const next = new Map(rows.map((row) => [row.username, { role: row.role, hash: row.password_hash }]));
    // A removed account, or a changed password, ends that user's sessions here too.
    for (const [key, held] of this.sessions) {
      const before = this.accounts.get(held.username);
      const after = next.get(held.username);
      if (!after || (before && before.hash !== after.hash)) this.sessions.delete(key);
    }
    this.accounts = next;
    if (restored) {
      // The backup's stored sessions include ones signed out since: a restart must not bring them back.
      const held = new Set(this.sessions.keys());
      this.persist(async (tx) => {
        for (const stored of await liveSessions(tx)) if (!held.has(stored.session_hash)) await deleteSession(tx, stored.session_hash);
      });
    }
  }

  /**
   * Checks a user name and password; on success opens a new session (always a new id, so
   * an id planted before sign-in is worthless). Unknown names cost the same time as known ones.
   */
  async signIn(username: string, password: string, address: string | null): Promise<NewSession | null> {
    await this.settled();
    const account = this.accounts.get(username);
    const ok = account ? await verifyPassword(password, account.hash) : await verifyAgainstDummy(password);
    // The account may have changed while scrypt ran.
    await this.settled();
    const current = this.accounts.get(username);
    if (!ok || !account || !current || current.hash !== account.hash) return null;
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const createdAt = this.now();
    const expiresAt = createdAt + this.ttl;
    const key = hashId(id);
    this.sessions.set(key, { username, csrf, expiresAt });
    const stored: StoredSession = {
      session_hash: key, username, csrf_token: csrf,
      created_at: new Date(createdAt).toISOString(), expires_at: new Date(expiresAt).toISOString(),
    };
    this.persist((tx) => insertSession(tx, stored, address));
    return { id, username, role: current.role, csrf, expiresAt };
  }

  /** The user a session id belongs to, or null (unknown, expired, or the account is gone). */
  lookup(id: string | null): SignedIn | null {
    if (!id || id.length > 200) return null;
    const key = hashId(id);
    const held = this.sessions.get(key);
    if (!held) return null;
    const account = this.accounts.get(held.username);
    if (!account || held.expiresAt <= this.now()) {
      this.sessions.delete(key);
      return null;
    }
    // The role is read now, so a changed role applies from the next request.
    return { username: held.username, role: account.role, csrf: held.csrf, expiresAt: held.expiresAt };
  }

  /** Ends a session (sign out). */
  signOut(id: string | null): void {
    if (!id) return;
    const key = hashId(id);
    if (this.sessions.delete(key)) this.persist((tx) => deleteSession(tx, key));
  }

  private persist(task: Parameters<Session['catalog']['write']>[0]): void {
    this.session.catalog.write(task).catch((error: unknown) => {
      console.warn(`[ontocat] could not record a session change: ${(error as Error).message}`);
    });
  }

  /** Stops following account changes. */
  close(): void {
    this.unsubscribe();
  }
}
