/**
 * Files and tables leaving the app: "reveal" a stored file and export a table, each the
 * way its transport can (Electron: show in folder, save dialog; browser: a download).
 */
import type { Bridge, ExportRequestInput } from '../../../electron/shared/api-protocol.js';
import { HTTP_DOWNLOAD_EXPORT, HTTP_DOWNLOAD_FILE } from '../../../electron/shared/download-paths.js';

export type ExportTableName =
  | 'delta' | 'delta-tree' | 'validation-delta' | 'validations' | 'term-changes' | 'term-delta' | 'term-search' | 'term-history'
  | 'report-latest' | 'report-growth' | 'report-validation' | 'report-hotspots' | 'report-cadence';

/** What happened, for a toast. */
export interface Outcome { readonly ok: boolean; readonly message: string }

/** Starts a browser download of `url` (same origin, so the token cookie goes along). */
function download(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}

/** The label of the file action on this transport. */
export function revealLabel(bridge: Bridge): string {
  return bridge.revealFile ? 'Show in folder' : 'Download file';
}

/** Shows a stored file in the file manager (Electron) or downloads it (browser). */
export async function revealFile(bridge: Bridge, ref: string, relpath: string): Promise<Outcome> {
  if (bridge.revealFile) {
    const result = await bridge.revealFile({ ref, relpath });
    return result.ok ? { ok: true, message: `Shown in folder: ${result.data.path}` } : { ok: false, message: result.message };
  }
  if (bridge.downloadUrl) {
    download(bridge.downloadUrl(HTTP_DOWNLOAD_FILE, { ref, relpath }));
    return { ok: true, message: `Downloading ${relpath.split('/').pop() ?? relpath}` };
  }
  return { ok: false, message: 'This window cannot reach files.' };
}

/** Exports every row of a table: a save dialog in Electron, a download in the browser. */
export async function exportTableFile(bridge: Bridge, request: ExportRequestInput): Promise<Outcome> {
  if (bridge.saveExport) {
    const result = await bridge.saveExport(request);
    if (!result.ok) return { ok: false, message: result.message };
    return result.data.path === null ? { ok: true, message: 'Export cancelled.' }
      : { ok: true, message: `Exported ${result.data.rows} rows to ${result.data.path}` };
  }
  if (bridge.downloadUrl) {
    download(bridge.downloadUrl(HTTP_DOWNLOAD_EXPORT, { table: request.table, format: request.format, input: JSON.stringify(request.input) }));
    return { ok: true, message: `Downloading ${request.table} as ${request.format.toUpperCase()}` };
  }
  return { ok: false, message: 'This window cannot save files.' };
}
