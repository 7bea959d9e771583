import type { Result } from '../shared/contract.js';
import { isOntocatError, OntocatError } from '../shared/errors.js';
import { HTTP_DOWNLOAD_EXPORT, HTTP_DOWNLOAD_FILE } from '../shared/download-paths.js';
import { IPC_REVEAL_FILE, IPC_SAVE_EXPORT } from '../shared/ipc-names.js';
import { exportFileName, exportRequestTo, parseExportRequest, storedFileForDownload, type ExportSession } from '../handlers/table-download.js';
import type { IpcMainLike } from './ipc-wiring.js';
import type { IpcSenderInfo } from './sender-check.js';

/** The slices of Electron's `shell` and `dialog` these actions use (fakes in tests). */
export interface DesktopShell {
  showItemInFolder(fullPath: string): void;
}
export interface DesktopDialog {
  showSaveDialog(options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
}

/** A team server the window shows instead of a local catalog (remote-wiring.ts). */
export interface RemoteDownloads {
  download(pathname: string, params: Readonly<Record<string, string>>, target: string): Promise<{ bytes: number; rows: number | null }>;
}

export interface DesktopActionsWiring<E extends IpcSenderInfo> {
  readonly session: () => ExportSession | null;
  /** The remote catalog the window shows, if any: exports are then the server's, saved from its download route. */
  readonly remote?: () => RemoteDownloads | null;
  readonly isTrusted: (event: E) => boolean;
  readonly shell: DesktopShell;
  readonly dialog: DesktopDialog;
  /** Folder the save dialog opens in (the user's Downloads). */
  readonly saveFolder: string;
}

export interface SavedExport {
  /** Null when the user cancelled the dialog. */
  readonly path: string | null;
  readonly rows: number;
}

async function guarded<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (error) {
    if (isOntocatError(error)) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'INTERNAL', message: error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error) };
  }
}

/**
 * Registers "show in folder" (shell.showItemInFolder on a stored file, found through the
 * catalog and safe paths) and "export a table" (a save dialog, then the CLI's export code
 * writing straight from DuckDB to the chosen file). Both check the sender like every channel.
 */
export function registerDesktopActions<E extends IpcSenderInfo>(ipcMain: IpcMainLike<E>, wiring: DesktopActionsWiring<E>): () => void {
  const refused = (name: string): Result<never> => ({ ok: false, code: 'BAD_INPUT', message: `Refused ${name}: the call did not come from the Ontocat window.` });
  const closed: Result<never> = { ok: false, code: 'NOT_FOUND', message: 'No catalog is open.' };
  ipcMain.handle(IPC_REVEAL_FILE, async (event, input) => {
    if (!wiring.isTrusted(event)) return refused(IPC_REVEAL_FILE);
    const remote = wiring.remote?.() ?? null;
    const session = remote ? null : wiring.session();
    if (!remote && !session) return closed;
    const { ref, relpath } = (input ?? {}) as { ref?: unknown; relpath?: unknown };
    if (remote) {
      // The file is on the server: saved here first (where the dialog says), then shown.
      return guarded(async () => {
        if (typeof ref !== 'string' || typeof relpath !== 'string') throw new OntocatError('BAD_INPUT', 'Give the version and the path of the file.');
        const name = relpath.split('/').pop() || relpath;
        const picked = await wiring.dialog.showSaveDialog({ title: `Save ${name}`, defaultPath: `${wiring.saveFolder}/${name}`, filters: [] });
        if (picked.canceled || !picked.filePath) throw new OntocatError('CANCELLED', 'Not saved.');
        await remote.download(HTTP_DOWNLOAD_FILE, { ref, relpath }, picked.filePath);
        wiring.shell.showItemInFolder(picked.filePath);
        return { path: picked.filePath };
      });
    }
    return guarded(async () => {
      const file = await storedFileForDownload(session!, ref, relpath);
      wiring.shell.showItemInFolder(file.path);
      return { path: file.path };
    });
  });
  ipcMain.handle(IPC_SAVE_EXPORT, async (event, input) => {
    if (!wiring.isTrusted(event)) return refused(IPC_SAVE_EXPORT);
    const remote = wiring.remote?.() ?? null;
    const session = remote ? null : wiring.session();
    if (!remote && !session) return closed;
    const { table, format, input: tableInput } = (input ?? {}) as { table?: unknown; format?: unknown; input?: unknown };
    return guarded(async (): Promise<SavedExport> => {
      const request = parseExportRequest(table, format, tableInput);
      const picked = await wiring.dialog.showSaveDialog({
        title: `Export ${request.table} as ${request.format.toUpperCase()}`,
        defaultPath: `${wiring.saveFolder}/${exportFileName(request)}`,
        filters: [{ name: request.format.toUpperCase(), extensions: [request.format] }],
      });
      if (picked.canceled || !picked.filePath) return { path: null, rows: 0 };
      if (remote) {
        // The rows are the server's: its export route writes them with the same code.
        const saved = await remote.download(HTTP_DOWNLOAD_EXPORT, { table: request.table, format: request.format, input: JSON.stringify(request.input) }, picked.filePath);
        return { path: picked.filePath, rows: saved.rows ?? 0 };
      }
      const written = await exportRequestTo(session!, request, picked.filePath);
      return { path: written.path, rows: written.rows };
    });
  });
  return () => {
    ipcMain.removeHandler(IPC_REVEAL_FILE);
    ipcMain.removeHandler(IPC_SAVE_EXPORT);
  };
}
