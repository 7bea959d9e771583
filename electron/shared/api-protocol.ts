/**
 * How the renderer reaches the handlers, for both transports.
 *
 * Electron: the preload script exposes `window.ontocat`, with one named function per
 * channel (`versions:list` → `versionsList`) plus `subscribe`; each function resolves to
 * the channel's `Result`. Browser: `POST /api/<channel>` with the JSON input as body,
 * answered with the `Result` as JSON; pushed events arrive as Server-Sent Events on
 * `GET /api/events` (event name = EventName, data = JSON payload).
 */
import type { Channel, ChannelInput, ChannelOutput, EventMap, EventName, Result } from './contract.js';

/** The global the preload bridge defines inside Electron. */
export const BRIDGE_GLOBAL = 'ontocat';

/** HTTP paths of the web host. */
export const HTTP_API_PREFIX = '/api/';
export const HTTP_EVENTS_PATH = '/api/events';
/**
 * The owner's local endpoint only: runs a quick read command line (`info`, `versions`,
 * `latest get`) for the `bin/ontocat` launcher. Body: the client's root, then each
 * argument, each ended by a NUL byte. Answer 200: a line `ontocat-cli EXIT STDERR_BYTES`,
 * then stderr, then stdout; 409 when the owner will not run it (the client runs it itself).
 */
export const LOCAL_CLI_PATH = '/cli/quick';
/** Query parameter carrying the one-time token in the printed URL; a cookie follows. */
export const HTTP_TOKEN_PARAM = 'token';
export const HTTP_TOKEN_COOKIE = 'ontocat_token';
/** Team server: who is signed in (`GET`), sign in and out (`POST`). */
export const HTTP_AUTH_ME = '/api/auth/me';
export const HTTP_AUTH_LOGIN = '/api/auth/login';
export const HTTP_AUTH_LOGOUT = '/api/auth/logout';
/**
 * The auth-scheme of the team server's 401 challenge (WWW-Authenticate): a session to sign
 * in to. The web host's and the local endpoint's 401s name another (their access token),
 * which no sign-in form can give.
 */
export const SESSION_AUTH_SCHEME = 'Ontocat-Session';
/** Team server: the header every state-changing call echoes the session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** What the team server says about the signed-in user (`GET /api/auth/me`, and a sign-in's answer). */
export interface SignedInUser {
  readonly username: string;
  readonly role: 'viewer' | 'curator' | 'admin';
  /** The token to send in `x-csrf-token` on every POST. */
  readonly csrf: string;
  readonly expires_at: string;
}

type CamelTail<S extends string> = S extends `${infer Head}-${infer Rest}` ? `${Capitalize<Head>}${CamelTail<Rest>}` : Capitalize<S>;
/** `files:where` → `filesWhere`, `catalog:migrate` → `catalogMigrate`, `prune:plan-x` → `prunePlanX`. */
export type MethodName<C extends string> = C extends `${infer Domain}:${infer Verb}` ? `${Domain}${CamelTail<Verb>}` : never;

/** The runtime twin of MethodName. */
export function methodName<C extends Channel>(channel: C): MethodName<C> {
  const [domain, verb = ''] = channel.split(':');
  const tail = verb.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  return `${domain}${tail}` as MethodName<C>;
}

/**
 * The preload bridge: one function per channel plus event subscription. A channel's
 * `options` carry the call's request id to the owner (IPC argument, or the
 * x-ontocat-request header over HTTP), so the page can tell its own job's progress.
 */
export type Bridge = {
  readonly [C in Channel as MethodName<C>]: (input: ChannelInput<C>, options?: CallOptions) => Promise<Result<ChannelOutput<C>>>;
} & {
  readonly subscribe: <E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => () => void;
  /**
   * Reports whether the server can be reached (true on connect and reconnect, false when it
   * goes away); only transports that can lose their server (HTTP) have it.
   */
  readonly watchConnection?: (listener: (connected: boolean) => void) => () => void;
  /** Electron: shows a stored file in the system file manager. */
  readonly revealFile?: (input: { ref: string; relpath: string }) => Promise<Result<{ path: string }>>;
  /** Electron: asks where to save, then exports a table there (main writes it from DuckDB). */
  readonly saveExport?: (input: ExportRequestInput) => Promise<Result<{ path: string | null; rows: number }>>;
  /** HTTP: the URL that downloads a stored file or a table export (token included). */
  readonly downloadUrl?: (path: string, params: Readonly<Record<string, string>>) => string;
  /**
   * Opens the system's picker for a source to ingest and resolves with the chosen path,
   * or null when cancelled; only Electron has it (a web page cannot learn a local path).
   */
  readonly pickSource?: (kind: SourceKind) => Promise<string | null>;
  /**
   * Electron: who is signed in to the remote catalog main has open; `data` null when the
   * app is on a local root (nobody signs in), UNAUTHORIZED when a sign-in is needed.
   */
  readonly authMe?: () => Promise<Result<SignedInUser | null>>;
  /** Electron: signs in to the remote catalog (main keeps the session); `server` picks the server when main asks for one. */
  readonly authSignIn?: (input: { username: string; password: string; server?: string }) => Promise<Result<SignedInUser>>;
  /** Electron: the server main signs in to; `url` null after File › Open Remote Catalog… (the page asks). */
  readonly authServer?: () => Promise<Result<{ url: string | null; recent: readonly string[] }>>;
  /** Electron: signs out of the remote catalog. */
  readonly authSignOut?: () => Promise<Result<null>>;
};

/** What the native source picker chooses: a folder, or one archive file. */
export type SourceKind = 'folder' | 'archive';

/** A table export asked for by the renderer: the table, csv or json, and its channel input. */
export interface ExportRequestInput {
  readonly table: string;
  readonly format: 'csv' | 'json';
  readonly input: Readonly<Record<string, unknown>>;
}

/**
 * Header on a local endpoint call naming the kind of Ontocat process that made it, so the
 * audit log credits a command typed in a terminal to `cli`, not to the owner's session.
 */
export const ACTOR_HEADER = 'x-ontocat-actor';

/**
 * Header on a channel call over HTTP (the local endpoint, the web host, the team server)
 * carrying the caller's CallOptions.requestId (see isRequestId for its form).
 */
export const REQUEST_ID_HEADER = 'x-ontocat-request';

/** What a caller may give one channel call besides its input. */
export interface CallOptions {
  /**
   * Marks the jobs the call starts: their `job:progress` events carry it as `request_id`.
   * Progress goes to every client of the owner, and a job's id is known only once its
   * events come, so this is how a caller tells its own job from another client's.
   */
  readonly requestId?: string;
}

/** A request id as taken from a client: 8 to 100 letters, digits, '-' or '_' (a UUID fits). */
export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{8,100}$/.test(value);
}

/** The CallOptions an untrusted caller sent (an IPC argument, a header): only a well-formed request id is kept. */
export function callOptionsFrom(requestId: unknown): CallOptions {
  return isRequestId(requestId) ? { requestId } : {};
}

/**
 * Whether a `job:progress` event is of the job a call made with `requestId` started. The
 * owner sends every client's progress to every client; an owner from before request ids
 * names none (the field is absent), and its events may be anyone's, as they were then.
 */
export function isOwnJobEvent(event: { readonly request_id?: string | null }, requestId: string): boolean {
  return event.request_id === undefined || event.request_id === requestId;
}

/** The actors a local endpoint client may name (the socket is owner-only and token-guarded: same user). */
export const LOCAL_CLIENT_ACTORS: ReadonlySet<string> = new Set(['cli', 'desktop']);
