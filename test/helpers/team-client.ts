/**
 * A plain HTTP client of `ontocat server` for tests: sign in, call channels with the
 * session cookie and CSRF token, with any header overridden to try what a browser or an
 * attacker would send.
 */
import { request } from 'node:http';
import type { SignedInUser } from '../../electron/shared/api-protocol.js';
import { rawRequest, type RawResponse } from './http-request.js';

export interface TeamLogin {
  readonly response: RawResponse;
  /** `name=value` of the session cookie, or null when sign-in failed. */
  readonly cookie: string | null;
  /** The raw Set-Cookie line (flags included). */
  readonly setCookie: string | null;
  readonly user: SignedInUser | null;
}

export async function teamLogin(port: number, username: string, password: string, headers: Record<string, string> = {}): Promise<TeamLogin> {
  const response = await rawRequest(port, {
    method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }),
  });
  const raw = response.headers['set-cookie'];
  const setCookie = Array.isArray(raw) ? raw[0] ?? null : null;
  const cookie = setCookie ? setCookie.split(';')[0]! : null;
  const user = response.status === 200 ? response.json<{ data: SignedInUser }>().data : null;
  return { response, cookie, setCookie, user };
}

/** Calls a channel as a signed-in user; `headers` override the cookie, token or Origin. */
export function teamCall(port: number, login: { cookie: string | null; user: SignedInUser | null }, channel: string, input: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(port, {
    method: 'POST', path: `/api/${channel}`,
    headers: {
      'content-type': 'application/json',
      ...(login.cookie ? { cookie: login.cookie } : {}),
      ...(login.user ? { 'x-csrf-token': login.user.csrf } : {}),
      ...headers,
    },
    body: JSON.stringify(input),
  });
}

/** Starts a channel call and drops the connection once the request is sent (a browser tab closed). */
export function teamCallAndLeave(port: number, login: { cookie: string | null; user: SignedInUser | null }, channel: string, input: unknown): Promise<void> {
  return new Promise((resolve) => {
    const body = JSON.stringify(input);
    const req = request({
      host: '127.0.0.1', port, method: 'POST', path: `/api/${channel}`,
      headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie: login.cookie ?? '', 'x-csrf-token': login.user?.csrf ?? '' },
    });
    req.on('error', () => undefined);
    req.end(body, () => setTimeout(() => { req.destroy(); resolve(); }, 300));
  });
}
