// The Electron bundles: main (dist/main/main.cjs) and the sandboxed preload
// (dist/preload/preload.cjs). Imported by build-electron.mjs and by the tests that check
// the real preload bundle.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Reads `channelNames` from the contract at build time, so that the preload carries the
 * list without bundling zod and every schema into the renderer process.
 * @param {string} root the project folder
 * @returns {Promise<string[]>}
 */
export async function channelNamesFromContract(root) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ontocat-contract-'));
  const outfile = path.join(dir, 'contract.mjs');
  try {
    await build({
      entryPoints: [path.join(root, 'electron/shared/contract.ts')],
      outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning',
    });
    const mod = await import(pathToFileURL(outfile).href);
    return [...mod.channelNames];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Bundles the preload into ONE CommonJS file: a sandboxed preload may `require` only
 * 'electron' (and a few builtins), so everything else is inlined.
 * @param {string} root @param {string} outfile @param {readonly string[]} channels
 */
export async function buildPreload(root, outfile, channels) {
  await build({
    entryPoints: [path.join(root, 'electron/preload/preload.ts')],
    outfile, bundle: true, platform: 'browser', format: 'cjs', target: 'es2022',
    external: ['electron'], sourcemap: false, logLevel: 'warning',
    define: { __ONTOCAT_CHANNELS__: JSON.stringify(channels) },
  });
}

/**
 * Bundles the main process into dist/main/main.cjs. npm packages stay external (they
 * ship in the app's node_modules; the DuckDB binding is native); `import.meta.url` is
 * mapped to the bundle's own file so modules that find folders relative to themselves
 * (migrations/, dist/renderer) still work.
 * @param {string} root @param {string} outfile
 */
export async function buildMain(root, outfile) {
  await build({
    entryPoints: [path.join(root, 'electron/main/main.ts')],
    outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    packages: 'external', sourcemap: true, logLevel: 'warning',
    banner: { js: "const __ontocatImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__ontocatImportMetaUrl' },
  });
}
