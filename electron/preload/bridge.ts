/**
 * Builds the object the preload exposes as `window.ontocat`: one function per channel
 * (named by `methodName`) that invokes the channel over IPC, plus `subscribe`.
 *
 * Kept free of Electron and zod so that it stays small and can be exercised with a fake
 * ipcRenderer; the channel list is handed in (generated at build time).
 */
import { callOptionsFrom, methodName, type CallOptions } from '../shared/api-protocol.js';
import type { Channel, Result } from '../shared/contract.js';
import { eventNames } from '../shared/event-names.js';
import { IPC_AUTH_ME, IPC_AUTH_SIGN_IN, IPC_AUTH_SERVER, IPC_AUTH_SIGN_OUT, IPC_EVENT, IPC_PICK_SOURCE, IPC_REVEAL_FILE, IPC_SAVE_EXPORT } from '../shared/ipc-names.js';

/** The slice of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Listener = (payload: unknown) => void;

export function createBridge(channels: readonly string[], ipc: IpcRendererLike): Record<string, unknown> {
  const bridge: Record<string, unknown> = {};
  for (const channel of channels) {
    bridge[methodName(channel as Channel)] = async (input: unknown, options?: CallOptions): Promise<Result<unknown>> => {
      try {
        // The request id goes as its own argument (main checks it): the jobs the call starts
        // carry it in their progress, so the page follows its own job, not another client's.
        const sent = callOptionsFrom(options?.requestId);
        return (await (sent.requestId === undefined ? ipc.invoke(channel, input ?? {}) : ipc.invoke(channel, input ?? {}, sent))) as Result<unknown>;
      } catch (error) {
        // Only reached when main has no handler or the call could not be cloned.
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, code: 'INTERNAL', message: `${channel} could not be called: ${message}` };
      }
    };
  }

  // Desktop-only actions: one named function each, like the channels.
  const desktop = async (name: string, input: unknown): Promise<Result<unknown>> => {
    try {
      return (await ipc.invoke(name, input ?? {})) as Result<unknown>;
    } catch (error) {
      return { ok: false, code: 'INTERNAL', message: `${name} could not be called: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
  bridge.revealFile = (input: unknown) => desktop(IPC_REVEAL_FILE, input);
  bridge.saveExport = (input: unknown) => desktop(IPC_SAVE_EXPORT, input);
  bridge.authMe = () => desktop(IPC_AUTH_ME, {});
  bridge.authSignIn = (input: unknown) => desktop(IPC_AUTH_SIGN_IN, input);
  bridge.authSignOut = () => desktop(IPC_AUTH_SIGN_OUT, {});
  bridge.authServer = () => desktop(IPC_AUTH_SERVER, {});

  const known = new Set<string>(eventNames);
  const listeners = new Map<string, Set<Listener>>();
  ipc.on(IPC_EVENT, (_event, name, payload) => {
    for (const listener of listeners.get(String(name)) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error('[ontocat] event listener failed:', error);
      }
    }
  });
  bridge.subscribe = (event: string, listener: Listener): (() => void) => {
    if (!known.has(event) || typeof listener !== 'function') throw new TypeError(`Unknown event '${String(event)}'.`);
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(event, set);
    return () => { set.delete(listener); };
  };
  bridge.pickSource = async (kind: unknown): Promise<string | null> => {
    if (kind !== 'folder' && kind !== 'archive') throw new TypeError(`Unknown source kind '${String(kind)}'.`);
    const picked = await ipc.invoke(IPC_PICK_SOURCE, kind);
    return typeof picked === 'string' ? picked : null;
  };
  return bridge;
}
