#!/usr/bin/env node
// The `ontocat` command. In a source checkout it runs the TypeScript sources through tsx,
// so it is never stale; in a packaged build it runs the bundle in dist/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(here, '..', 'electron', 'cli', 'main.ts');
let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(pathToFileURL(source).href);
} else {
  cli = await import(pathToFileURL(path.join(here, '..', 'dist', 'cli', 'main.mjs')).href);
}
const code = await cli.runFromProcess();
process.exitCode = code;
// The command is over and the catalog closed; something still pending (a cancelled job
// that ignored its signal, a half-open socket) must not keep the process alive.
globalThis.setTimeout(() => process.exit(code), 3000).unref();
