import { describe, expect, it } from 'vitest';
import { registerSourcePicker, type PickDialogOptions } from '../../../electron/main/source-picker.js';
import type { IpcMainLike } from '../../../electron/main/ipc-wiring.js';
import { isTrustedSender, type IpcSenderInfo } from '../../../electron/main/sender-check.js';
import { createBridge } from '../../../electron/preload/bridge.js';
import { IPC_PICK_SOURCE } from '../../../electron/shared/ipc-names.js';

type Listener = (event: IpcSenderInfo, ...args: unknown[]) => Promise<unknown>;

/** Electron's ipcMain and dialog are the boundary faked here; everything between is real. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void { this.handlers.set(channel, listener); }
  removeHandler(channel: string): void { this.handlers.delete(channel); }
}

const WINDOW = 3;
const fromApp: IpcSenderInfo = { sender: { id: WINDOW }, senderFrame: { url: 'app://ontocat/', parent: null } };
const fromElsewhere: IpcSenderInfo = { sender: { id: WINDOW }, senderFrame: { url: 'https://evil.example/', parent: null } };

function wire(answer: { canceled: boolean; filePaths: string[] }): { ipc: FakeIpcMain; asked: PickDialogOptions[]; remove: () => void } {
  const ipc = new FakeIpcMain();
  const asked: PickDialogOptions[] = [];
  const remove = registerSourcePicker(ipc, {
    isTrusted: (event) => isTrustedSender(event, WINDOW),
    showOpenDialog: async (options) => { asked.push(options); return answer; },
  });
  return { ipc, asked, remove };
}

describe('native source picker', () => {
  it('asks the dialog for a folder or an archive and answers with the chosen path', async () => {
    const { ipc, asked } = wire({ canceled: false, filePaths: ['/home/me/go'] });
    const handler = ipc.handlers.get(IPC_PICK_SOURCE)!;
    expect(await handler(fromApp, 'folder')).toBe('/home/me/go');
    expect(await handler(fromApp, 'archive')).toBe('/home/me/go');
    expect(asked.map((o) => o.properties)).toEqual([['openDirectory'], ['openFile']]);
    expect(asked[1]!.filters[0]!.extensions).toEqual(['zip', 'tar', 'gz', 'tgz', 'xz']);
  });

  it('answers null when cancelled, and opens no dialog for a foreign sender or an unknown kind', async () => {
    const cancelled = wire({ canceled: true, filePaths: [] });
    expect(await cancelled.ipc.handlers.get(IPC_PICK_SOURCE)!(fromApp, 'folder')).toBeNull();
    const { ipc, asked, remove } = wire({ canceled: false, filePaths: ['/etc'] });
    expect(await ipc.handlers.get(IPC_PICK_SOURCE)!(fromElsewhere, 'folder')).toBeNull();
    expect(await ipc.handlers.get(IPC_PICK_SOURCE)!(fromApp, '../../etc')).toBeNull();
    expect(asked).toEqual([]);
    remove();
    expect(ipc.handlers.has(IPC_PICK_SOURCE)).toBe(false);
  });

  it('is reached from the preload bridge as pickSource, which refuses an unknown kind before IPC', async () => {
    const { ipc } = wire({ canceled: false, filePaths: ['/data/release.tar.gz'] });
    const sent: unknown[][] = [];
    const bridge = createBridge([], {
      invoke: (channel, ...args) => { sent.push([channel, ...args]); return ipc.handlers.get(channel)!(fromApp, ...args); },
      on: () => undefined,
    }) as { pickSource: (kind: string) => Promise<string | null> };
    expect(await bridge.pickSource('archive')).toBe('/data/release.tar.gz');
    await expect(bridge.pickSource('anything')).rejects.toThrow(/Unknown source kind/);
    expect(sent).toEqual([[IPC_PICK_SOURCE, 'archive']]);
  });
});
