import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_API_PREFIX, HTTP_AUTH_ME, HTTP_TOKEN_COOKIE, HTTP_TOKEN_PARAM } from '../shared/api-protocol.js';
import { CONTENT_SECURITY_POLICY, HARDENING_HEADERS } from '../shared/content-security.js';
import { createApiHandler, DEFAULT_MAX_BODY_BYTES, sendFailure, TOKEN_CHALLENGE, type ApiSession } from './api-requests.js';
import { handleDownload, type DownloadSource } from './download-routes.js';
import { noTokenPage } from './no-token-page.js';
import { serveStatic } from './static-files.js';
import { allowedHosts, checkToken, hostAllowed, originAllowed } from './request-guard.js';

/** What the web host needs from a session: the untrusted-call entry and the event feed. */
export type WebHostSession = ApiSession;

export { DEFAULT_MAX_BODY_BYTES } from './api-requests.js';

export interface WebHostOptions {
  readonly session: WebHostSession;
  /** The built renderer (index.html + assets); a help page is served when it is missing. */
  readonly rendererDir: string;
  /** Address to bind; loopback unless the user asks otherwise. */
  readonly host?: string;
  /** Port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** The access token; random when not given. */
  readonly token?: string;
  /** Largest request body accepted (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Time between SSE heartbeats (default 15 s). */
  readonly heartbeatMs?: number;
  /** Time a client has to send a request's headers (default 30 s). */
  readonly headersTimeoutMs?: number;
  /** Time a client has to send a whole request, body included (default 60 s); answers stream as long as they need. */
  readonly requestTimeoutMs?: number;
  /** Time an idle keep-alive connection stays open (default 5 s). */
  readonly keepAliveTimeoutMs?: number;
  /** Stored files and table exports for `GET /api/download/…`; without it those paths are 404. */
  readonly downloads?: DownloadSource;
}

export interface WebHost {
  /** The URL to open, token included. */
  readonly url: string;
  /** `http://host:port`, without the token. */
  readonly origin: string;
  readonly port: number;
  readonly host: string;
  readonly token: string;
  /** Stops accepting, ends event streams and open connections. */
  close(): Promise<void>;
}

/**
 * Starts the web host: the built renderer plus every channel over HTTP, for one session.
 *
 * Every request passes, in order: the Host header must name this server (no DNS
 * rebinding) and a browser's Origin must be this server's own (403 otherwise); then the
 * token (401 when missing or wrong). The printed URL carries the token once; it is then
 * kept as an HttpOnly, SameSite=Strict cookie. Channels are `POST /api/<channel>` with a
 * JSON body of at most `maxBodyBytes` (413 beyond), answered with the Result as JSON;
 * events stream as SSE on `GET /api/events`.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const api = createApiHandler({ session: options.session, maxBodyBytes: maxBody, heartbeatMs });
  let hosts = new Set<string>();
  let cookieName = HTTP_TOKEN_COOKIE;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, hosts)) {
      sendFailure(res, 'FORBIDDEN', 'Forbidden: unexpected Host header.');
      return;
    }
    if (!originAllowed(req, hosts)) {
      sendFailure(res, 'FORBIDDEN', 'Forbidden: cross-origin request.');
      return;
    }
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt >= 0 ? rawUrl.slice(0, queryAt) : rawUrl;
    const query = new URLSearchParams(queryAt >= 0 ? rawUrl.slice(queryAt + 1) : '');
    const tokenState = checkToken(req, query, token, cookieName);
    const isApi = rawPath === '/api' || rawPath.startsWith(HTTP_API_PREFIX);
    if ((tokenState === 'missing' || tokenState === 'wrong') && !isApi && (req.method === 'GET' || req.method === 'HEAD')) {
      // A person opened a page: tell them how to get in. API callers keep the JSON below.
      const page = noTokenPage(tokenState);
      res.writeHead(401, { ...HARDENING_HEADERS, 'WWW-Authenticate': TOKEN_CHALLENGE, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : page);
      return;
    }
    if (tokenState === 'missing' || tokenState === 'wrong') {
      sendFailure(res, 'UNAUTHORIZED', tokenState === 'missing'
        ? 'Unauthorized: open the URL printed by `ontocat serve` (it carries the access token).'
        : 'Unauthorized: wrong access token; open the URL printed by `ontocat serve`.');
      return;
    }
    const extra: Record<string, string> = tokenState === 'ok-set-cookie'
      ? { 'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/` }
      : {};
    if (rawPath === HTTP_AUTH_ME) {
      // RFC 9110 §9.3.2: HEAD is GET without content; other methods are 405 with Allow.
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendFailure(res, 'METHOD_NOT_ALLOWED', 'Ask who is signed in with GET.', { ...extra, Allow: 'GET, HEAD' });
        return;
      }
      // The same UI asks every host who is signed in; here nobody signs in (the token is the
      // key), which the answer `data: null` says, so the app opens at once.
      const body = JSON.stringify({ ok: true, data: null });
      res.writeHead(200, { ...HARDENING_HEADERS, ...extra, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (isApi && options.downloads && await handleDownload(req, res, rawPath, query, options.downloads, extra)) return;
    if (isApi) {
      await api.handle(req, res, rawPath, extra);
    } else {
      serveStatic(req, res, options.rendererDir, rawPath, extra);
    }
  }

  const headersTimeout = options.headersTimeoutMs ?? 30_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 60_000, headersTimeout);
  // Node checks those two timeouts on this interval (30 s by default, too coarse for them).
  const server: Server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[ontocat] web host request failed:', error);
      if (!res.headersSent) sendFailure(res, 'INTERNAL', 'The server failed to answer this request.');
      else res.destroy();
    });
  });
  // A client holding the token still may not hold a connection by sending slowly: the
  // request timeout covers receiving the request only, so event streams and long
  // channel calls (an ingest answers when it is done) are not cut.
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  // Cookies ignore ports: name the cookie per port so two hosts on one machine do not clash.
  cookieName = `${HTTP_TOKEN_COOKIE}_${port}`;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${urlHost}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?${HTTP_TOKEN_PARAM}=${token}`,
    origin, port, host, token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        api.endStreams();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
