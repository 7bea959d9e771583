// Builds what runs outside the sources: the CLI/serve bundle, Electron main and preload
// bundles, and the renderer (Vite). `--node-only` builds just the Node bundles.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const nodeOnly = process.argv.includes('--node-only');

rmSync(path.join(root, 'dist', 'cli'), { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'electron/cli/main.ts')],
  outfile: path.join(root, 'dist/cli/main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
// Validation worker threads load their own bundle, next to the CLI's: the pool asks for
// `./validate-worker.mjs` relative to the module it is bundled into.
await build({
  entryPoints: [path.join(root, 'electron/ingest/validate/worker-main.ts')],
  outfile: path.join(root, 'dist/cli/validate-worker.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

for (const extra of ['scripts/build-electron.mjs', 'scripts/build-renderer.mjs']) {
  if (nodeOnly && extra.includes('renderer')) continue;
  if (existsSync(path.join(root, extra))) await import(path.join(root, extra));
}
console.log(`Built ${nodeOnly ? 'Node bundles' : 'everything'} into dist/.`);
