/**
 * Picks the transport: Electron's preload bridge when present, HTTP otherwise.
 */
import { BRIDGE_GLOBAL, type Bridge } from '../../../electron/shared/api-protocol.js';
import { createHttpBridge, tokenFromLocation } from './http-bridge.js';

/** The bridge for this window. */
export function createBridge(win: Window = window): Bridge {
  const preload = (win as unknown as Record<string, unknown>)[BRIDGE_GLOBAL];
  if (preload && typeof preload === 'object') return preload as Bridge;
  return createHttpBridge({ token: tokenFromLocation(win.location.search) });
}
