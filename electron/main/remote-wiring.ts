/**
 * The desktop app on a remote catalog: main holds a RemoteCatalog (session cookie and
 * CSRF token never reach the renderer) and relays the renderer's channel calls and the
 * server's events, so the renderer works as on a local root. Plain Node: tested against a
 * real `ontocat server`; main.ts wires it to ipcMain.
 *
 * Opened with `--remote URL`, or with File › Open Remote Catalog… without an address yet:
 * the sign-in page then asks for the server's address too, and the first successful
 * sign-in fixes it (`onSignedIn` lets main close the local catalog only then).
 */
import type { CallOptions, SignedInUser } from '../shared/api-protocol.js';
import type { EventMap, EventName, Result } from '../shared/contract.js';
import { eventNames } from '../shared/event-names.js';
import { RemoteCatalog, type RemoteOptions } from '../serve/remote-catalog.js';
import { isOntocatError, OntocatError } from '../shared/errors.js';
import { normaliseServerUrl } from './remote-servers.js';

/** Where to connect: a server address, or null to ask on the sign-in page. */
export interface RemoteConnectionOptions extends Omit<RemoteOptions, 'url'> {
  readonly url: string | null;
  /** Called after each successful sign-in, with the server's address. */
  readonly onSignedIn?: (url: string, user: SignedInUser) => void;
  /** Servers signed in to before, offered on the sign-in page (most recent first). */
  readonly recent?: () => readonly string[];
}

export class RemoteConnection {
  private remote: RemoteCatalog | null = null;
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private unsubscribers: (() => void)[] = [];

  private address: string | null;

  constructor(private readonly options: RemoteConnectionOptions) {
    this.address = options.url === null ? null : normaliseServerUrl(options.url);
  }

  /** The server's address, or null until one is given. */
  get url(): string | null {
    return this.address;
  }

  /** The server the sign-in page signs in to (null: the page asks for it). */
  server(): Result<{ url: string | null; recent: readonly string[] }> {
    return { ok: true, data: { url: this.address, recent: this.options.recent?.() ?? [] } };
  }

  private signInPrompt(): string {
    return this.address ? `Sign in to ${this.address}.` : "Enter the team server's address and your account.";
  }

  /** Who is signed in, or UNAUTHORIZED (the renderer then shows its sign-in page). */
  async me(): Promise<Result<SignedInUser>> {
    if (!this.remote) return { ok: false, code: 'UNAUTHORIZED', message: this.signInPrompt() };
    const result = await this.remote.whoAmI();
    if (!result.ok && result.code === 'UNAUTHORIZED') this.drop();
    return result;
  }

  /**
   * Signs in (to `server` when given, which then becomes this connection's address);
   * events of the server flow to the subscribers from now on.
   */
  async signIn(input: unknown): Promise<Result<SignedInUser>> {
    const { username, password, server } = (input ?? {}) as { username?: unknown; password?: unknown; server?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string') return { ok: false, code: 'BAD_INPUT', message: 'Give a user name and a password.' };
    if (server !== undefined && typeof server !== 'string') return { ok: false, code: 'BAD_INPUT', message: "Give the server's address as text." };
    let url: string;
    try {
      const chosen = typeof server === 'string' && server.trim() !== '' ? normaliseServerUrl(server) : this.address;
      if (chosen === null) return { ok: false, code: 'BAD_INPUT', message: "Enter the team server's address, such as https://ontocat.example.org." };
      url = chosen;
    } catch (error) {
      return { ok: false, code: isOntocatError(error) ? error.code : 'BAD_INPUT', message: (error as Error).message };
    }
    try {
      const { onSignedIn: _hook, url: _url, recent: _recent, ...rest } = this.options;
      const remote = await RemoteCatalog.signIn({ ...rest, url }, username, password);
      const previous = this.remote;
      this.drop();
      if (previous && this.address !== url) await previous.signOut().catch(() => undefined);
      this.address = url;
      this.remote = remote;
      this.unsubscribers = eventNames.map((name) => remote.on(name, (payload) => {
        for (const listener of this.listeners.get(name) ?? []) listener(payload);
      }));
      this.options.onSignedIn?.(url, remote.user);
      return { ok: true, data: remote.user };
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'IO_ERROR';
      return { ok: false, code, message: (error as Error).message };
    }
  }

  async signOut(): Promise<Result<null>> {
    const remote = this.remote;
    this.drop();
    await remote?.signOut();
    return { ok: true, data: null };
  }

  private drop(): void {
    for (const off of this.unsubscribers) off();
    this.unsubscribers = [];
    this.remote = null;
  }

  /** Relays one channel call (UNAUTHORIZED before sign-in). */
  invoke(channel: string, input: unknown, options: CallOptions = {}): Promise<Result<unknown>> {
    if (!this.remote) return Promise.resolve({ ok: false, code: 'UNAUTHORIZED', message: this.address ? `Sign in to ${this.address} first.` : this.signInPrompt() });
    return this.remote.invoke(channel, input, options);
  }

  /** Saves a download route's answer to `target` (the desktop's exports); UNAUTHORIZED before sign-in. */
  download(pathname: string, params: Readonly<Record<string, string>>, target: string): Promise<{ bytes: number; rows: number | null }> {
    if (!this.remote) return Promise.reject(new OntocatError('NOT_FOUND', this.address ? `Sign in to ${this.address} first.` : this.signInPrompt()));
    return this.remote.download(pathname, params, target);
  }

  /** Same shape as Session.on, for forwardEvents. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    this.listeners.set(event, set);
    return () => { set.delete(listener as (payload: unknown) => void); };
  }

  async close(): Promise<void> {
    await this.signOut();
    this.listeners.clear();
  }
}
