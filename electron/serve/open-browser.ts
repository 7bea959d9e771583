import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Opens `url` in the user's browser; best effort, failures only reported. Returns a
 * function that removes what it left behind.
 *
 * The browser is given an owner-only page in a private temp folder that forwards to `url`,
 * not `url` itself: a command line is readable by every local user (ps, /proc/PID/cmdline),
 * and a browser that xdg-open starts keeps its arguments, the token with them, as long
 * as it runs (Jupyter opens its token URL the same way).
 */
export function openBrowser(url: string, onError: (message: string) => void): () => void {
  let dir: string | null = null;
  const cleanup = (): void => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
  };
  try {
    dir = mkdtempSync(path.join(tmpdir(), 'ontocat-open-'));
    const page = path.join(dir, 'open.html');
    const href = escapeHtml(url);
    writeFileSync(page, `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Opening Ontocat</title></head>\n<body><p><a href="${href}">Open Ontocat</a></p></body></html>\n`, { mode: 0o600 });
    const target = pathToFileURL(page).href;
    const [command, args] = process.platform === 'darwin'
      ? ['open', [target]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', target]]
        : ['xdg-open', [target]];
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', (error) => onError(`Could not open a browser (${error.message}); open the URL yourself.`));
    child.unref();
  } catch (error) {
    onError(`Could not open a browser (${(error as Error).message}); open the URL yourself.`);
  }
  return cleanup;
}
