/**
 * The Electron main process: one window on one catalog session.
 *
 * Security: the renderer is served from app://ontocat (never file://) with a strict CSP,
 * runs sandboxed with contextIsolation and no Node, may not navigate away, open windows
 * or get permissions, and every IPC call is checked to come from that window's app://
 * top frame before it reaches `Session.invoke`. Everything testable lives in the plain
 * modules beside this one; this file only wires them to Electron.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, screen, session as electronSession, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { defaultRoot } from '../handlers/default-root.js';
import { openSession, type Session } from '../handlers/session.js';
import type { LocalEndpoint } from '../serve/local-endpoint.js';
import { openOwnerEndpoint } from '../serve/owner-endpoint.js';
import { channelNames, type Result } from '../shared/contract.js';
import { isOntocatError } from '../shared/errors.js';
import { APP_ORIGIN, APP_SCHEME, IPC_AUTH_ME, IPC_AUTH_SERVER, IPC_AUTH_SIGN_IN, IPC_AUTH_SIGN_OUT } from '../shared/ipc-names.js';
import { resolveAppRequest } from './app-protocol.js';
import { registerDesktopActions } from './desktop-actions.js';
import { createEventSender, forwardEvents, registerChannelHandlers } from './ipc-wiring.js';
import { RemoteConnection } from './remote-wiring.js';
import { loadRecentServers, rememberServer, REMOTE_SERVERS_FILE } from './remote-servers.js';
import { buildMenuTemplate, ingestNames } from './menu-template.js';
import { launchRequest, parseLaunchRequest, secondLaunchAction } from './second-instance.js';
import { isAppUrl, isTrustedSender } from './sender-check.js';
import { registerSourcePicker } from './source-picker.js';
import { loadWindowState, MIN_HEIGHT, MIN_WIDTH, saveWindowState, WINDOW_STATE_FILE } from './window-state.js';

/** Present once the ingest helper's channel is in the contract; looked up by name. */
const INGEST_CHANNEL = 'ingest:run';
const CATALOG_FILE = 'catalog.duckdb';

// Must happen before `ready`: app:// behaves like a real origin (CSP 'self', fetch, storage).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

let session: Session | null = null;
/** Where other Ontocat processes (the CLI) reach this app's session. */
let endpoint: LocalEndpoint | null = null;
let window: BrowserWindow | null = null;
let stopForwarding: (() => void) | null = null;
let quitting = false;

const rendererDir = (): string => path.join(app.getAppPath(), 'dist', 'renderer');
const windowStateFile = (): string => path.join(app.getPath('userData'), WINDOW_STATE_FILE);
const remoteServersFile = (): string => path.join(app.getPath('userData'), REMOTE_SERVERS_FILE);

/** The root from `--root DIR`/`--root=DIR`, else `$ONTOCAT_ROOT`, else the user data folder. */
function initialRoot(argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('--root=')) return path.resolve(arg.slice('--root='.length));
    if (arg === '--root' && argv[i + 1]) return path.resolve(argv[i + 1]!);
  }
  return defaultRoot(process.env);
}

/** `--remote URL`: open an `ontocat server` instead of a local root (sign-in in the window). */
function remoteArg(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('--remote=')) return arg.slice('--remote='.length);
    if (arg === '--remote' && argv[i + 1]) return argv[i + 1]!;
  }
  return null;
}

/** The remote catalog the window shows instead of a local session (--remote, or File › Open Remote Catalog…). */
let remote: RemoteConnection | null = null;

/** Ends the remote catalog the window showed, if any (another catalog is being opened). */
async function dropRemote(): Promise<void> {
  const previous = remote;
  if (!previous) return;
  remote = null;
  stopForwarding?.();
  stopForwarding = null;
  await previous.close().catch((error: unknown) => console.warn('[ontocat] signing out of the remote catalog failed:', error));
}

