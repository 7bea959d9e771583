// Builds what runs outside the sources: the CLI/serve bundle, Electron main and preload
// bundles, and the renderer (Vite). `--node-only` builds just the Node bundles.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const nodeOnly = process.argv.includes('--node-only');

/** Bundles one Node entry point to ESM, leaving npm packages external. */
function bundleNode(entry, outfile) {
  return build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

rmSync(path.join(root, 'dist', 'cli'), { recursive: true, force: true });
await bundleNode('electron/cli/main.ts', 'dist/cli/main.mjs');
// Validation worker threads load their own bundle, next to the CLI's: the pool asks for
// `./validate-worker.mjs` relative to the module it is bundled into.
await bundleNode('electron/ingest/validate/worker-main.ts', 'dist/cli/validate-worker.mjs');

for (const extra of ['scripts/build-electron.mjs', 'scripts/build-renderer.mjs']) {
  if (nodeOnly && extra.includes('renderer')) continue;
  if (existsSync(path.join(root, extra))) await import(path.join(root, extra));
}
console.log(`Built ${nodeOnly ? 'Node bundles' : 'everything'} into dist/.`);
