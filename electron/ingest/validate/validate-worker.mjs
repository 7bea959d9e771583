// Entry of a validation worker thread when running from the TypeScript sources (tsx,
// vitest, `bin/ontocat.mjs` in a checkout). Worker threads do not inherit loader hooks
// registered with `register()` in the parent, so this registers tsx in the worker before
// importing the TypeScript module. The packaged build replaces this file with a bundle of
// worker-main.ts of the same name (scripts/build.mjs), so the pool's URL works in both.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('./worker-main.ts', import.meta.url);
if (!existsSync(fileURLToPath(source))) {
  throw new Error(`Validation worker sources not found at ${fileURLToPath(source)}; build with scripts/build.mjs.`);
}
const { register } = await import('tsx/esm/api');
register();
await import(source.href);
