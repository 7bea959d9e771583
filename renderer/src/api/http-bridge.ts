/**
 * The HTTP transport: one `POST /api/<channel>` per call and Server-Sent Events for pushes.
 *
 * Built from `CHANNEL_NAMES`, so channels added to the contract appear without edits here.
 */
import {
  CSRF_HEADER, HTTP_API_PREFIX, HTTP_EVENTS_PATH, HTTP_TOKEN_PARAM, methodName, REQUEST_ID_HEADER, type Bridge, type CallOptions,
} from '../../../electron/shared/api-protocol.js';
import { CHANNEL_NAMES } from '../../../electron/shared/channel-names.js';
import type { Channel, EventMap, EventName, Result } from '../../../electron/shared/contract.js';

/** Header carrying the session token alongside the cookie the server sets. */
export const TOKEN_HEADER = 'x-ontocat-token';

export interface HttpBridgeOptions {
  /** Origin-relative base, '' for the page's own origin. */
  readonly base?: string;
  /** The session token from the printed URL (`?token=`), when present. */
  readonly token?: string | null;
  readonly fetchImpl?: typeof fetch;
  readonly eventSourceImpl?: typeof EventSource;
  /** The team server's CSRF token for the signed-in session, sent on every call (read at call time). */
  readonly csrf?: () => string | null;
}

/** Reads the token from `location.search`; the server also sets a cookie from it. */
export function tokenFromLocation(search: string): string | null {
  const params = new URLSearchParams(search);
  return params.get(HTTP_TOKEN_PARAM);
}

async function post(options: HttpBridgeOptions, channel: string, input: unknown, call: CallOptions = {}): Promise<Result<unknown>> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  // The jobs the call starts carry it in their progress: the page follows its own job.
  if (call.requestId !== undefined) headers[REQUEST_ID_HEADER] = call.requestId;
  if (options.token) headers[TOKEN_HEADER] = options.token;
  const csrf = options.csrf?.();
  if (csrf) headers[CSRF_HEADER] = csrf;
  let response: Response;
  try {
    response = await fetchImpl(`${options.base ?? ''}${HTTP_API_PREFIX}${channel}`, {
      method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(input ?? {}),
    });
  } catch (error) {
    return { ok: false, code: 'IO_ERROR', message: `Cannot reach the Ontocat server (${error instanceof Error ? error.message : String(error)}).` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, code: 'INTERNAL', message: `The server answered ${response.status} ${response.statusText} without a JSON result.` };
  }
  if (body && typeof body === 'object' && 'ok' in body) return body as Result<unknown>;
  return { ok: false, code: 'INTERNAL', message: `Unexpected answer from the server for ${channel}.` };
}

/**
 * One EventSource shared by every subscriber, opened on first use. Its open and error
 * events double as the connection state: the server says `retry: 2000`, so a server that
 * went away is noticed at once and one that is back within about two seconds.
 */
function createSubscriber(options: HttpBridgeOptions): Pick<Bridge, 'subscribe' | 'watchConnection'> {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const watchers = new Set<(connected: boolean) => void>();
  let source: EventSource | null = null;
  const attached = new Set<string>();
  const open = (): EventSource | null => {
    const Impl = options.eventSourceImpl ?? (typeof EventSource === 'undefined' ? null : EventSource);
    if (!Impl) return null;
    if (!source) {
      const query = options.token ? `?${HTTP_TOKEN_PARAM}=${encodeURIComponent(options.token)}` : '';
      const opened = new Impl(`${options.base ?? ''}${HTTP_EVENTS_PATH}${query}`, { withCredentials: true });
      opened.addEventListener('open', () => { for (const watcher of watchers) watcher(true); });
      opened.addEventListener('error', () => { for (const watcher of watchers) watcher(false); });
      source = opened;
    }
    return source;
  };
  const ensure = (event: string): void => {
    const stream = open();
    if (!stream || attached.has(event)) return;
    attached.add(event);
    stream.addEventListener(event, (message) => {
      let payload: unknown;
      try { payload = JSON.parse((message as MessageEvent<string>).data); } catch { return; }
      for (const listener of listeners.get(event) ?? []) listener(payload);
    });
  };
  return {
    subscribe: <E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      ensure(event);
      return () => { set.delete(listener as (payload: unknown) => void); };
    },
    watchConnection: (listener) => {
      watchers.add(listener);
      open();
      return () => { watchers.delete(listener); };
    },
  };
}

/** Builds a Bridge over HTTP with one method per contract channel. */
export function createHttpBridge(options: HttpBridgeOptions = {}, channels: readonly string[] = CHANNEL_NAMES): Bridge {
  const bridge: Record<string, unknown> = {};
  for (const channel of channels) {
    bridge[methodName(channel as Channel)] = (input: unknown, call?: CallOptions) => post(options, channel, input, call);
  }
  Object.assign(bridge, createSubscriber(options));
  bridge.downloadUrl = (path: string, params: Readonly<Record<string, string>>): string => {
    const query = new URLSearchParams(params);
    // The cookie would do; the token in the URL also covers a tab opened before it was set.
    if (options.token) query.set(HTTP_TOKEN_PARAM, options.token);
    return `${options.base ?? ''}${path}?${query.toString()}`;
  };
  return bridge as Bridge;
}
