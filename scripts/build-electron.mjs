// Builds the Electron main and preload bundles into dist/ (imported by scripts/build.mjs).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMain, buildPreload, channelNamesFromContract } from './electron-bundles.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
rmSync(path.join(root, 'dist', 'main'), { recursive: true, force: true });
rmSync(path.join(root, 'dist', 'preload'), { recursive: true, force: true });
const channels = await channelNamesFromContract(root);
await buildPreload(root, path.join(root, 'dist/preload/preload.cjs'), channels);
await buildMain(root, path.join(root, 'dist/main/main.cjs'));
