import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The storage root when none is given: `$ONTOCAT_ROOT`, else the platform's user data
 * folder (the same place Electron's `app.getPath('userData')` points at).
 */
export function defaultRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ONTOCAT_ROOT) return path.resolve(env.ONTOCAT_ROOT);
  const home = homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Ontocat');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Ontocat');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'ontocat');
}
