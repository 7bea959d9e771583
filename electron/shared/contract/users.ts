/**
 * Account channels of the team server: who may sign in and with which role.
 *
 * Passwords travel only in `users:add` and `users:set-password` inputs (over the owner's
 * local socket or the server's TLS) and are stored as scrypt hashes, never returned.
 */
import { z } from 'zod';
import { channel, empty } from './schemas.js';

/** What a role may do: viewer reads; curator also ingests, reviews, sets latest, pins; admin also applies housekeeping and manages users. */
export type Role = 'viewer' | 'curator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'curator', 'admin'];

/** An account as listed (never the hash). */
export interface UserInfo {
  readonly username: string;
  readonly role: Role;
  readonly created_at: string;
  readonly updated_at: string;
  /** When the account last signed in, null if never. */
  readonly last_login_at: string | null;
}

/** Lower-case letters, digits, `.`, `_`, `-`; 2 to 64 characters, starting with a letter or digit. */
export const usernameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'A user name is 2-64 characters: a-z, 0-9, ".", "_", "-", starting with a letter or digit.');
/** At least 10 characters (NIST SP 800-63B asks for 8 at least; no composition rules); at most 1024. */
export const passwordSchema = z.string().min(10, 'A password has at least 10 characters.').max(1024);
export const roleSchema = z.enum(['viewer', 'curator', 'admin']);

export const usersContract = {
  'users:list': channel(empty).returns<UserInfo[]>(),
  'users:add': channel(z.object({ username: usernameSchema, role: roleSchema, password: passwordSchema }).strict(), 'write').returns<UserInfo>(),
  'users:set-role': channel(z.object({ username: usernameSchema, role: roleSchema }).strict(), 'write').returns<UserInfo>(),
  'users:set-password': channel(z.object({ username: usernameSchema, password: passwordSchema }).strict(), 'write').returns<UserInfo>(),
  'users:remove': channel(z.object({ username: usernameSchema }).strict(), 'write').returns<{ readonly username: string; readonly sessions_ended: number }>(),
} as const;
