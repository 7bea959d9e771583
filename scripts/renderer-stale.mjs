// Whether dist/renderer is older than what it is built from: renderer/, the shared code it
// imports (electron/shared/), the Vite config and the lockfile. `ontocat serve` and
// `ontocat server` run from a source checkout rebuild it first (bin/ontocat.mjs), as the CLI
// bundles are, so a browser never gets a stale app. One listing of those folders (a few
// milliseconds), done only by the commands that serve the app.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const INPUT_FOLDERS = ['renderer', 'electron/shared'];
const INPUT_FILES = ['vite.config.ts', 'package-lock.json', 'scripts/build-renderer.mjs'];

/** The latest mtime of the files under `dir` (0 when it is missing). */
function newestUnder(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.endsWith('~')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** True when dist/renderer is missing or older than any of its inputs. */
export function rendererStale(root) {
  const built = statSync(path.join(root, 'dist', 'renderer', 'index.html'), { throwIfNoEntry: false });
  if (!built) return true;
  let newest = 0;
  for (const folder of INPUT_FOLDERS) newest = Math.max(newest, newestUnder(path.join(root, ...folder.split('/'))));
  for (const file of INPUT_FILES) newest = Math.max(newest, statSync(path.join(root, ...file.split('/')), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest > built.mtimeMs;
}
