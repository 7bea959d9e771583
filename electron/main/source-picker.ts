/**
 * The native source picker behind the renderer's `pickSource`: Electron's open dialog
 * for a folder or an archive, answered over one IPC name to the app window only.
 */
import type { SourceKind } from '../shared/api-protocol.js';
import { IPC_PICK_SOURCE } from '../shared/ipc-names.js';
import type { IpcMainLike } from './ipc-wiring.js';
import type { IpcSenderInfo } from './sender-check.js';

/** What the dialog is asked for (Electron's OpenDialogOptions, the part used here). */
export interface PickDialogOptions {
  readonly title: string;
  readonly buttonLabel: string;
  readonly properties: ('openDirectory' | 'openFile')[];
  readonly filters: { name: string; extensions: string[] }[];
}

/** The dialog call; Electron's `dialog.showOpenDialog` in the app, a fake in tests. */
export type ShowOpenDialog = (options: PickDialogOptions) => Promise<{ canceled: boolean; filePaths: string[] }>;

/** The options for one kind: Windows and Linux dialogs pick files or folders, never both. */
export function pickDialogOptions(kind: SourceKind): PickDialogOptions {
  return kind === 'folder'
    ? { title: 'Ingest a folder', buttonLabel: 'Choose Folder', properties: ['openDirectory'], filters: [] }
    : {
        title: 'Ingest an archive', buttonLabel: 'Choose Archive', properties: ['openFile'],
        filters: [{ name: 'Archives', extensions: ['zip', 'tar', 'gz', 'tgz', 'xz'] }, { name: 'All files', extensions: ['*'] }],
      };
}

/**
 * Registers the picker on `IPC_PICK_SOURCE`: a trusted sender gets the chosen path or
 * null (cancelled); anything else, or an unknown kind, gets null without a dialog.
 * Returns the function that removes it.
 */
export function registerSourcePicker<E extends IpcSenderInfo>(ipcMain: IpcMainLike<E>, options: {
  readonly isTrusted: (event: E) => boolean;
  readonly showOpenDialog: ShowOpenDialog;
}): () => void {
  ipcMain.handle(IPC_PICK_SOURCE, async (event, kind) => {
    if (!options.isTrusted(event) || (kind !== 'folder' && kind !== 'archive')) return null;
    const picked = await options.showOpenDialog(pickDialogOptions(kind));
    return picked.canceled ? null : picked.filePaths[0] ?? null;
  });
  return () => ipcMain.removeHandler(IPC_PICK_SOURCE);
}
