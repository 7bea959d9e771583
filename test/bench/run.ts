// Runs every benchmark in this folder (`*.bench.ts`), or those named on the command line:
//   npm run bench               all of them
//   npm run bench -- catalog    only files whose name contains "catalog"
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = Date.now();
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { main?: () => Promise<void> };
  if (typeof mod.main === 'function') await mod.main();
  console.log(`(${file} took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