/** Closes the local catalog (flushed, lock released): the window now shows a remote one. */
async function closeLocal(): Promise<void> {
  const previous = session;
  if (!previous) return;
  session = null;
  await endpoint?.close();
  endpoint = null;
  await previous.close().catch((error: unknown) => console.error('[ontocat] closing the catalog failed:', error));
}

/**
 * Shows a team server's catalog in the window instead of the local one: the window
 * reloads to the sign-in page, which asks for the address (`url` null) or only the
 * account. Main holds the session and relays every channel (remote-wiring.ts); the
 * local catalog stays open until a sign-in succeeds, then closes so its lock is free.
 */
function showRemote(url: string | null): void {
  const previous = remote;
  remote = null;
  if (previous) void previous.close();
  stopForwarding?.();
  const connection = new RemoteConnection({
    url,
    recent: () => loadRecentServers(remoteServersFile()),
    onSignedIn: (signedInUrl) => {
      try {
        rememberServer(remoteServersFile(), signedInUrl);
      } catch (error) {
        console.warn('[ontocat] could not remember the server:', error);
      }
      window?.setTitle(`Ontocat — ${signedInUrl}`);
      void closeLocal();
    },
  });
  remote = connection;
  stopForwarding = forwardEvents((event, listener) => connection.on(event, listener), createEventSender(() => window?.webContents ?? null));
  window?.setTitle(url ? `Ontocat — ${url}` : 'Ontocat — remote catalog');
  window?.webContents.reload();
}

const noSession = (): Promise<Result<unknown>> => Promise.resolve({ ok: false, code: 'NOT_FOUND', message: 'No catalog is open; use File › Open Catalog….' });

/** Closes the current session (if any) and opens one on `root`; reports failures in a dialog. */
async function openRoot(root: string): Promise<boolean> {
  if (remote && session && path.resolve(session.catalog.root) === path.resolve(root)) {
    // Back from a remote catalog not yet signed in to: the local one is still open.
    await dropRemote();
    stopForwarding = forwardEvents((event, listener) => session!.on(event, listener), createEventSender(() => window?.webContents ?? null));
    window?.setTitle(`Ontocat — ${root}`);
    window?.webContents.reload();
    return true;
  }
  let next: Session;
  try {
    next = await openSession({ actor: 'desktop', root });
  } catch (error) {
    const message = isOntocatError(error) ? error.message : String(error);
    dialog.showErrorBox('Could not open the catalog', message);
    return false;
  }
  await dropRemote();
  stopForwarding?.();
  const previous = session;
  session = next;
  stopForwarding = forwardEvents((event, listener) => next.on(event, listener), createEventSender(() => window?.webContents ?? null));
  // The endpoint follows the session: the old root's clients go, the new root's may come.
  await endpoint?.close();
  endpoint = null;
  await previous?.close();
  endpoint = await openOwnerEndpoint(next, (message) => console.warn(message));
  // Schedules run while the app is open; new candidates show as desktop notifications.
  next.runSchedules({ onEvent: (_event, text) => { if (Notification.isSupported()) new Notification(text).show(); } });
  window?.setTitle(`Ontocat — ${root}`);
  window?.webContents.reload();
  return true;
}

async function chooseFolder(title: string, buttonLabel: string): Promise<string | null> {
  const options: Electron.OpenDialogOptions = { title, buttonLabel, properties: ['openDirectory', 'createDirectory', 'promptToCreate'] };
  const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return picked.canceled ? null : picked.filePaths[0] ?? null;
}

async function confirm(message: string, detail: string, okLabel: string): Promise<boolean> {
  const options: Electron.MessageBoxOptions = { type: 'question', buttons: [okLabel, 'Cancel'], defaultId: 0, cancelId: 1, message, detail };
  const answer = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return answer.response === 0;
}

async function newCatalog(): Promise<void> {
  const folder = await chooseFolder('New Catalog: choose an empty folder', 'Create Catalog Here');
  if (!folder) return;
  if (existsSync(path.join(folder, CATALOG_FILE))) {
    if (!(await confirm('That folder already holds a catalog.', folder, 'Open It'))) return;
  } else if (existsSync(folder) && readdirSync(folder).length > 0) {
    if (!(await confirm('That folder is not empty.', `Create a catalog in ${folder} anyway?`, 'Create'))) return;
  }
  await openRoot(folder);
}

