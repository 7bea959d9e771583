import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from '../storage/file-hash.js';
import { moveRelpath } from '../storage/fs-ops.js';
import { trashFileRelpath, writeTrashManifest } from '../storage/trash-store.js';

/**
 * Keeps the bytes a replacing download took the place of, in a trash entry of their own.
 *
 * `fetch … --replace` (and an ingest that replaces a URL's artifact) deleted the version's
 * previous download once the new one was recorded: the one write that kept no copy. The
 * old file now goes to `.trash/replace-<time>-<hex>/` as any trashed file does (`trash list`
 * shows it, `trash empty` deletes it); bytes equal to the new download (a 304 that reused
 * the same file) are simply dropped. Answers the trash entry's id, or null.
 */
export async function keepReplacedArtifact(root: string, relpath: string, aside: string, newSha256: string): Promise<string | null> {
  const old = await stat(aside);
  const now = await stat(path.join(path.resolve(root), ...relpath.split('/'))).catch(() => null);
  if ((now !== null && now.ino === old.ino && now.dev === old.dev) || (await sha256File(aside)) === newSha256) {
    await rm(aside, { force: true });
    return null;
  }
  const createdAt = new Date().toISOString();
  const planId = `replace-${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(6).toString('hex')}`;
  // The manifest first: a kill before the move leaves an entry naming a file it lacks,
  // which a restore refuses, never bytes no entry accounts for.
  writeTrashManifest(root, { plan_id: planId, kind: 'replace', created_at: createdAt, status: 'trashed', files: [{ relpath, bytes: old.size }], bytes: old.size, rows: {} });
  moveRelpath(root, path.relative(path.resolve(root), aside).split(path.sep).join('/'), trashFileRelpath(planId, relpath));
  return planId;
}
