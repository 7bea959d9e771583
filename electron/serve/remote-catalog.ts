/**
 * A remote catalog: a client of an `ontocat server` that the desktop app's main process
 * holds in place of a local session, so the renderer works unchanged.
 *
 * It signs in (keeping the session cookie and CSRF token in this process, never in the
 * renderer), relays each channel call as `POST /api/<channel>`, and turns the server's SSE
 * stream into the same events a local session pushes, reconnecting after a drop. Plain
 * Node (http/https), so it is tested directly against a real server.
 */
import { createWriteStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { CSRF_HEADER, HTTP_API_PREFIX, HTTP_AUTH_LOGIN, HTTP_AUTH_LOGOUT, HTTP_AUTH_ME, HTTP_EVENTS_PATH, REQUEST_ID_HEADER, type CallOptions, type SignedInUser } from '../shared/api-protocol.js';
import type { EventMap, EventName, Result } from '../shared/contract.js';
import { eventNames } from '../shared/event-names.js';
import { OntocatError, type OntocatErrorCode } from '../shared/errors.js';
import { saveAtomically } from '../handlers/table-download.js';
import { ROWS_HEADER } from './download-routes.js';

export interface RemoteOptions {
  /** The server's URL (`https://ontocat.example.org`). */
  readonly url: string;
  /** Extra trusted CA certificates (PEM), for a server with a private CA. */
  readonly ca?: string | Buffer;
  /** Wait before reconnecting the event stream (default 2 s, as the server's `retry:`). */
  readonly reconnectMs?: number;
}

interface Answer { readonly status: number; readonly headers: IncomingMessage['headers']; readonly body: string }

const KNOWN_EVENTS: ReadonlySet<string> = new Set(eventNames);

/** One HTTP exchange with a small JSON body. */
function exchange(base: URL, options: RemoteOptions, method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(new URL(pathname, base), { method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) }, ca: options.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function asResult<T>(answer: Answer): Result<T> {
  try {
    const parsed = JSON.parse(answer.body) as Result<T>;
    if (parsed && typeof parsed === 'object' && 'ok' in parsed) return parsed;
  } catch {
    // Not JSON: described below.
  }
  return { ok: false, code: 'INTERNAL', message: `The server answered ${answer.status} without a result.` };
}

/** The session cookie (`name=value`) from a sign-in's Set-Cookie. */
function sessionCookie(headers: IncomingMessage['headers']): string | null {
  for (const line of headers['set-cookie'] ?? []) {
    const pair = line.split(';')[0]!.trim();
    if (/^(__Host-)?ontocat_session=/.test(pair)) return pair;
  }
  return null;
}

export class RemoteCatalog {
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private stream: { close(): void } | null = null;
  /** The id of the last event heard, sent again on reconnecting so the server gives what was missed. */
  private lastEventId: string | null = null;
  private closed = false;

  private constructor(
    private readonly base: URL,
    private readonly options: RemoteOptions,
    private cookie: string,
    /** Who is signed in, with the CSRF token every call echoes. */
    public user: SignedInUser,
  ) {}

  /** Signs in; rejects with the server's message (wrong password, rate limit, unreachable). */
  static async signIn(options: RemoteOptions, username: string, password: string): Promise<RemoteCatalog> {
    const base = new URL(options.url);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error(`Not an http(s) URL: ${options.url}`);
    const answer = await exchange(base, options, 'POST', HTTP_AUTH_LOGIN, { accept: 'application/json' }, JSON.stringify({ username, password }));
    const result = asResult<SignedInUser>(answer);
    if (!result.ok) throw Object.assign(new Error(result.message), { code: result.code });
    const cookie = sessionCookie(answer.headers);
    if (!cookie) throw new Error('The server signed in without a session cookie.');
    return new RemoteCatalog(base, options, cookie, result.data);
  }

  /** The server's origin. */
  get origin(): string {
    return this.base.origin;
  }

  /** Relays one channel call; never throws (an unreachable server is an IO_ERROR result). */
  async invoke(channel: string, input: unknown, options: CallOptions = {}): Promise<Result<unknown>> {
    if (this.closed) return { ok: false, code: 'UNAUTHORIZED', message: 'Signed out of the remote catalog.' };
    try {
      const answer = await exchange(this.base, this.options, 'POST', `${HTTP_API_PREFIX}${channel}`, {
        cookie: this.cookie, [CSRF_HEADER]: this.user.csrf, accept: 'application/json',
        ...(options.requestId === undefined ? {} : { [REQUEST_ID_HEADER]: options.requestId }),
      }, JSON.stringify(input ?? {}));
      return asResult(answer);
    } catch (error) {
      return { ok: false, code: 'IO_ERROR', message: `Cannot reach ${this.base.origin}: ${(error as Error).message}` };
    }
  }

  /**
   * Saves what a download route answers (`/api/download/export`, `/api/download/file`) to
   * `target`, with the session cookie; rejects with the server's refusal, leaving no file.
   * `rows`: how many rows an export holds, when the server says.
   */
  download(pathname: string, params: Readonly<Record<string, string>>, target: string): Promise<{ bytes: number; rows: number | null }> {
    const url = new URL(pathname, this.base);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const send = this.base.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: 'GET', headers: { cookie: this.cookie }, ca: this.options.ca }, (res) => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const result = asResult(({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
            reject(result.ok ? new OntocatError('INTERNAL', `The server answered ${res.statusCode}.`) : new OntocatError(result.code as OntocatErrorCode, result.message));
          });
          res.on('error', reject);
          return;
        }
        // Into a temp file renamed over the target once whole: a connection lost part-way
        // leaves the file the save dialog offered to replace as it was, not cut or deleted.
        const expected = res.headers['content-length'] === undefined ? null : Number(res.headers['content-length']);
        saveAtomically(target, async (temp) => {
          const out = createWriteStream(temp, { flags: 'wx' });
          try {
            await pipeline(res, out);
          } catch (error) {
            throw new OntocatError('IO_ERROR', `The download from ${this.base.origin} broke off after ${out.bytesWritten} bytes (${(error as Error).message}); nothing was saved to ${target}.`);
          }
          if (expected !== null && out.bytesWritten !== expected) {
            throw new OntocatError('IO_ERROR', `The download from ${this.base.origin} was cut short: ${out.bytesWritten} of ${expected} bytes; nothing was saved to ${target}.`);
          }
          return out.bytesWritten;
        }).then((bytes) => {
          const rows = Number(res.headers[ROWS_HEADER]);
          resolve({ bytes, rows: res.headers[ROWS_HEADER] !== undefined && Number.isInteger(rows) ? rows : null });
        }, (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
      });
      req.on('error', (error) => reject(new OntocatError('IO_ERROR', `Cannot reach ${this.base.origin}: ${error.message}`)));
      req.end();
    });
  }

  /** Asks the server who is signed in (the role may have changed since sign-in). */
  async whoAmI(): Promise<Result<SignedInUser>> {
    const result = asResult<SignedInUser>(await exchange(this.base, this.options, 'GET', HTTP_AUTH_ME, { cookie: this.cookie, accept: 'application/json' }));
    if (result.ok) this.user = result.data;
    return result;
  }

  /** Subscribes to pushed events (the stream opens on first use); returns the unsubscribe. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    this.listeners.set(event, set);
    this.openStream();
    return () => { set.delete(listener as (payload: unknown) => void); };
  }

  private dispatch(event: string, data: string): void {
    if (!KNOWN_EVENTS.has(event)) return;
    let payload: unknown;
    try { payload = JSON.parse(data); } catch { return; }
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  private openStream(): void {
    if (this.stream || this.closed) return;
    const send = this.base.protocol === 'https:' ? httpsRequest : httpRequest;
    let retry: NodeJS.Timeout | null = null;
    const reconnect = (): void => {
      if (this.closed || retry) return;
      this.stream = null;
      retry = setTimeout(() => { retry = null; this.openStream(); }, this.options.reconnectMs ?? 2000);
      retry.unref();
    };
    const req = send(new URL(HTTP_EVENTS_PATH, this.base), {
      method: 'GET',
      headers: { cookie: this.cookie, accept: 'text/event-stream', ...(this.lastEventId !== null ? { 'last-event-id': this.lastEventId } : {}) },
      ca: this.options.ca,
    }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        // A session that ended does not come back by retrying.
        if (res.statusCode === 401) this.stream = null;
        else reconnect();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          let id: string | null = null;
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
            else if (line.startsWith('id: ')) id = line.slice(4);
          }
          // As an EventSource does (WHATWG HTML §9.2.6): the id counts once its event is dispatched.
          if (data.length > 0) this.dispatch(event, data.join('\n'));
          if (id !== null) this.lastEventId = id;
        }
      });
      res.on('end', reconnect);
      res.on('error', reconnect);
    });
    req.on('error', reconnect);
    req.end();
    this.stream = { close: () => { if (retry) clearTimeout(retry); req.destroy(); } };
  }

  /** Signs out on the server and stops the event stream. */
  async signOut(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stream?.close();
    this.stream = null;
    await exchange(this.base, this.options, 'POST', HTTP_AUTH_LOGOUT, { cookie: this.cookie, [CSRF_HEADER]: this.user.csrf }).catch(() => undefined);
  }
}
