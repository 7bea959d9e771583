// Builds the React renderer with Vite into dist/renderer/ (index.html + assets/). Asset
// paths are relative (`base: './'`) so app:// in Electron and the web host both serve it.
import { build } from 'vite';
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// Users get React's production build, whatever NODE_ENV the caller has: under a test runner
// (NODE_ENV=test) Vite would otherwise bundle the development build, whose StrictMode runs
// every effect twice, and the browser suites would test a different app.
process.env.NODE_ENV = 'production';

// Built beside dist/renderer and swapped in by two renames: a web host or a browser suite
// serving dist/renderer meanwhile (the test runs build while others serve) never reads a
// half-emptied folder.
const outDir = path.join(root, 'dist', 'renderer');
const fresh = `${outDir}.building-${process.pid}`;
const old = `${outDir}.old-${process.pid}`;
await build({
  configFile: path.join(root, 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir: fresh, emptyOutDir: true },
});
if (existsSync(outDir)) renameSync(outDir, old);
renameSync(fresh, outDir);
rmSync(old, { recursive: true, force: true });
console.log('Built the renderer into dist/renderer/.');
