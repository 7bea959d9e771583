import { APP_HOST, APP_SCHEME } from '../shared/ipc-names.js';

/** The parts of an IPC event the check reads (Electron's IpcMainInvokeEvent has them). */
export interface IpcSenderInfo {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent?: unknown } | null;
}

/** Whether `url` is a page of the app's own protocol origin (`app://ontocat/…`). */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/**
 * Whether an IPC message comes from the app's own window, from its top frame, showing
 * an app:// page. Anything else (another window, an iframe, a page that navigated away)
 * is refused before the call reaches a handler.
 */
export function isTrustedSender(event: IpcSenderInfo, trustedWebContentsId: number | null): boolean {
  if (trustedWebContentsId === null || event.sender.id !== trustedWebContentsId) return false;
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== undefined && frame.parent !== null) return false;
  return isAppUrl(frame.url);
}
