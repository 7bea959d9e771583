// Builds what runs outside the sources: the CLI/serve bundle, Electron main and preload
// bundles, and the renderer (Vite). `--node-only` builds just the Node bundles.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCliBundles } from './cli-bundle.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const nodeOnly = process.argv.includes('--node-only');

await buildCliBundles(root);

for (const extra of ['scripts/build-electron.mjs', 'scripts/build-renderer.mjs']) {
  if (nodeOnly && extra.includes('renderer')) continue;
  if (existsSync(path.join(root, extra))) await import(path.join(root, extra));
}
console.log(`Built ${nodeOnly ? 'Node bundles' : 'everything'} into dist/.`);
