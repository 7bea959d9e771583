import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { HTTP_TOKEN_PARAM } from '../shared/api-protocol.js';

/** Header the renderer's HTTP client may send the token in, besides the cookie. */
export const TOKEN_HEADER = 'x-ontocat-token';

/** Host names a loopback server answers to; anything else is a DNS-rebinding attempt. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The `host:port` values the server accepts in the Host header: loopback names, the bound
 * address, and for a wildcard bind (`0.0.0.0`, `::`) this machine's interface addresses.
 */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  const addresses = boundHost === '0.0.0.0' || boundHost === '::'
    ? Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address))
    : [boundHost];
  for (const address of addresses) names.add(address.includes(':') ? `[${address}]` : address);
  return new Set([...names].map((name) => `${name}:${port}`.toLowerCase()));
}

/** Whether the Host header names this server. */
export function hostAllowed(req: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && hosts.has(host.toLowerCase());
}

/** Whether the Origin header (when a browser sends one) is this server's own origin. */
export function originAllowed(req: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (typeof origin !== 'string' || !origin.startsWith('http://')) return false;
  return hosts.has(origin.slice('http://'.length).toLowerCase()) && origin.toLowerCase() === `http://${String(req.headers.host).toLowerCase()}`;
}

/** Reads one cookie from the Cookie header. */
export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Compares two tokens in constant time. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type TokenCheck = 'ok' | 'ok-set-cookie' | 'missing' | 'wrong';

/**
 * Checks the request's token, taken from the URL (`?token=`, which then replaces the
 * cookie), else the header, else the cookie. The first one present decides, so a stale
 * cookie from an earlier run on the same port does not spoil a fresh printed URL.
 */
export function checkToken(req: IncomingMessage, query: URLSearchParams, token: string, cookieName: string): TokenCheck {
  const fromQuery = query.get(HTTP_TOKEN_PARAM);
  if (fromQuery !== null) {
    if (!tokensEqual(fromQuery, token)) return 'wrong';
    return readCookie(req, cookieName) === token ? 'ok' : 'ok-set-cookie';
  }
  const fromHeader = req.headers[TOKEN_HEADER];
  const offered = typeof fromHeader === 'string' ? fromHeader : readCookie(req, cookieName);
  if (offered === null) return 'missing';
  return tokensEqual(offered, token) ? 'ok' : 'wrong';
}
