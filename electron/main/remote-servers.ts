/**
 * The team servers the desktop app signs in to: the address a user typed, made into the
 * server's origin, and the last few remembered between runs (userData/remote-servers.json).
 */
import { readFileSync } from 'node:fs';
import { writeAppFile } from '../handlers/app-files.js';
import { OntocatError } from '../shared/errors.js';

export const REMOTE_SERVERS_FILE = 'remote-servers.json';
const KEEP = 8;

/**
 * The origin of a team server from what a user typed: `https://` is assumed without a
 * scheme; only http(s), no user name or password in the address (the sign-in form asks),
 * and the path is dropped (the API lives at the server's root).
 */
export function normaliseServerUrl(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new OntocatError('BAD_INPUT', "Enter the team server's address, such as https://ontocat.example.org.");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new OntocatError('BAD_INPUT', `'${trimmed}' is not a server address; give one such as https://ontocat.example.org.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OntocatError('BAD_INPUT', `A team server is reached over https:// (or http:// on a trusted network), not ${url.protocol}//.`);
  if (url.username || url.password) throw new OntocatError('BAD_INPUT', 'Leave the user name and password out of the address; the sign-in form asks for them.');
  if (url.hostname === '') throw new OntocatError('BAD_INPUT', `'${trimmed}' names no host.`);
  return url.origin;
}

/** The remembered servers, most recent first (none when the file is missing or unreadable). */
export function loadRecentServers(file: string): string[] {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { servers?: unknown };
    if (!Array.isArray(raw.servers)) return [];
    const out: string[] = [];
    for (const item of raw.servers) {
      if (typeof item !== 'string') continue;
      try {
        const origin = normaliseServerUrl(item);
        if (!out.includes(origin)) out.push(origin);
      } catch {
        // A hand-edited entry that is not an address is skipped.
      }
    }
    return out.slice(0, KEEP);
  } catch {
    return [];
  }
}

/** Puts `url` first in the remembered servers (atomic write; the file never holds credentials). */
export function rememberServer(file: string, url: string): readonly string[] {
  const servers = [url, ...loadRecentServers(file).filter((item) => item !== url)].slice(0, KEEP);
  writeAppFile(file, `${JSON.stringify({ servers }, null, 2)}\n`);
  return servers;
}
