// An independent record of what a root holds: every file's SHA-256, by path, walked with
// plain fs calls and node:crypto (none of Ontocat's own scan or hashing code).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Top-level names that are not user data: the catalog itself, scratch space, backups, plan bodies, the lock. */
const skippedTop = new Set(['.ontocat.lock', '.tmp', '.backups', '.ontocat-plans']);

/**
 * relpath → sha256 of every user file under the root: the live tree, the content store and
 * the files inside each trash entry (`.trash/<plan>/files/…`). A trash entry's own manifest
 * and saved rows are Ontocat's bookkeeping, which restore rightly deletes.
 */
export function hashWalk(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && (skippedTop.has(entry.name) || entry.name.startsWith('catalog.duckdb'))) continue;
      if (entry.name.endsWith('.ontocat-tmp')) continue;
      const abs = path.join(dir, entry.name);
      if (/^\.trash\/[^/]+\/(?!files$)[^/]+$/.test(childRel)) continue;
      if (entry.isDirectory()) walk(abs, childRel);
      else if (entry.isFile()) out.set(childRel, createHash('sha256').update(readFileSync(abs)).digest('hex'));
    }
  };
  walk(root, '');
  return out;
}

/**
 * Files of `before` whose bytes are nowhere they may legitimately be now: at their own
 * path, or under some plan's trash (`.trash/<plan>/files/<relpath>`) with the same hash.
 * Housekeeping moves files between those two places and nowhere else.
 */
export function lostFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const trashed = new Map<string, Set<string>>();
  for (const [rel, hash] of after) {
    const match = /^\.trash\/[^/]+\/files\/(.+)$/.exec(rel);
    if (!match) continue;
    const set = trashed.get(match[1]!) ?? new Set<string>();
    set.add(hash);
    trashed.set(match[1]!, set);
  }
  const lost: string[] = [];
  for (const [rel, hash] of before) {
    const original = /^\.trash\/[^/]+\/files\/(.+)$/.exec(rel)?.[1] ?? rel;
    if (after.get(rel) === hash || after.get(original) === hash || trashed.get(original)?.has(hash)) continue;
    lost.push(rel);
  }
  return lost;
}
