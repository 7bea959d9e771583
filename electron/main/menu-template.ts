import type { MenuItemConstructorOptions } from 'electron';

/** What the menu items do; main supplies them, tests call them. */
export interface MenuActions {
  readonly newCatalog: () => void;
  readonly openCatalog: () => void;
  /** Opens a team server's catalog (address and sign-in in the window) instead of a local root. */
  readonly openRemote?: () => void;
  /** Absent when the contract has no `ingest:run` channel (the item is then left out). */
  readonly ingest?: () => void;
  readonly revealRoot: () => void;
}

/**
 * The application menu: File (catalog actions), Edit, View, Window, Help. Only roles and
 * the actions above; nothing here reaches the catalog directly.
 */
export function buildMenuTemplate(actions: MenuActions, platform: NodeJS.Platform, appName = 'Ontocat'): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const file: MenuItemConstructorOptions[] = [
    { id: 'new-catalog', label: 'New Catalog…', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newCatalog() },
    { id: 'open-catalog', label: 'Open Catalog…', accelerator: 'CmdOrCtrl+O', click: () => actions.openCatalog() },
    ...(actions.openRemote ? [{ id: 'open-remote', label: 'Open Remote Catalog…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openRemote?.() }] : []),
    ...(actions.ingest ? [{ type: 'separator' as const }, { id: 'ingest', label: 'Ingest Folder or Archive…', accelerator: 'CmdOrCtrl+I', click: () => actions.ingest?.() }] : []),
    { type: 'separator' },
    { id: 'reveal-root', label: isMac ? 'Reveal in Finder' : 'Show in File Manager', click: () => actions.revealRoot() },
    { type: 'separator' },
    isMac ? { role: 'close' } : { role: 'quit' },
  ];
  return [
    ...(isMac ? [{ label: appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } as MenuItemConstructorOptions] : []),
    { label: 'File', submenu: file },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { label: 'Window', submenu: [{ role: 'minimize' }, ...(isMac ? [{ role: 'zoom' } as const, { role: 'front' } as const] : [{ role: 'close' } as const])] },
  ];
}

/**
 * A service and version for an ingest started from the menu: the service from the
 * file or folder name (archive extensions dropped, unsafe characters replaced), the
 * version from the time, so two ingests of one source never collide.
 */
export function ingestNames(sourcePath: string, now: Date = new Date()): { service: string; version: string } {
  const base = sourcePath.replace(/[\\/]+$/, '').split(/[\\/]/).at(-1) ?? '';
  const stem = base.replace(/(\.tar)?\.(gz|tgz|xz|bz2|zip|tar)$/i, '').replace(/\.tgz$/i, '');
  const service = stem.replace(/[^A-Za-z0-9._+-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 128) || 'imported';
  const version = now.toISOString().slice(0, 19).replace(/:/g, '').replace('T', '-');
  return { service, version };
}
