import { describe, expect, it } from 'vitest';
import { createEventSender, forwardEvents, registerChannelHandlers, type IpcMainLike } from '../../../electron/main/ipc-wiring.js';
import { isAppUrl, isTrustedSender, type IpcSenderInfo } from '../../../electron/main/sender-check.js';
import { channelNames, type EventMap, type EventName, type Result } from '../../../electron/shared/contract.js';
import { IPC_EVENT } from '../../../electron/shared/ipc-names.js';
import { createBridge } from '../../../electron/preload/bridge.js';

type Listener = (event: IpcSenderInfo, ...args: unknown[]) => Promise<unknown>;

/** A fake of Electron's ipcMain: the only fake, at the Electron boundary. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void { this.handlers.delete(channel); }
}

const WINDOW_ID = 7;
const fromWindow = (url = 'app://ontocat/versions', id = WINDOW_ID, parent: unknown = null): IpcSenderInfo => ({ sender: { id }, senderFrame: { url, parent } });

describe('IPC wiring', () => {
  function wire(): { ipc: FakeIpcMain; calls: [string, unknown][]; remove: () => void } {
    const ipc = new FakeIpcMain();
    const calls: [string, unknown][] = [];
    const remove = registerChannelHandlers(ipc, {
      invoke: async (channel, input) => { calls.push([channel, input]); return { ok: true, data: channel } satisfies Result<unknown>; },
      isTrusted: (event) => isTrustedSender(event, WINDOW_ID),
    });
    return { ipc, calls, remove };
  }

  it('registers exactly one handler per contract channel and nothing else', () => {
    const { ipc } = wire();
    expect([...ipc.handlers.keys()].sort()).toEqual([...channelNames].sort());
  });

  it('forwards a call from the app window to the session, input untouched', async () => {
    const { ipc, calls } = wire();
    const result = await ipc.handlers.get('versions:list')!(fromWindow(), { service: 'go', limit: 5 });
    expect(result).toEqual({ ok: true, data: 'versions:list' });
    expect(calls).toEqual([['versions:list', { service: 'go', limit: 5 }]]);
  });

  it("carries the page's request id from the preload's named function to the session, and drops a malformed one", async () => {
    // The jobs a call starts carry its request id in their progress, so the page's bar follows
    // its own job; without it the first job of the kind (maybe another client's) was taken.
    const ipc = new FakeIpcMain();
    const calls: [string, unknown, unknown][] = [];
    registerChannelHandlers(ipc, {
      invoke: async (channel, input, options) => { calls.push([channel, input, options]); return { ok: true, data: null } satisfies Result<unknown>; },
      isTrusted: (event) => isTrustedSender(event, WINDOW_ID),
    });
    const bridge = createBridge(channelNames, {
      invoke: (channel, ...args) => ipc.handlers.get(channel)!(fromWindow(), ...args),
      on: () => undefined,
    }) as Record<string, (input: unknown, options?: unknown) => Promise<Result<unknown>>>;
    await bridge.doctorPlan!({ deep: true }, { requestId: 'ui-0123456789abcdef' });
    await bridge.doctorPlan!({ deep: false });
    await bridge.doctorPlan!({ deep: false }, { requestId: 'x y' });
    await ipc.handlers.get('doctor:plan')!(fromWindow(), { deep: false }, { requestId: 42 });
    expect(calls).toEqual([
      ['doctor:plan', { deep: true }, { requestId: 'ui-0123456789abcdef' }],
      ['doctor:plan', { deep: false }, {}],
      ['doctor:plan', { deep: false }, {}],
      ['doctor:plan', { deep: false }, {}],
    ]);
  });

  it('refuses calls from another window, an iframe, a foreign page or a missing frame, before the session', async () => {
    const { ipc, calls } = wire();
    const handler = ipc.handlers.get('latest:set')!;
    for (const event of [
      fromWindow('app://ontocat/', 99),
      fromWindow('https://evil.example/'),
      fromWindow('file:///etc/passwd'),
      fromWindow('app://other/'),
      fromWindow('app://ontocat/', WINDOW_ID, { url: 'app://ontocat/' }),
      { sender: { id: WINDOW_ID }, senderFrame: null },
    ]) {
      const result = (await handler(event, { ref: 'go/1' })) as Result<unknown>;
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/did not come from the Ontocat window/);
    }
    expect(calls).toEqual([]);
  });

  it('refuses everything while there is no window', () => {
    expect(isTrustedSender(fromWindow(), null)).toBe(false);
    expect(isAppUrl('app://ontocat/x?y')).toBe(true);
    expect(isAppUrl('app://ontocat.evil/x')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('removes every handler it registered', () => {
    const { ipc, remove } = wire();
    remove();
    expect(ipc.handlers.size).toBe(0);
  });

  it('sends session events to the window on one IPC name, and stops once the window is gone', () => {
    const sent: unknown[][] = [];
    let destroyed = false;
    const contents = { isDestroyed: () => destroyed, send: (...args: unknown[]) => { sent.push(args); } };
    const listeners = new Map<string, (payload: unknown) => void>();
    const on = <E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): (() => void) => {
      listeners.set(event, listener as (payload: unknown) => void);
      return () => { listeners.delete(event); };
    };
    const off = forwardEvents(on, createEventSender(() => contents));
    expect([...listeners.keys()].sort()).toEqual(['catalog:changed', 'job:progress']);
    const payload = { channel: 'latest:set', at: '2024-01-01T00:00:00.000Z' };
    listeners.get('catalog:changed')!(payload);
    expect(sent).toEqual([[IPC_EVENT, 'catalog:changed', payload]]);
    destroyed = true;
    listeners.get('catalog:changed')!(payload);
    expect(sent).toHaveLength(1);
    off();
    expect(listeners.size).toBe(0);
  });
});
