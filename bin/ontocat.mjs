#!/usr/bin/env node
// The `ontocat` command: runs the bundle in dist/cli. In a source checkout the bundle is
// rebuilt first when any source under electron/ is newer, so it is never stale, and no run
// pays for compiling TypeScript (a fresh check is one walk of the source folder's mtimes).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundler = path.join(root, 'scripts', 'cli-bundle.mjs');
if (existsSync(path.join(root, 'electron')) && existsSync(bundler)) {
  const { buildCliBundles, cliBundlesStale } = await import(pathToFileURL(bundler).href);
  if (cliBundlesStale(root)) await buildCliBundles(root);
}
const cli = await import(pathToFileURL(path.join(root, 'dist', 'cli', 'main.mjs')).href);
const code = await cli.runFromProcess();
process.exitCode = code;
// The command is over and the catalog closed; something still pending (a cancelled job
// that ignored its signal, a half-open socket) must not keep the process alive.
globalThis.setTimeout(() => process.exit(code), 3000).unref();
