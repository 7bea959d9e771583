import { callOptionsFrom, type CallOptions } from '../shared/api-protocol.js';
import { channelNames, type Channel, type ChannelOutput, type EventMap, type EventName, type Result } from '../shared/contract.js';
import { eventNames } from '../shared/event-names.js';
import { IPC_EVENT } from '../shared/ipc-names.js';
import type { IpcSenderInfo } from './sender-check.js';

/** The slice of Electron's `ipcMain` this module uses (a fake in tests). */
export interface IpcMainLike<E extends IpcSenderInfo = IpcSenderInfo> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The slice of a WebContents events are sent to. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface ChannelWiring<E extends IpcSenderInfo> {
  /** Forwards an untrusted call (Session.invoke) with the request id the page sent; never throws. */
  readonly invoke: (channel: string, input: unknown, options: CallOptions) => Promise<Result<unknown>>;
  /** Decides whether the sender may call at all. */
  readonly isTrusted: (event: E) => boolean;
}

/** The typed wrapper: the only place that calls `ipcMain.handle`. */
function handleChannel<C extends Channel, E extends IpcSenderInfo>(
  ipcMain: IpcMainLike<E>,
  channel: C,
  run: (event: E, input: unknown, options: CallOptions) => Promise<Result<ChannelOutput<C>>>,
): void {
  // The page's CallOptions come as a second argument; only a well-formed request id is kept.
  ipcMain.handle(channel, (event, input, options) => run(event, input, callOptionsFrom((options as CallOptions | undefined)?.requestId)));
}

/**
 * Registers exactly one IPC handler per contract channel, each checking the sender and
 * forwarding to the session. Returns a function that removes them all.
 */
export function registerChannelHandlers<E extends IpcSenderInfo>(ipcMain: IpcMainLike<E>, wiring: ChannelWiring<E>): () => void {
  for (const channel of channelNames) {
    handleChannel(ipcMain, channel, async (event, input, options) => {
      if (!wiring.isTrusted(event)) {
        return { ok: false, code: 'BAD_INPUT', message: `Refused ${channel}: the call did not come from the Ontocat window.` };
      }
      return (await wiring.invoke(channel, input, options)) as Result<ChannelOutput<typeof channel>>;
    });
  }
  return () => { for (const channel of channelNames) ipcMain.removeHandler(channel); };
}

/** The typed event sender: pushes one event to the window, if it is still there. */
export function createEventSender(target: () => EventTarget | null): <E extends EventName>(event: E, payload: EventMap[E]) => void {
  return (event, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT, event, payload);
  };
}

/** Forwards every pushed event of a session to the window; returns the unsubscribe. */
export function forwardEvents(
  on: <E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => () => void,
  send: <E extends EventName>(event: E, payload: EventMap[E]) => void,
): () => void {
  const offs = eventNames.map((name) => on(name, (payload) => send(name, payload)));
  return () => { for (const off of offs) off(); };
}
