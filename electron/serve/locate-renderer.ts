import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built renderer folder: `$ONTOCAT_RENDERER_DIR`, else `dist/renderer` of the
 * Ontocat package this module belongs to (found by walking up to its package.json, so it
 * works from the sources and from the `dist/` bundle alike).
 */
export function locateRendererDir(env: NodeJS.ProcessEnv = process.env, from: string = fileURLToPath(import.meta.url)): string {
  if (env.ONTOCAT_RENDERER_DIR) return path.resolve(env.ONTOCAT_RENDERER_DIR);
  let dir = path.dirname(from);
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'renderer');
    dir = path.dirname(dir);
  }
  return path.join(process.cwd(), 'dist', 'renderer');
}
