/**
 * The preload script: runs sandboxed in the renderer before the page and exposes the
 * typed api as `window.ontocat` through contextBridge. Nothing else of ipcRenderer
 * reaches the page. Bundled by esbuild into one CommonJS file (dist/preload/preload.cjs).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../shared/api-protocol.js';
import { createBridge } from './bridge.js';

/** Every channel name, written in by the build from the contract's `channelNames`. */
declare const __ONTOCAT_CHANNELS__: readonly string[];

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridge(__ONTOCAT_CHANNELS__, {
  invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
  on: (channel, listener) => ipcRenderer.on(channel, listener),
}));
