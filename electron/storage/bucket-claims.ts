import type { BucketConfig } from './bucket-config.js';

/**
 * Content objects that running ingests of this process are about to reference, by bucket
 * and SHA-256, with how many uploaders claim each. An ingest uploads (or finds already in
 * the bucket) its objects while it stages and commits the rows that reference them only
 * afterwards: until then no catalog row shows that they are needed, so a failed ingest's
 * clean-up and bucket GC both ask here before they remove an object. The owner process
 * runs every ingest of a root (other processes are its clients), so this process's claims
 * are all there are.
 */
const claims = new Map<string, number>();

/**
 * How many times bucket GC moved objects out of a content area in this process: an
 * uploader's listing of a key folder made before a move may show an object that is gone.
 */
let moves = 0;

function keyOf(config: BucketConfig, sha256: string): string {
  return `${config.endpoint ?? ''}\n${config.bucket}\n${config.prefix}\n${sha256}`;
}

/** One more uploader is about to reference this content. */
export function claimContent(config: BucketConfig, sha256: string): void {
  const key = keyOf(config, sha256);
  claims.set(key, (claims.get(key) ?? 0) + 1);
}

/** One uploader let go of this content (its ingest committed or failed). */
export function releaseContent(config: BucketConfig, sha256: string): void {
  const key = keyOf(config, sha256);
  const count = (claims.get(key) ?? 1) - 1;
  if (count > 0) claims.set(key, count);
  else claims.delete(key);
}

/** How many running uploaders claim this content. */
export function contentClaims(config: BucketConfig, sha256: string): number {
  return claims.get(keyOf(config, sha256)) ?? 0;
}

/** Bucket GC moved objects away: listings made before now may be stale. */
export function noteObjectsMoved(): void {
  moves += 1;
}

/** A number that changes whenever bucket GC moved objects away (compare before and after a listing). */
export function objectMoves(): number {
  return moves;
}
