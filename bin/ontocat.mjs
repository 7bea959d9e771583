#!/usr/bin/env node
// The `ontocat` command: runs the bundles in dist/cli. In a source checkout they are
// rebuilt first when a source under electron/ changed, so they are never stale, and no run
// pays for compiling TypeScript. The fresh check is one stat per path recorded in the
// build stamp (no folder listing, no module loaded); only when one differs does the
// bundler module decide, by listing the sources, whether to rebuild.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** True when every path in the build stamp has the mtime, size and inode it had at build time. */
function stampHolds() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(root, 'dist', 'cli', 'build-stamp.json'), 'utf8'));
  } catch {
    return false;
  }
  if (stamp.format !== 1 || !Array.isArray(stamp.entries)) return false;
  // Plain concatenation: path.join's normalising, 280 times, was a visible part of the check.
  const base = `${root}${path.sep}`;
  for (const [rel, mtimeMs, size, ino] of stamp.entries) {
    const stat = statSync(base + rel, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs !== mtimeMs || stat.size !== size || stat.ino !== ino) return false;
  }
  return true;
}

const bundler = path.join(root, 'scripts', 'cli-bundle.mjs');
if (existsSync(path.join(root, 'electron')) && !stampHolds() && existsSync(bundler)) {
  const { buildCliBundles, cliBundlesStale } = await import(pathToFileURL(bundler).href);
  if (cliBundlesStale(root)) await buildCliBundles(root);
}
// The commands that serve the app to a browser rebuild it too when its sources changed.
const SERVING = ['serve', 'server'];
const rendererCheck = path.join(root, 'scripts', 'renderer-stale.mjs');
if (!process.env.ONTOCAT_RENDERER_DIR && process.argv.slice(2).some((arg) => SERVING.includes(arg))
  && existsSync(path.join(root, 'renderer')) && existsSync(rendererCheck)) {
  const { rendererStale } = await import(pathToFileURL(rendererCheck).href);
  if (rendererStale(root)) {
    process.stderr.write('ontocat: the web app changed since dist/renderer was built; building it (a few seconds)…\n');
    const { spawnSync } = await import('node:child_process');
    const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-renderer.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) process.stderr.write('ontocat: building the web app failed; serving the one in dist/renderer (npm run build shows why).\n');
  }
}
// The most used read commands run from a small entry, compiled from V8's code cache;
// anything else from the full CLI. The entry hands back any line it does not run, but
// loading it costs another command some 10 ms, so a line without one of its command
// words (the first word of quick-main.ts's QUICK_COMMAND_NAMES) goes straight on.
const QUICK_WORDS = ['info', 'versions', 'latest'];
const { requireBundle, saveCodeCaches } = await import('./code-cache.mjs');
let code = null;
if (process.argv.slice(2).some((arg) => QUICK_WORDS.includes(arg))) {
  code = await requireBundle(path.join(root, 'dist', 'cli', 'quick.cjs')).runQuickFromProcess();
}
if (code === null) code = await requireBundle(path.join(root, 'dist', 'cli', 'main.cjs')).runFromProcess();
process.exitCode = code;
saveCodeCaches();
// The command is over and the catalog closed. Leaving now spares the 30-70 ms a natural
// exit spends closing handles and waiting on the event loop, once everything printed has
// been handed to the OS (stdout and stderr to pipes and files are synchronous on POSIX;
// on Windows a pipe is not, so there the process ends on its own).
// A stream closed by a reader that went away (EPIPE, see electron/cli/broken-pipe.ts) holds nothing more to hand over.
const flushed = (stream) => stream.destroyed || stream.writableLength === 0;
if (process.platform !== 'win32' && flushed(process.stdout) && flushed(process.stderr)) process.exit(code);
// Otherwise something still pending (a cancelled job that ignored its signal, a half-open
// socket) must not keep the process alive.
globalThis.setTimeout(() => process.exit(code), 3000).unref();
