import { lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { deviceProbe, findBlockedComponent } from '../storage/safe-path.js';
import type { SqlConnection } from './sql.js';
import type { WriteTx } from './open-catalog.js';

/**
 * Device and inode of the folders Ontocat acts in, as the catalog recorded them
 * (`folder_identity`, migration 0012), and the check each destructive apply runs against
 * them right before it acts.
 *
 * A path check (safe-path.ts) sees a symlink or a mount point on the way; it cannot see a
 * version folder swapped for another real folder with the same name (`mv` of a curator's
 * folder into place, a restore from elsewhere). Comparing the device and inode the catalog
 * recorded when it wrote the folder closes that: a prune, a doctor fix or a trash restore
 * never acts on a folder that is not the one the catalog knows.
 */

export type FolderRole = 'root' | 'version_data' | 'trash';

/** A folder's device and inode, as the exact integers Node reports, in text. */
export interface FolderIdentity {
  readonly dev: string;
  readonly ino: string;
}

/** What is at a folder's path now. */
export type FolderState =
  | { readonly state: 'absent' }
  | { readonly state: 'blocked'; readonly reason: 'symlink' | 'mount'; readonly at: string }
  | { readonly state: 'not_folder' }
  | ({ readonly state: 'folder' } & FolderIdentity);

/** `<service>/<version>/data`: the folder whose identity a version records. */
export function versionDataFolder(service: string, version: string): string {
  return `${service}/${version}/data`;
}

/** `"dev:ino"`, the way messages and plans show an identity. */
export function identityText(identity: FolderIdentity): string {
  return `device ${identity.dev}, inode ${identity.ino}`;
}

/**
 * What is at `relpath` (relative to the root; '' is the root itself) now, without following
 * any link: a link or mount point on the way is reported as such, not looked through.
 */
export function folderState(root: string, relpath: string): FolderState {
  if (relpath === '') {
    // The root itself may be a link (macOS /tmp): its identity is its target's.
    const stat = statSync(path.resolve(root), { throwIfNoEntry: false });
    if (!stat) return { state: 'absent' };
    return stat.isDirectory() ? { state: 'folder', dev: String(stat.dev), ino: String(stat.ino) } : { state: 'not_folder' };
  }
  const block = findBlockedComponent(root, relpath);
  if (block) return { state: 'blocked', reason: block.reason, at: block.relpath };
  const stat = deviceProbe.lstat(path.resolve(root, ...relpath.split('/')));
  if (!stat) return { state: 'absent' };
  if (!stat.isDirectory()) return { state: 'not_folder' };
  return { state: 'folder', dev: String(stat.dev), ino: String(stat.ino) };
}

/** The recorded identity of each of `relpaths` that has one. */
export async function recordedFolders(conn: SqlConnection, relpaths: readonly string[]): Promise<Map<string, FolderIdentity & { role: FolderRole }>> {
  if (relpaths.length === 0) return new Map();
  const rows = await conn.all<{ relpath: string; dev: string; ino: string; role: FolderRole }>(
    `SELECT relpath, dev, ino, role FROM folder_identity WHERE relpath IN (SELECT unnest(string_split($1, chr(0))))`, [relpaths.join('\0')],
  );
  return new Map(rows.map((row) => [row.relpath, { dev: row.dev, ino: row.ino, role: row.role }]));
}

/**
 * Records the identity of the folder at `relpath` as it is now (a folder that is absent,
 * behind a link or not a folder loses its record: there is nothing the catalog can vouch for).
 */
export async function recordFolder(
  tx: WriteTx, relpath: string, role: FolderRole, owner: { version_id?: string | null; plan_id?: string | null }, by: string,
): Promise<FolderState> {
  const now = folderState(tx.root, relpath);
  if (now.state !== 'folder') {
    await tx.run('DELETE FROM folder_identity WHERE relpath = $1', [relpath]);
    return now;
  }
  await tx.run(
    `INSERT OR REPLACE INTO folder_identity VALUES ($1, $2, $3::UUID, $4, $5, $6, now()::TIMESTAMP, $7)`,
    [relpath, role, owner.version_id ?? null, owner.plan_id ?? null, now.dev, now.ino, by],
  );
  return now;
}

/** Forgets the records of these folders (a pruned version, an emptied trash entry). */
export async function forgetFolders(tx: WriteTx, relpaths: readonly string[]): Promise<void> {
  if (relpaths.length === 0) return;
  await tx.run('DELETE FROM folder_identity WHERE relpath IN (SELECT unnest(string_split($1, chr(0))))', [relpaths.join('\0')]);
}

/**
 * Why the folder at `relpath` is not the one `expected` names, or null when it is (or is
 * absent: nothing can be acted on through a folder that is not there).
 */
export function folderMismatch(root: string, relpath: string, expected: FolderIdentity, rootDev: string | null): string | null {
  const now = folderState(root, relpath);
  switch (now.state) {
    case 'absent':
      return null;
    case 'blocked':
      return now.at === relpath
        ? `is now ${now.reason === 'symlink' ? 'a symbolic link' : 'a mount point (another file system)'}, not the folder the catalog recorded`
        : `lies behind ${now.at}, which is now ${now.reason === 'symlink' ? 'a symbolic link' : 'a mount point (another file system)'}`;
    case 'not_folder':
      return 'is no longer a folder';
    case 'folder':
      if (now.dev !== expected.dev) {
        const mount = rootDev !== null && now.dev !== rootDev ? ' (a mount point: another file system than the root)' : '';
        return `is on another device than the catalog recorded${mount} (recorded ${identityText(expected)}, now ${identityText(now)})`;
      }
      if (now.ino !== expected.ino) {
        return `is not the folder the catalog recorded: it was replaced by another folder (recorded ${identityText(expected)}, now ${identityText(now)})`;
      }
      return null;
  }
}

/** The root's recorded device, if the catalog has recorded one. */
export async function recordedRootDev(conn: SqlConnection): Promise<string | null> {
  return (await conn.scalar<string>(`SELECT dev FROM folder_identity WHERE relpath = ''`)) ?? null;
}

/**
 * Checks each recorded folder among `relpaths` against the disk; `expected` overrides the
 * catalog's record for a folder (a doctor plan that re-records it carries what it saw).
 * Returns one problem per folder that no longer is what was recorded.
 */
export async function folderProblems(
  conn: SqlConnection, root: string, relpaths: Iterable<string>, expected: ReadonlyMap<string, FolderIdentity> = new Map(),
): Promise<{ item: string; why: string }[]> {
  const wanted = [...new Set(relpaths)];
  const recorded = await recordedFolders(conn, wanted);
  const rootDev = await recordedRootDev(conn);
  const problems: { item: string; why: string }[] = [];
  for (const relpath of wanted) {
    const identity = expected.get(relpath) ?? recorded.get(relpath);
    if (!identity) continue;
    const why = folderMismatch(root, relpath, identity, rootDev);
    if (why) problems.push({ item: relpath, why: `${why}; nothing is done in it until doctor has reviewed it` });
  }
  return problems;
}

/**
 * What the folder at `relpath` holds, without following links or crossing into another
 * device: the files, links and other things anywhere inside (empty folders are not counted;
 * a folder on another device is one thing, never looked into), and the first of them.
 */
export function folderHoldings(root: string, relpath: string): { count: number; first: string | null } {
  const top = path.resolve(root, ...relpath.split('/'));
  const dev = lstatSync(top).dev;
  let count = 0;
  let first: string | null = null;
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(dir, entry.name);
      const entryRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory() && lstatSync(abs).dev === dev) {
        walk(abs, entryRel);
        continue;
      }
      count += 1;
      first ??= entryRel;
    }
  };
  walk(top, '');
  return { count, first };
}

/** The version data folder (`S/V/data`) a root path lies in (the folder itself excluded), or null. */
export function dataFolderOf(relpath: string): string | null {
  const parts = relpath.split('/');
  if (parts.length < 4 || parts[2] !== 'data' || parts[0]!.startsWith('.')) return null;
  return `${parts[0]}/${parts[1]}/data`;
}

/**
 * Records the storage root's device and inode when the catalog opens for writing: the first
 * time, and again (with a warning event) when the root now lives elsewhere (copied or moved
 * to another disk), which makes every version folder's record stale until doctor re-records it.
 */
export async function recordRootIdentity(tx: WriteTx): Promise<void> {
  const now = folderState(tx.root, '');
  if (now.state !== 'folder') return;
  const before = await tx.one<{ dev: string; ino: string }>(`SELECT dev, ino FROM folder_identity WHERE relpath = ''`);
  if (before && before.dev === now.dev && before.ino === now.ino) return;
  await recordFolder(tx, '', 'root', {}, before ? 'open' : 'init');
  if (before) {
    await tx.event('root.identity_changed', { before: identityText(before), now: identityText(now) }, 'warn');
  }
}