async function openCatalog(): Promise<void> {
  const folder = await chooseFolder('Open Catalog: choose a storage root', 'Open');
  if (!folder) return;
  if (!existsSync(path.join(folder, CATALOG_FILE)) && !(await confirm('No catalog in that folder.', `Create a new catalog in ${folder}?`, 'Create'))) return;
  await openRoot(folder);
}

async function ingest(): Promise<void> {
  if (remote) {
    // A path picked here is on this computer, not on the server: the Ingest page takes a server path or a URL.
    await dialog.showMessageBox({ type: 'info', message: 'Ingest on a team server', detail: 'A team server ingests from its own folders or from a URL. Use the Ingest page in the window.' });
    return;
  }
  const current = session;
  if (!current) return;
  let properties: Electron.OpenDialogOptions['properties'] = ['openFile', 'openDirectory'];
  if (process.platform !== 'darwin') {
    // Windows and Linux dialogs pick files or folders, not both.
    const kind = await dialog.showMessageBox({ type: 'question', message: 'Ingest what?', buttons: ['A Folder…', 'An Archive…', 'Cancel'], cancelId: 2 });
    if (kind.response === 2) return;
    properties = [kind.response === 0 ? 'openDirectory' : 'openFile'];
  }
  const picked = await dialog.showOpenDialog({ title: 'Ingest into the catalog', properties, filters: properties.includes('openFile') ? [{ name: 'Archives', extensions: ['zip', 'tar', 'gz', 'tgz', 'xz'] }, { name: 'All files', extensions: ['*'] }] : [] });
  const source = picked.canceled ? null : picked.filePaths[0];
  if (!source) return;
  const names = ingestNames(source);
  if (!(await confirm(`Ingest as ${names.service}/${names.version}?`, source, 'Ingest'))) return;
  const result = await current.invoke(INGEST_CHANNEL, { source, ...names });
  if (!result.ok) dialog.showErrorBox('Ingest failed', result.message);
}

function openRemoteCatalog(): void {
  showRemote(null);
}

function revealRoot(): void {
  if (!session) return;
  const db = path.join(session.catalog.root, CATALOG_FILE);
  if (existsSync(db)) shell.showItemInFolder(db);
  else void shell.openPath(session.catalog.root);
}

