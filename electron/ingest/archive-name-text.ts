import { OntocatError } from '../shared/errors.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text to quote in an error: ASCII as is, every other byte as \xNN. */
export function shownBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

/** The bytes as UTF-8 text, or null when they are not strictly valid UTF-8. */
export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * An archive entry's name as text. A name that is not UTF-8 (a Latin-1 `caf\xe9.txt` from
 * an old tar or zip) is refused, named by its bytes: decoded leniently it would be recorded
 * as `caf\ufffd.txt`, another name, and two such names would collide.
 */
export function utf8EntryName(bytes: Uint8Array): string {
  const text = strictUtf8(bytes);
  if (text !== null) return text;
  throw new OntocatError('BAD_INPUT', `The archive has an entry whose name is not UTF-8 text: '${shownBytes(bytes)}'. Ontocat records paths as UTF-8; repack the archive with UTF-8 names (for example after convmv -f latin1 -t utf8).`);
}
