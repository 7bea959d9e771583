/**
 * The desktop app on a remote catalog: main holds a RemoteCatalog (session cookie and
 * CSRF token never reach the renderer) and relays the renderer's channel calls and the
 * server's events, so the renderer works as on a local root. Plain Node: tested against a
 * real `ontocat server`; main.ts wires it to ipcMain.
 */
import type { SignedInUser } from '../shared/api-protocol.js';
import type { EventMap, EventName, Result } from '../shared/contract.js';
import { eventNames } from '../shared/event-names.js';
import { RemoteCatalog, type RemoteOptions } from '../serve/remote-catalog.js';

export class RemoteConnection {
  private remote: RemoteCatalog | null = null;
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private unsubscribers: (() => void)[] = [];

  constructor(private readonly options: RemoteOptions) {}

  /** The server's URL. */
  get url(): string {
    return this.options.url;
  }

  /** Who is signed in, or UNAUTHORIZED (the renderer then shows its sign-in page). */
  async me(): Promise<Result<SignedInUser>> {
    if (!this.remote) return { ok: false, code: 'UNAUTHORIZED', message: `Sign in to ${this.options.url}.` };
    const result = await this.remote.whoAmI();
    if (!result.ok && result.code === 'UNAUTHORIZED') this.drop();
    return result;
  }

  /** Signs in; events of the server flow to the subscribers from now on. */
  async signIn(input: unknown): Promise<Result<SignedInUser>> {
    const { username, password } = (input ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string') return { ok: false, code: 'BAD_INPUT', message: 'Give a user name and a password.' };
    try {
      const remote = await RemoteCatalog.signIn(this.options, username, password);
      this.drop();
      this.remote = remote;
      this.unsubscribers = eventNames.map((name) => remote.on(name, (payload) => {
        for (const listener of this.listeners.get(name) ?? []) listener(payload);
      }));
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
  invoke(channel: string, input: unknown): Promise<Result<unknown>> {
    if (!this.remote) return Promise.resolve({ ok: false, code: 'UNAUTHORIZED', message: `Sign in to ${this.options.url} first.` });
    return this.remote.invoke(channel, input);
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
