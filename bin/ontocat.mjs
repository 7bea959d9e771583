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
process.exitCode = await cli.runFromProcess();
