// Builds the React renderer with Vite into dist/renderer/ (index.html + assets/). Asset
// paths are relative (`base: './'`) so app:// in Electron and the web host both serve it.
import { build } from 'vite';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await build({
  configFile: path.join(root, 'vite.config.ts'),
  logLevel: 'warn',
});
console.log('Built the renderer into dist/renderer/.');
