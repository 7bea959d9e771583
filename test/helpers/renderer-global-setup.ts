/**
 * Builds the renderer once before the browser suites start. They run two at a time, and
 * each would otherwise check dist/renderer on its own: on a fresh clone two of them would
 * build it at once, each swapping its copy in while the other's server serves it.
 */
import { ensureRendererBuilt } from './web-host.js';

export default function setup(): void {
  ensureRendererBuilt();
}
