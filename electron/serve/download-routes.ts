import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HARDENING_HEADERS } from '../shared/content-security.js';
import { HTTP_DOWNLOAD_EXPORT, HTTP_DOWNLOAD_FILE } from '../shared/download-paths.js';
import { isOntocatError } from '../shared/errors.js';
import { sendFailure } from './api-requests.js';
import { sendExactly } from './send-exactly.js';

/** Where downloads come from: a session's stored files and table exports. */
export interface DownloadSource {
  /** A catalogued file's bytes; BAD_INPUT / NOT_FOUND / UNSAFE_PATH as OntocatErrors. */
  file(ref: string | null, relpath: string | null): Promise<{ path: string; name: string; size: number }>;
  /** A table exported to a temp file, removed by `cleanup` once sent; `rows` goes in the ROWS_HEADER. */
  exportTable(table: string | null, format: string | null, input: unknown): Promise<{ path: string; name: string; rows?: number; cleanup: () => void }>;
}

/** How many rows an export holds (the desktop app on a remote catalog says so after saving). */
export const ROWS_HEADER = 'x-ontocat-rows';

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266 / 5987). */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // RFC 5987's attr-char has no ' ( ) *, which encodeURIComponent leaves as they are; a bare
  // ' ends the charset or language part, so Chromium drops the whole filename* and saves
  // "d'été" under the fallback "d'_t_".
  const extValue = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${extValue}`;
}

const contentTypes: Readonly<Record<string, string>> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };

async function send(req: IncomingMessage, res: ServerResponse, file: { path: string; name: string; rows?: number }, extra: Readonly<Record<string, string>>, done?: () => void): Promise<void> {
  // The length is the open file's, so the header and the bytes sent describe one file
  // (RFC 9110 §8.6: an origin SHOULD send Content-Length when it knows it); a browser then
  // shows the download's size and progress, and a client can tell a cut answer.
  let handle: Awaited<ReturnType<typeof open>>;
  let size: number;
  try {
    handle = await open(file.path, 'r');
    size = (await handle.stat()).size;
  } catch (error) {
    done?.();
    throw error;
  }
  const ext = file.name.split('.').pop() ?? '';
  res.writeHead(200, {
    ...HARDENING_HEADERS,
    ...extra,
    ...(file.rows !== undefined ? { [ROWS_HEADER]: String(file.rows) } : {}),
    // Never rendered in the app's origin: a stored HTML or SVG file must not run as a page.
    'Content-Type': contentTypes[ext] ?? 'application/octet-stream',
    'Content-Length': size,
    'Content-Disposition': attachmentHeader(file.name),
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    await handle.close();
    done?.();
    return;
  }
  sendExactly(handle.createReadStream({ start: 0, end: size - 1 }), size, res, done);
}

/**
 * Answers `GET /api/download/file` and `GET /api/download/export` (behind the same Host,
 * Origin and token checks as every API call), streaming the file as an attachment.
 * Returns false for any other path.
 */
export async function handleDownload(
  req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams, source: DownloadSource, extra: Readonly<Record<string, string>>,
): Promise<boolean> {
  if (pathname !== HTTP_DOWNLOAD_FILE && pathname !== HTTP_DOWNLOAD_EXPORT) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendFailure(res, 'METHOD_NOT_ALLOWED', 'Downloads are read with GET.', { ...extra, Allow: 'GET, HEAD' });
    return true;
  }
  try {
    if (pathname === HTTP_DOWNLOAD_FILE) {
      await send(req, res, await source.file(query.get('ref'), query.get('relpath')), extra);
    } else {
      let input: unknown = {};
      const raw = query.get('input');
      if (raw) {
        try { input = JSON.parse(raw); } catch {
          sendFailure(res, 'BAD_INPUT', 'The export input is not valid JSON.', extra);
          return true;
        }
      }
      const exported = await source.exportTable(query.get('table'), query.get('format'), input);
      await send(req, res, exported, extra, exported.cleanup);
    }
  } catch (error) {
    if (!isOntocatError(error)) throw error;
    sendFailure(res, error.code, error.message, extra);
  }
  return true;
}
