/**
 * `ontocat server`: the same channels and the same React UI for a team, with accounts.
 *
 * Each request passes, in order: the session cookie (401 without a live session; the
 * UI's login page and static assets are public, they hold no data); for every POST the
 * Origin (when the browser sends one) must be the server's own, and the `x-csrf-token`
 * header must equal the session's synchronizer token (403 otherwise); then the channel's
 * role from channel-roles.ts (403 FORBIDDEN), and the call runs as the signed-in user, so
 * events name them. Sign-in (`POST /api/auth/login`) is rate-limited per account and per
 * address and always issues a new session id (an id planted before sign-in is dropped).
 * The cookie is HttpOnly, SameSite=Strict, Path=/, with Max-Age, and Secure with the
 * `__Host-` prefix whenever the browser reaches the server over TLS (own certificate
 * files, or a TLS-terminating reverse proxy with `trustProxy`).
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CSRF_HEADER, HTTP_API_PREFIX, HTTP_AUTH_LOGIN, HTTP_AUTH_LOGOUT, HTTP_AUTH_ME, SESSION_AUTH_SCHEME, type SignedInUser } from '../shared/api-protocol.js';
import { roleRefusal } from '../shared/channel-roles.js';
import type { Result } from '../shared/contract.js';
import type { Session } from '../handlers/session.js';
import type { IngestConfinement } from '../shared/ingest-confinement-policy.js';
import { TeamAccounts, type SignedIn, type TeamAccountsOptions } from '../handlers/team-accounts.js';
import { createApiHandler, DEFAULT_MAX_BODY_BYTES, sendFailure, sendJson, sendTooLarge } from './api-requests.js';
import { handleDownload, type DownloadSource } from './download-routes.js';
import { LoginLimiter, type LoginLimits } from './login-limiter.js';
import { allowedHosts, readCookie, tokensEqual } from './request-guard.js';
import { serveStatic } from './static-files.js';
import { countOf } from '../shared/count-noun.js';

export interface TeamServerOptions {
  readonly session: Session;
  readonly rendererDir: string;
  /** Address to bind (default 127.0.0.1; `0.0.0.0` for the network, or keep loopback behind a proxy). */
  readonly host?: string;
  readonly port?: number;
  /** PEM certificate and key files: the server speaks HTTPS itself. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /**
   * Behind a TLS-terminating reverse proxy: trust `X-Forwarded-Proto`/`-Host`/`-For` from it
   * (cookies become Secure; the client address for rate limits is the proxy's last hop).
   */
  readonly trustProxy?: boolean;
  /**
   * The origin browsers use (`https://ontocat.example.org`), accepted besides the request's
   * own. Given, it is also the one name the server answers to besides its own addresses:
   * another Host (or X-Forwarded-Host from a trusted proxy) gets 421, so a page whose DNS
   * name was pointed at this server (DNS rebinding) cannot read it.
   */
  readonly publicOrigin?: string;
  readonly accounts?: TeamAccountsOptions;
  readonly loginLimits?: LoginLimits;
  readonly downloads?: DownloadSource;
  readonly heartbeatMs?: number;
  readonly maxBodyBytes?: number;
  /**
   * Where users' calls may read sources: local paths only inside these ingest roots, and
   * no loopback, private or internal URLs unless allowed here. Every role is confined (an
   * admin widens it on the server's command line, not from a browser); default: no local
   * paths and public http(s) URLs only.
   */
  readonly confinement?: IngestConfinement;
}

/** The confinement of a server started without one: public URLs only, no local paths. */
export const DEFAULT_CONFINEMENT: IngestConfinement = { roots: [], allowedHosts: [], allowPrivateNetwork: false };

export interface TeamServer {
  readonly origin: string;
  readonly port: number;
  readonly accounts: TeamAccounts;
  close(): Promise<void>;
}

const COOKIE = 'ontocat_session';
const SECURE_COOKIE = '__Host-ontocat_session';
const LOGIN_BODY_LIMIT = 4096;

/**
 * The challenge of the team server's 401s (RFC 9110 §11.6.1 requires one): a scheme of its
 * own, as sign-in is a form posted to the login path, never a browser's Basic dialog.
 */
const SESSION_CHALLENGE = `${SESSION_AUTH_SCHEME} realm="Ontocat", login="${HTTP_AUTH_LOGIN}"`;

function readSmallBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the team server on one open session (the root's owner). */
export async function startTeamServer(options: TeamServerOptions): Promise<TeamServer> {
  const tls = options.tls ? { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) } : null;
  const secure = tls !== null || options.trustProxy === true;
  const cookieName = secure ? SECURE_COOKIE : COOKIE;
  const accounts = await TeamAccounts.open(options.session, options.accounts);
  const limiter = new LoginLimiter(options.loginLimits);
  const confinement = options.confinement ?? DEFAULT_CONFINEMENT;
  const api = createApiHandler({
    session: { invoke: (channel, input, callOptions) => options.session.invoke(channel, input, callOptions), on: (event, listener) => options.session.on(event, listener) },
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    challenge: SESSION_CHALLENGE,
  });
  const baseHeaders: Record<string, string> = tls ? { 'Strict-Transport-Security': 'max-age=31536000' } : {};

  function sessionCookie(id: string, maxAgeS: number): string {
    return `${cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
  }

  /** The scheme and host the browser used (from the proxy when trusted). */
  function requestOrigin(req: IncomingMessage): string {
    const forwardedProto = options.trustProxy ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim() : '';
    const forwardedHost = options.trustProxy ? String(req.headers['x-forwarded-host'] ?? '').split(',')[0]!.trim() : '';
    const proto = forwardedProto || (tls ? 'https' : 'http');
    return `${proto}://${(forwardedHost || String(req.headers.host ?? '')).toLowerCase()}`;
  }

  /** A browser's Origin on a state-changing request must be this server's; clients without one (the desktop relay, curl) rely on the CSRF token. */
  function originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    const given = String(origin).toLowerCase();
    return given === requestOrigin(req) || (options.publicOrigin !== undefined && given === options.publicOrigin.toLowerCase().replace(/\/$/, ''));
  }

  function clientAddress(req: IncomingMessage): string {
    if (options.trustProxy) {
      const hops = String(req.headers['x-forwarded-for'] ?? '').split(',').map((part) => part.trim()).filter(Boolean);
      const last = hops[hops.length - 1];
      if (last) return last;
    }
    return req.socket.remoteAddress ?? 'unknown';
  }

  /** The Host values answered (null: any, the public URL being unknown); set once listening. */
  let knownHosts: ReadonlySet<string> | null = null;
  const publicHost = options.publicOrigin ? new URL(options.publicOrigin).host.toLowerCase() : null;

  /** The host the request names: the proxy's X-Forwarded-Host when trusted, else Host. */
  function requestHost(req: IncomingMessage): string {
    const forwardedHost = options.trustProxy ? String(req.headers['x-forwarded-host'] ?? '').split(',')[0]!.trim() : '';
    return (forwardedHost || String(req.headers.host ?? '')).toLowerCase();
  }

  function describe(user: SignedIn): SignedInUser {
    return { username: user.username, role: user.role, csrf: user.csrf, expires_at: new Date(user.expiresAt).toISOString() };
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      sendFailure(res, 'METHOD_NOT_ALLOWED', 'Sign in with POST.', { ...baseHeaders, Allow: 'POST' });
      return;
    }
    if (!originAllowed(req)) {
      sendFailure(res, 'FORBIDDEN', 'Forbidden: cross-origin sign-in.', baseHeaders);
      return;
    }
    const text = await readSmallBody(req, LOGIN_BODY_LIMIT);
    if (text === null) {
      // RFC 9110 §15.5.14: too large is 413, not a malformed request; the rest is read and dropped first (sendTooLarge).
      sendTooLarge(req, res, `The sign-in body is larger than ${LOGIN_BODY_LIMIT} bytes.`, baseHeaders);
      return;
    }
    let body: { username?: unknown; password?: unknown } = {};
    try { body = JSON.parse(text) as typeof body; } catch { body = {}; }
    if (typeof body.username !== 'string' || typeof body.password !== 'string' || body.username.length > 64 || body.password.length > 1024) {
      sendFailure(res, 'BAD_INPUT', 'Send {"username": …, "password": …} as JSON.', baseHeaders);
      return;
    }
    const username = body.username.trim().toLowerCase();
    const address = clientAddress(req);
    // One attempt at a time per account and per address, each checked against the ones before.
    const done = await limiter.turn(username, address);
    let opened: Awaited<ReturnType<TeamAccounts['signIn']>>;
    try {
      const waitMs = limiter.retryAfterMs(username, address);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        sendFailure(res, 'RATE_LIMITED', `Too many failed sign-ins; try again in ${countOf(Math.ceil(seconds / 60), 'minute')}.`, { ...baseHeaders, 'Retry-After': String(seconds) });
        return;
      }
      // Whatever session the browser brought is ended: the new one never reuses its id.
      accounts.signOut(readCookie(req, cookieName));
      opened = await accounts.signIn(username, body.password, address);
      if (!opened) {
        limiter.failed(username, address);
        sendFailure(res, 'UNAUTHORIZED', 'Wrong user name or password.', { ...baseHeaders, 'WWW-Authenticate': SESSION_CHALLENGE });
        return;
      }
      limiter.succeeded(username);
    } finally {
      done();
    }
    const maxAge = Math.max(1, Math.floor((opened.expiresAt - Date.now()) / 1000));
    sendJson(res, 200, { ok: true, data: describe(opened) } satisfies Result<SignedInUser>, { ...baseHeaders, 'Set-Cookie': sessionCookie(opened.id, maxAge) });
  }

  function csrfOk(req: IncomingMessage, user: SignedIn): boolean {
    const given = req.headers[CSRF_HEADER];
    return typeof given === 'string' && tokensEqual(given, user.csrf);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (knownHosts && !knownHosts.has(requestHost(req))) {
      // RFC 9110 §15.5.20: this server is not configured to answer for that name.
      sendFailure(res, 'MISDIRECTED_REQUEST', `Misdirected request: this server answers as ${publicHost}, not as '${requestHost(req)}'.`, baseHeaders);
      return;
    }
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt >= 0 ? rawUrl.slice(0, queryAt) : rawUrl;
    const query = new URLSearchParams(queryAt >= 0 ? rawUrl.slice(queryAt + 1) : '');
    const isApi = rawPath === '/api' || rawPath.startsWith(HTTP_API_PREFIX);
    if (!isApi) {
      // The UI (its login page included) is public: it holds no catalog data.
      serveStatic(req, res, options.rendererDir, rawPath, baseHeaders);
      return;
    }
    if (rawPath === HTTP_AUTH_LOGIN) {
      await login(req, res);
      return;
    }
    const sessionId = readCookie(req, cookieName);
    await accounts.settled();
    const user = accounts.lookup(sessionId);
    if (!user) {
      const message = accounts.userCount === 0
        ? 'This server has no accounts yet: an admin adds one with `ontocat users add NAME --role admin` on the server.'
        : sessionId ? 'Your session has ended; sign in again.' : 'Sign in first.';
      sendFailure(res, 'UNAUTHORIZED', message, { ...baseHeaders, 'Cache-Control': 'no-store', 'WWW-Authenticate': SESSION_CHALLENGE });
      return;
    }
    if (rawPath === HTTP_AUTH_ME) {
      // RFC 9110 §9.3.2: HEAD is GET without content (Node sends no body for it); a write
      // method is no way to ask, and is 405 with Allow as on the web host.
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendFailure(res, 'METHOD_NOT_ALLOWED', 'Ask who is signed in with GET.', { ...baseHeaders, Allow: 'GET, HEAD' });
        return;
      }
      sendJson(res, 200, { ok: true, data: describe(user) } satisfies Result<SignedInUser>, baseHeaders);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (!originAllowed(req)) {
        sendFailure(res, 'FORBIDDEN', 'Forbidden: cross-origin request.', baseHeaders);
        return;
      }
      if (!csrfOk(req, user)) {
        sendFailure(res, 'FORBIDDEN', `Forbidden: missing or wrong ${CSRF_HEADER} header (reload the page).`, baseHeaders);
        return;
      }
    }
    if (rawPath === HTTP_AUTH_LOGOUT) {
      // Only a POST, which passed the Origin and CSRF checks above: a GET is safe (RFC 9110
      // §9.2.1), so an <img> on another page of the same site must not sign anyone out.
      if (req.method !== 'POST') {
        sendFailure(res, 'METHOD_NOT_ALLOWED', 'Sign out with POST.', { ...baseHeaders, Allow: 'POST' });
        return;
      }
      accounts.signOut(sessionId);
      sendJson(res, 200, { ok: true, data: { signed_out: user.username } }, { ...baseHeaders, 'Set-Cookie': sessionCookie('', 0) });
      return;
    }
    if (options.downloads && await handleDownload(req, res, rawPath, query, options.downloads, baseHeaders)) return;
    await api.handle(req, res, rawPath, baseHeaders, async (channel, input, callOptions) => {
      // Read again at call time: a role taken away while the body arrived applies already.
      await accounts.settled();
      const now = accounts.lookup(sessionId);
      if (!now) return { ok: false, code: 'UNAUTHORIZED', message: 'Your session has ended; sign in again.' };
      const refusal = roleRefusal(now.role, channel);
      if (refusal !== null) return { ok: false, code: 'FORBIDDEN', message: `${channel}: ${refusal}` };
      return options.session.invokeAs(now.username, channel, input, confinement, now.role, callOptions);
    }, () => accounts.lookup(sessionId) !== null);
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      console.error('[ontocat] team server request failed:', error);
      if (!res.headersSent) sendFailure(res, 'INTERNAL', 'The server failed to answer this request.');
      else res.destroy();
    });
  };
  const timeouts = { headersTimeout: 30_000, requestTimeout: 60_000, connectionsCheckingInterval: 1000 };
  const server: Server = tls ? createHttpsServer({ ...timeouts, cert: tls.cert, key: tls.key }, listener) : createHttpServer(timeouts, listener);
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (publicHost) {
    // The public name (with its scheme's default port written out too) and this server's own
    // addresses (the machine itself, a proxy forwarding with Host 127.0.0.1:port).
    const { protocol, hostname, port: publicPort } = new URL(options.publicOrigin!);
    const defaultPort = protocol === 'https:' ? '443' : '80';
    knownHosts = new Set([...allowedHosts(host, port), publicHost, `${hostname}:${publicPort || defaultPort}`.toLowerCase()]);
  }
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    origin: `${tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    accounts,
    close() {
      closing ??= new Promise<void>((resolve) => {
        api.endStreams();
        accounts.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