function installMenu(): void {
  const hasIngest = (channelNames as readonly string[]).includes(INGEST_CHANNEL);
  const template = buildMenuTemplate({
    newCatalog: () => { void newCatalog(); },
    openCatalog: () => { void openCatalog(); },
    openRemote: openRemoteCatalog,
    ...(hasIngest ? { ingest: () => { void ingest(); } } : {}),
    revealRoot,
  }, process.platform, app.getName());
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Navigation, new windows, webviews and permissions are refused for every web contents. */
function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => { if (!isAppUrl(url)) event.preventDefault(); });
  contents.on('will-redirect', (event, url) => { if (!isAppUrl(url)) event.preventDefault(); });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web (a source URL) open in the user's browser, never in an app window.
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function createWindow(): BrowserWindow {
  const displays = screen.getAllDisplays().map((display) => display.workArea);
  const state = loadWindowState(windowStateFile(), displays);
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: session ? `Ontocat — ${session.catalog.root}` : 'Ontocat',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: path.join(__dirname, '..', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const remember = (): void => {
    try {
      const bounds = win.getNormalBounds();
      saveWindowState(windowStateFile(), { ...bounds, maximized: win.isMaximized() });
    } catch (error) {
      console.error('[ontocat] could not save the window state:', error);
    }
  };
  win.on('close', remember);
  win.on('closed', () => { if (window === win) window = null; });
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  electronSession.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  electronSession.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = await resolveAppRequest(rendererDir(), request.url);
    return new Response(typeof answer.body === 'string' ? answer.body : new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
  });

  const isTrusted = (event: IpcMainInvokeEvent): boolean => isTrustedSender(event, window && !window.isDestroyed() ? window.webContents.id : null);
  registerChannelHandlers<IpcMainInvokeEvent>(ipcMain, {
    invoke: (channel, input, options) => (remote ? remote.invoke(channel, input, options) : session ? session.invoke(channel, input, options) : noSession()),
    isTrusted,
  });
  // Sign-in to a remote catalog: the renderer's sign-in page asks, main holds the session.
  const refused = { ok: false, code: 'BAD_INPUT', message: 'Refused: the call did not come from the Ontocat window.' } as const;
  ipcMain.handle(IPC_AUTH_ME, (event) => (!isTrusted(event) ? refused : remote ? remote.me() : { ok: true, data: null }));
  ipcMain.handle(IPC_AUTH_SIGN_IN, (event, input: unknown) => (!isTrusted(event) ? refused : remote ? remote.signIn(input) : { ok: false, code: 'BAD_INPUT', message: 'No remote catalog is open.' }));
  ipcMain.handle(IPC_AUTH_SIGN_OUT, (event) => (!isTrusted(event) ? refused : remote ? remote.signOut() : { ok: true, data: null }));
  ipcMain.handle(IPC_AUTH_SERVER, (event) => (!isTrusted(event) ? refused : remote ? remote.server() : { ok: true, data: { url: null, recent: [] } }));
  registerSourcePicker<IpcMainInvokeEvent>(ipcMain, {
    isTrusted,
    showOpenDialog: (options) => (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options)),
  });
  registerDesktopActions<IpcMainInvokeEvent>(ipcMain, {
    session: () => session,
    remote: () => remote,
    isTrusted: (event) => isTrustedSender(event, window && !window.isDestroyed() ? window.webContents.id : null),
    shell,
    dialog: { showSaveDialog: (options) => (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)) },
    saveFolder: app.getPath('downloads'),
  });

  const remoteUrl = remoteArg(process.argv);
  if (remoteUrl) {
    showRemote(remoteUrl);
  } else {
    await openRoot(initialRoot(process.argv));
  }
  installMenu();
  window = createWindow();

  app.on('activate', () => { if (!window) window = createWindow(); });
  app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit(); });
  app.on('before-quit', (event) => {
    if (remote && !quitting) void remote.close();
    if (quitting || !session) return;
    // Hold the quit until the catalog is flushed (CHECKPOINT) and the lock released.
    event.preventDefault();
    quitting = true;
    const closing = session;
    session = null;
    stopForwarding?.();
    const closingEndpoint = endpoint;
    endpoint = null;
    (closingEndpoint?.close() ?? Promise.resolve())
      .then(() => closing.close())
      .catch((error: unknown) => console.error('[ontocat] closing the catalog failed:', error))
      .finally(() => app.quit());
  });
}

/** Brings the window forward and, when another launch named another catalog, offers to open it. */
async function answerSecondLaunch(data: unknown): Promise<void> {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  const action = secondLaunchAction({ root: remote ? null : session?.catalog.root ?? null, remote: remote?.url ?? null }, parseLaunchRequest(data));
  if (action.kind === 'focus' || !(await confirm(action.message, action.detail, 'Open'))) return;
  if (action.kind === 'offer-root') await openRoot(action.root);
  else showRemote(action.url);
}

// The launch's own request, handed to the running instance if there is one.
if (!app.requestSingleInstanceLock({ ...launchRequest(process.argv, process.cwd()) })) {
  // Another Ontocat holds the catalog: it comes forward (second-instance) and we leave.
  app.quit();
} else {
  app.on('second-instance', (_event, _argv, _cwd, data) => {
    answerSecondLaunch(data).catch((error: unknown) => console.error('[ontocat] answering a second launch failed:', error));
  });
  start().catch((error: unknown) => {
    console.error('[ontocat] failed to start:', error);
    dialog.showErrorBox('Ontocat could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
