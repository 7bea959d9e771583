import type { IncomingMessage, ServerResponse } from 'node:http';
import { callOptionsFrom, HTTP_API_PREFIX, HTTP_EVENTS_PATH, REQUEST_ID_HEADER, type CallOptions } from '../shared/api-protocol.js';
import { CHANNEL_NAMES } from '../shared/channel-names.js';
import { HARDENING_HEADERS } from '../shared/content-security.js';
import type { Result } from '../shared/contract.js';
import type { HttpFailureCode } from '../shared/errors.js';
import { createEventLog, EVENT_STREAM_HEADERS, openEventStream, type EventSource } from './event-stream.js';
import { httpStatusFor } from './http-status.js';

/** What the API needs from a session: the untrusted-call entry and the event feed. */
export interface ApiSession {
  /** `options`: the caller's request id (the x-ontocat-request header), for the jobs the call starts. */
  invoke(channel: string, input: unknown, options?: CallOptions): Promise<Result<unknown>>;
  on: EventSource;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const channelPattern = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;
const knownChannels: ReadonlySet<string> = new Set(CHANNEL_NAMES);

/**
 * The challenge of a 401 from the web host and the local endpoint: RFC 9110 §11.6.1 says a
 * 401 MUST carry WWW-Authenticate. A scheme of Ontocat's own (the token goes in the
 * x-ontocat-token header or the URL), so that no browser opens a Basic password dialog.
 */
export const TOKEN_CHALLENGE = 'Ontocat-Token realm="Ontocat"';

/** Answers with a JSON body, never cached; a 401 with a challenge (the token's unless `extra` names one). */
export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...HARDENING_HEADERS,
    ...(status === 401 ? { 'WWW-Authenticate': TOKEN_CHALLENGE } : {}),
    ...extra,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Answers with a failed Result, its status the one its code goes with (httpStatusFor). */
export function sendFailure(res: ServerResponse, code: HttpFailureCode, message: string, extra: Readonly<Record<string, string>> = {}): void {
  sendJson(res, httpStatusFor(code), { ok: false, code, message } satisfies Result<never>, extra);
}

export class BodyTooLarge extends Error {}

/** Bytes of a refused body read and dropped before its 413, at most: past them the connection is cut unanswered. */
const REFUSED_BODY_DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Answers 413 to a body over the limit once the client has sent the rest of it (read and
 * dropped, up to REFUSED_BODY_DRAIN_BYTES), then closes the connection. Answered and closed
 * while the client was still sending, the connection was reset under it: curl then
 * reported a failed send instead of the 413, about one run in five.
 */
export function sendTooLarge(req: IncomingMessage, res: ServerResponse, message: string, extra: Readonly<Record<string, string>> = {}): void {
  const answer = (): void => {
    if (!res.headersSent && !res.destroyed) sendFailure(res, 'TOO_LARGE', message, { ...extra, Connection: 'close' });
  };
  if (req.complete) {
    answer();
    return;
  }
  let dropped = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > REFUSED_BODY_DRAIN_BYTES) req.socket.destroy();
  });
  req.once('end', answer);
  req.resume();
}

/** Reads a request body up to `limit` bytes; rejects with BodyTooLarge past it. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface ApiHandlerOptions {
  readonly session: ApiSession;
  readonly maxBodyBytes: number;
  readonly heartbeatMs: number;
  /** The WWW-Authenticate challenge of a 401 (default TOKEN_CHALLENGE). */
  readonly challenge?: string;
}

/** The channel API of one session, for every transport that speaks it (TCP, local socket). */
export interface ApiHandler {
  /**
   * Answers one authorised request under `/api`; `extra` headers go on the answer. `invoke`
   * replaces the session's for this request (the team server calls as the signed-in user);
   * an event stream opened here ends once `allowed` says no (the user's session ended).
   */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string, extra: Readonly<Record<string, string>>, invoke?: ApiSession['invoke'], allowed?: () => boolean): Promise<void>;
  /** Ends every open event stream (when the server stops). */
  endStreams(): void;
}

/**
 * The channel protocol of api-protocol.ts: `POST /api/<channel>` with a JSON body of at
 * most `maxBodyBytes` (413 beyond), answered with the Result as JSON; events stream as SSE
 * on `GET /api/events`.
 */
export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const streams = new Set<() => void>();
  const maxBody = options.maxBodyBytes;
  // Kept from the start, streams open or not: a client between two streams must not miss
  // what was pushed meanwhile.
  const events = createEventLog((event, listener) => options.session.on(event, listener));

  async function handle(req: IncomingMessage, res: ServerResponse, pathname: string, extra: Readonly<Record<string, string>>, invoke?: ApiSession['invoke'], allowed?: () => boolean): Promise<void> {
    if (pathname === HTTP_EVENTS_PATH) {
      // RFC 9110 §9.1, §9.3.2: HEAD is GET without content: the stream's header fields alone.
      if (req.method === 'HEAD') {
        res.writeHead(200, { ...HARDENING_HEADERS, ...extra, ...EVENT_STREAM_HEADERS });
        res.end();
        return;
      }
      if (req.method !== 'GET') {
        sendFailure(res, 'METHOD_NOT_ALLOWED', 'Events are read with GET.', { ...extra, Allow: 'GET, HEAD' });
        return;
      }
      const lastEventId = req.headers['last-event-id'];
      const end = openEventStream(res, events, typeof lastEventId === 'string' ? lastEventId : undefined, options.heartbeatMs, { ...HARDENING_HEADERS, ...extra }, allowed);
      streams.add(end);
      res.on('close', () => streams.delete(end));
      return;
    }
    const channel = pathname.slice(HTTP_API_PREFIX.length);
    if (!channelPattern.test(channel)) {
      sendFailure(res, 'NOT_FOUND', `No API endpoint '${pathname.slice(0, 200)}'.`, extra);
      return;
    }
    // A channel that does not exist is no resource at all (RFC 9110 §15.5.5), whatever the
    // method: not a 405 that says it takes POST, nor the team server's 403 for a role.
    if (!knownChannels.has(channel)) {
      sendFailure(res, 'NOT_FOUND', `No API endpoint '${pathname.slice(0, 200)}': this Ontocat has no channel '${channel}'.`, extra);
      return;
    }
    if (req.method !== 'POST') {
      sendFailure(res, 'METHOD_NOT_ALLOWED', `Call ${channel} with POST and a JSON body.`, { ...extra, Allow: 'POST' });
      return;
    }
    const type = req.headers['content-type'];
    if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
      sendFailure(res, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json.', extra);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendTooLarge(req, res, `The request body is larger than ${maxBody} bytes.`, extra);
        return;
      }
      // The client went away (or was timed out) mid-body: nobody is left to answer.
      if (req.destroyed) return;
      throw error;
    }
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        sendFailure(res, 'BAD_INPUT', `The body of ${channel} is not valid JSON.`, extra);
        return;
      }
    }
    // The page's request id marks the jobs the call starts, so it follows its own job's progress.
    const callOptions = callOptionsFrom(req.headers[REQUEST_ID_HEADER]);
    const result = await (invoke ?? ((name: string, value: unknown, given?: CallOptions) => options.session.invoke(name, value, given)))(channel, input, callOptions);
    const status = result.ok ? 200 : httpStatusFor(result.code);
    sendJson(res, status, result, status === 401 && options.challenge ? { ...extra, 'WWW-Authenticate': options.challenge } : extra);
  }

  return {
    handle,
    endStreams() {
      for (const end of [...streams]) end();
      events.close();
    },
  };
}
