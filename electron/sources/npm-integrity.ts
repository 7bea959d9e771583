/**
 * The check that an npm tarball is the one the registry published: its bytes against the
 * metadata's `dist.integrity` (Subresource Integrity, `sha512-<base64>`) or, for old
 * packages, `dist.shasum` (SHA-1 hex). Without it, a mirror or CDN serving other bytes
 * at the tarball URL became a version named after the registry's version.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { OntocatError } from '../shared/errors.js';

/** What a registry states about a release's tarball. */
export interface PublishedIntegrity {
  /** SRI: one or more `alg-base64` tokens, space separated. */
  readonly sri: string | null;
  /** SHA-1 of the tarball, hex. */
  readonly shasum: string | null;
  /** `package@version`, for messages. */
  readonly label: string;
}

/** SRI algorithms Node hashes, strongest first (the SRI rule: only the strongest present counts). */
const SRI_ALGORITHMS = ['sha512', 'sha384', 'sha256', 'sha1'] as const;

/** The algorithm and the digests (base64) a check compares with, or null when nothing usable is stated. */
function expectedDigests(stated: PublishedIntegrity): { algorithm: string; encoding: 'base64' | 'hex'; digests: string[]; text: string } | null {
  const tokens = (stated.sri ?? '').split(/\s+/).filter(Boolean).map((token) => {
    const match = /^([a-z0-9]+)-([A-Za-z0-9+/=]+)(?:\?.*)?$/.exec(token);
    return match ? { algorithm: match[1]!, digest: match[2]! } : null;
  }).filter((token) => token !== null);
  for (const algorithm of SRI_ALGORITHMS) {
    const digests = tokens.filter((token) => token.algorithm === algorithm).map((token) => token.digest);
    if (digests.length > 0) return { algorithm, encoding: 'base64', digests, text: stated.sri! };
  }
  if (stated.shasum && /^[0-9a-f]{40}$/i.test(stated.shasum)) {
    return { algorithm: 'sha1', encoding: 'hex', digests: [stated.shasum.toLowerCase()], text: `shasum ${stated.shasum}` };
  }
  return null;
}

/** Refuses (FETCH_FAILED) a downloaded tarball whose bytes are not the ones the registry states. */
export async function checkPublishedIntegrity(file: string, url: string, stated: PublishedIntegrity): Promise<void> {
  const expected = expectedDigests(stated);
  if (!expected) return;
  const hash = createHash(expected.algorithm);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const actual = hash.digest(expected.encoding);
  if (expected.digests.includes(actual)) return;
  throw new OntocatError('FETCH_FAILED', `${url} is not the tarball the registry published for ${stated.label}: its ${expected.algorithm} is `
    + `${expected.encoding === 'base64' ? `${expected.algorithm}-${actual}` : actual}, the registry states ${expected.text}. Nothing was recorded.`);
}
