import { closeSync, createReadStream, fstatSync, openSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, HARDENING_HEADERS, contentTypeFor } from '../shared/content-security.js';
import { isClientRoute, missingRendererPage, staticRelpath } from '../shared/static-path.js';
import { sendFailure } from './api-requests.js';
import { sendExactly } from './send-exactly.js';

/** Resolves a static request to a file inside `dir` (and its path below it), or null; symlinks may not lead out. */
function resolveStaticFile(dir: string, rawPath: string): { file: string; rel: string } | null {
  const rel = staticRelpath(rawPath);
  if (rel === null) return null;
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    return null;
  }
  const candidates = [rel, ...(isClientRoute(rel) ? ['index.html'] : [])];
  for (const candidate of candidates) {
    const full = path.join(root, ...candidate.split('/'));
    try {
      const real = realpathSync(full);
      if (!real.startsWith(root + path.sep)) return null;
      if (statSync(real).isFile()) return { file: real, rel: path.relative(root, real) };
    } catch {
      // Not there: try the next candidate.
    }
  }
  return null;
}

/** Serves the built renderer (GET/HEAD), a help page when it is not built, 404 for anything else. */
export function serveStatic(req: IncomingMessage, res: ServerResponse, rendererDir: string, rawPath: string, extra: Readonly<Record<string, string>>): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendFailure(res, 'METHOD_NOT_ALLOWED', 'Only GET and HEAD are served here.', { ...extra, Allow: 'GET, HEAD' });
    return;
  }
  const headers = { ...HARDENING_HEADERS, ...extra, 'Content-Security-Policy': CONTENT_SECURITY_POLICY };
  let indexMissing: boolean;
  try {
    indexMissing = !statSync(path.join(rendererDir, 'index.html')).isFile();
  } catch {
    indexMissing = true;
  }
  const rel = staticRelpath(rawPath);
  if (indexMissing && rel !== null && (rel === 'index.html' || isClientRoute(rel))) {
    const page = missingRendererPage(rendererDir);
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : page);
    return;
  }
  const found = resolveStaticFile(rendererDir, rawPath);
  if (found === null) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found.\n');
    return;
  }
  const { file } = found;
  // The length is the open file's, so the header and the bytes sent describe one file.
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    // Gone since it was found.
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found.\n');
    return;
  }
  const size = fstatSync(fd).size;
  // Only the build's hashed assets/ folder is immutable; the folder Ontocat is installed
  // in may be named assets too, and index.html must never be kept past an upgrade.
  const immutable = found.rel.split(path.sep)[0] === 'assets';
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeFor(file),
    'Content-Length': size,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD' || size === 0) {
    closeSync(fd);
    res.end();
    return;
  }
  sendExactly(createReadStream('', { fd, start: 0, end: size - 1 }), size, res);
}
