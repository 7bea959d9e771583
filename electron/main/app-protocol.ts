import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, HARDENING_HEADERS, contentTypeFor } from '../shared/content-security.js';
import { APP_HOST, APP_SCHEME } from '../shared/ipc-names.js';
import { isClientRoute, missingRendererPage, staticRelpath } from '../shared/static-path.js';

/** What the app:// handler answers; main turns it into a `Response`. */
export interface AppResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
}

const headersFor = (contentType: string): Record<string, string> => ({
  ...HARDENING_HEADERS,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Content-Type': contentType,
  'Cache-Control': 'no-cache',
});

const notFound = (): AppResponse => ({ status: 404, headers: headersFor('text/plain; charset=utf-8'), body: 'Not found.\n' });

async function fileInside(root: string, rel: string): Promise<string | null> {
  try {
    const real = await realpath(path.join(root, ...rel.split('/')));
    if (!real.startsWith(root + path.sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * Answers one `app://ontocat/…` request from the built renderer folder.
 *
 * Only the app's own host is served; the path goes through `staticRelpath` (no `..`,
 * encoded or not, no backslashes) and, after resolving symlinks, must still be inside
 * the folder. Client-side routes get index.html; every answer carries the CSP. When the
 * renderer has not been built, a page says how to build it.
 */
export async function resolveAppRequest(rendererDir: string, requestUrl: string): Promise<AppResponse> {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?/i.exec(requestUrl);
  if (!match || match[1]!.toLowerCase() !== APP_SCHEME || match[2]!.toLowerCase() !== APP_HOST) return notFound();
  const rel = staticRelpath(match[3] ?? '/');
  if (rel === null) return notFound();
  let root: string;
  try {
    root = await realpath(rendererDir);
  } catch {
    root = '';
  }
  const index = root ? await fileInside(root, 'index.html') : null;
  if (!index) {
    return rel === 'index.html' || isClientRoute(rel)
      ? { status: 200, headers: headersFor('text/html; charset=utf-8'), body: missingRendererPage(rendererDir) }
      : notFound();
  }
  const file = (await fileInside(root, rel)) ?? (isClientRoute(rel) ? index : null);
  if (!file) return notFound();
  return { status: 200, headers: headersFor(contentTypeFor(file)), body: await readFile(file) };
}
