/**
 * Maps a request path (still percent-encoded, as it arrived) to a file path relative to
 * the renderer folder, or null when it must not be served.
 *
 * Decoding happens once, here, and anything that could climb out or alias a file is
 * refused rather than cleaned up: `..` and `.` segments (also as `%2e%2e`), backslashes
 * (also `%5c`), NUL and control characters, drive letters, and malformed escapes. The
 * folder root maps to `index.html`.
 */
export function staticRelpath(rawPathname: string): string | null {
  const pathname = rawPathname.split(/[?#]/, 1)[0] ?? '';
  if (!pathname.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (decoded.includes('\\') || /[\u0000-\u001f\u007f]/.test(decoded)) return null;
  const parts = decoded.split('/').slice(1);
  if (parts.slice(0, -1).some((part) => part === '')) return null;
  if (parts.some((part) => part === '.' || part === '..' || /^[A-Za-z]:/.test(part))) return null;
  const rel = parts.join('/');
  return rel === '' ? 'index.html' : rel;
}

/** Whether a missing path should get the app's index.html (a client-side route, not an asset). */
export function isClientRoute(relpath: string): boolean {
  const last = relpath.split('/').at(-1) ?? '';
  return !last.includes('.');
}

/** The page served when the renderer has not been built yet. */
export function missingRendererPage(rendererDir: string): string {
  const escaped = rendererDir.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ontocat: renderer not built</title></head>
<body>
<h1>The Ontocat user interface has not been built yet</h1>
<p>No built renderer was found at <code>${escaped}</code>.</p>
<p>Build it with <code>npm run build</code> (or <code>node scripts/build.mjs</code>) in the Ontocat folder, then reload this page.
The catalog API is already running.</p>
</body></html>
`;
}
