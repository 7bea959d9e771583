/**
 * Picks the transport: Electron's preload bridge when present, HTTP otherwise.
 */
import { BRIDGE_GLOBAL, type Bridge } from '../../../electron/shared/api-protocol.js';
import { createHttpBridge, tokenFromLocation } from './http-bridge.js';

/** Whether Electron's preload bridge is present (no sign-in there: main holds any remote session). */
export function hasPreloadBridge(win: Window = window): boolean {
  const preload = (win as unknown as Record<string, unknown>)[BRIDGE_GLOBAL];
  return Boolean(preload && typeof preload === 'object');
}

/** The bridge for this window; `csrf` gives the team server's token for each HTTP call. */
export function createBridge(win: Window = window, csrf?: () => string | null): Bridge {
  const preload = (win as unknown as Record<string, unknown>)[BRIDGE_GLOBAL];
  if (preload && typeof preload === 'object') return preload as Bridge;
  return createHttpBridge({ token: tokenFromLocation(win.location.search), csrf });
}
