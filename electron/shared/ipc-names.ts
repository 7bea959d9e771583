/**
 * Names on Electron's IPC between preload and main.
 *
 * Calls use the channel name itself (`ipcRenderer.invoke('versions:list', input)`), one
 * `ipcMain.handle` per channel; pushed events travel on one IPC name as `(event, payload)`.
 */
export const IPC_EVENT = 'ontocat:event';

/** The native source picker (`pickSource`), the one call that is not a catalog channel. */
export const IPC_PICK_SOURCE = 'ontocat:pick-source';

/** The custom protocol the renderer is served from, and its one origin. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ontocat';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Desktop-only actions, handled in main beside the channels (they need a dialog or the
 * file manager, so the web host has no such channel: it downloads instead).
 */
export const IPC_REVEAL_FILE = 'desktop:reveal-file';
export const IPC_SAVE_EXPORT = 'desktop:save-export';

/**
 * A remote catalog (`ontocat server`) opened by the desktop app: the renderer's sign-in
 * page asks main who is signed in, signs in and out; main holds the session cookie.
 */
export const IPC_AUTH_ME = 'remote:me';
export const IPC_AUTH_SIGN_IN = 'remote:sign-in';
export const IPC_AUTH_SIGN_OUT = 'remote:sign-out';
/** Which server the sign-in page signs in to (`url` null: the page asks for the address). */
export const IPC_AUTH_SERVER = 'remote:server';
