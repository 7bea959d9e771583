import { constants } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { versionFilesForCheckout } from '../catalog/bucket-queries.js';
import { listArtifacts } from '../catalog/file-queries.js';
import type { Catalog } from '../catalog/open-catalog.js';
import { requireVersionId } from '../catalog/version-queries.js';
import type { CheckoutResult } from '../shared/contract/bucket.js';
import { OntocatError } from '../shared/errors.js';
import type { WorkControl } from '../shared/progress.js';
import type { VersionRef } from '../shared/version-ref.js';
import { fsyncDir, TEMP_NAME, tempPathFor } from '../storage/atomic-write.js';
import { crashPoint } from '../storage/crash-point.js';
import { bucketOf } from '../storage/bucket-config.js';
import { BucketStore, mapBounded } from '../storage/bucket-store.js';
import { casLocate, casPathOf } from '../storage/content-store.js';
import { trySha256File } from '../storage/file-hash.js';
import { compareWithRecord } from '../storage/recorded-bytes.js';
import { canPinFolders, pinFolderInside, type PinnedFolder } from '../storage/pinned-folder.js';
import { normaliseRelpath, relationToRoot } from '../storage/safe-path.js';
import { assertPathAllowed } from './ingest-confinement.js';

/** Downloads at once when the local cache lacks objects. */
const DOWNLOAD_PARALLEL = 8;

export interface CheckoutOptions extends WorkControl {
  /** Copy bytes instead of hard-linking them (files that will be edited). */
  readonly copy?: boolean;
}

/**
 * Materialises one version into a folder: every file hard-linked from the local cache
 * (the root's content store) where it holds the object, downloaded from the bucket into
 * the cache first where it does not. Each file appears atomically (temp name, then
 * rename), so a reader or an interrupted checkout never sees a half-written file; files
 * already there with the right content are left alone (or, for `--copy`, a link to the
 * cache is swapped for a copy of the same bytes), others in the folder are not touched.
 * A checkout never overwrites different bytes: when a path of the version is taken in
 * the folder by other content (an edited `--copy` checkout, a file of the user's) or by
 * something that is not a file, it is refused before anything is written, and a file
 * that appears under a path while the checkout runs is not replaced either.
 * Linked files share their bytes with the cache: edit a `--copy` checkout.
 */
export async function checkoutVersion(catalog: Catalog, ref: VersionRef, dir: string, options: CheckoutOptions = {}): Promise<CheckoutResult> {
  await assertPathAllowed(dir, 'check out into');
  const target = path.resolve(dir);
  const relation = relationToRoot(catalog.root, target);
  if (relation !== 'apart') throw new OntocatError('BAD_INPUT', `Refused ${target}: it ${relation === 'inside' ? 'is inside' : 'contains'} the storage root; check out into a folder outside it.`);
  const files = await catalog.read(async (conn) => versionFilesForCheckout(conn, await requireVersionId(conn, ref)));
  // Nothing to check out but downloads kept as they came: said, not a silent "0 files".
  const downloadsOnly = files.length > 0 ? [] : (await catalog.read((conn) => listArtifacts(conn, ref)))
    .flatMap((artifact) => (artifact.fs_relpath ? [artifact.fs_relpath] : []));
  for (const file of files) normaliseRelpath(file.relpath);
  const total = files.reduce((sum, file) => sum + file.size_bytes, 0);
  const config = bucketOf(catalog.root);
  const store = config ? new BucketStore(config) : null;
  let done = 0;
  let bytes = 0;
  let linked = 0;
  let copied = 0;
  let downloaded = 0;
  let downloadedBytes = 0;
  let unchanged = 0;
  const missing: string[] = [];
  const damaged: { relpath: string; why: string }[] = [];
  options.onProgress?.({ done: 0, total: files.length, bytes: 0, current: null, phase: 'checkout' });
  const there = await stat(target).catch(() => null);
  if (there && !there.isDirectory()) throw new OntocatError('BAD_INPUT', `Refused to check out ${ref.service}/${ref.version} into ${target}: it is a file, not a folder, and a checkout never overwrites it. Name a folder. Nothing was written.`);
  const { taken, outside } = await takenPaths(catalog.root, target, files, options.signal);
  if (outside.length > 0) {
    const first = outside[0]!;
    throw new OntocatError('UNSAFE_PATH', `Refused to check out ${ref.service}/${ref.version} into ${target}: ${outside.length === 1 ? 'its folder' : `${outside.length} of its folders, first`} ` +
      `${first.relpath} is a link to ${first.real}, outside ${target}, and a checkout writes only inside the folder it is given. Remove the link, or check out into another folder. Nothing was written.`,
    { items: outside.map((item) => item.relpath) });
  }
  if (taken.length > 0) {
    throw new OntocatError('CONFLICT', `Refused to check out ${ref.service}/${ref.version} into ${target}: ${taken.length === 1 ? '1 path holds' : `${taken.length} paths hold`} ` +
      `other content than the version's (first: ${taken[0]}), and a checkout never overwrites it. Move ${taken.length === 1 ? 'it' : 'them'} away, or check out into another folder. Nothing was written.`,
    { items: taken });
  }
  await mkdir(target, { recursive: true });
  const realTarget = await realpath(target);
  await removeOwnTemps(target, files);
  try {
    await mapBounded(files, store ? DOWNLOAD_PARALLEL : 4, async (file) => {
      let cached = await casLocate(catalog.root, file.sha256);
      let fetched = false;
      if (!cached && store) {
        await store.download(file.sha256, casPathOf(catalog.root, file.sha256), (n) => { downloadedBytes += n; }, options.signal);
        downloaded += 1;
        fetched = true;
        cached = await casLocate(catalog.root, file.sha256);
      }
      if (!cached) { missing.push(file.relpath); return; }
      const source = path.join(catalog.root, ...cached.split('/'));
      const dest = path.join(target, ...file.relpath.split('/'));
      const [have, want] = await Promise.all([lstat(dest).catch(() => null), lstat(source)]);
      // The cache's copy is a hard link of every version file of that content, so an edit of
      // one of them (dd conv=notrunc) changes it: such bytes are never handed out as the version's.
      if (!fetched) {
        const agreement = await compareWithRecord(source, want, file);
        if (agreement.state === 'resized') { damaged.push({ relpath: file.relpath, why: `its stored copy holds ${agreement.size} bytes, not the ${file.size_bytes} recorded` }); return; }
        if (agreement.state === 'rewritten') {
          const found = agreement.sha256 === null ? 'bytes that could not be read back' : `other bytes (sha256 ${agreement.sha256.slice(0, 12)}…, recorded ${file.sha256.slice(0, 12)}…)`;
          damaged.push({ relpath: file.relpath, why: `its stored copy has the recorded size but ${found}` });
          return;
        }
      }
      if (have && have.isFile() && !options.copy && have.ino === want.ino && have.dev === want.dev) {
        unchanged += 1;
      } else {
        // The folders were checked before anything was written, but a folder swapped for a
        // link since (out/sub -> /elsewhere) would lead the writes out of the target: each
        // file is written through its folder held open and checked where it really is.
        const folder = await writableFolder(target, realTarget, file.relpath);
        const name = path.basename(dest);
        const at = (entry: string): string => (folder ? folder.at(entry) : path.join(path.dirname(dest), entry));
        const temp = at(path.basename(tempPathFor(dest)));
        try {
          let how: 'linked' | 'copied' = 'copied';
          if (!options.copy) {
            try {
              await link(source, temp);
              how = 'linked';
            } catch (error) {
              const code = (error as NodeJS.ErrnoException).code;
              if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
            }
          }
          if (how === 'copied') await copyFile(source, temp, constants.COPYFILE_EXCL);
          crashPoint('checkout.before-publish');
          // copyFile keeps the store's read-only mode; a --copy checkout is for editing, so
          // its files get the mode of any file Ontocat writes (a fallback copy of a linked
          // checkout stays read-only, like the links it stands in for).
          if (options.copy) await chmod(temp, 0o644);
          // Same bytes already there are replaced by a rename; an empty place is filled by a
          // link, which fails rather than replace a file that appeared since the check.
          if (!folder) await assertStillInside(realTarget, file.relpath, temp);
          if (have) await rename(temp, at(name));
          else await publishNew(temp, at(name), file.relpath);
          if (how === 'linked') linked += 1; else copied += 1;
        } catch (error) {
          await unlink(temp).catch(() => undefined);
          throw error;
        } finally {
          await folder?.close();
        }
      }
      done += 1;
      bytes += file.size_bytes;
      options.onProgress?.({ done, total: files.length, bytes, current: file.relpath, phase: 'checkout' });
    }, options.signal);
  } finally {
    store?.close();
  }
  fsyncDir(target);
  if (damaged.length > 0) {
    damaged.sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0));
    throw new OntocatError('IO_ERROR', `${damaged.length} of ${files.length} files of ${ref.service}/${ref.version} were changed on disk since they were stored, so they were not checked out ` +
      `(first: ${damaged[0]!.relpath}: ${damaged[0]!.why})${missing.length > 0 ? `, and ${missing.length} are neither in the local cache nor in a bucket` : ''}; the others were checked out into ${target}. ` +
      "Run 'ontocat doctor' to repair them.", { items: damaged.map((item) => item.relpath) });
  }
  if (missing.length > 0) {
    missing.sort();
    throw new OntocatError('NOT_FOUND', `${missing.length} of ${files.length} files of ${ref.service}/${ref.version} are neither in the local cache nor in a bucket (first: ${missing[0]}); the others were checked out into ${target}. Run 'ontocat doctor'.`);
  }
  await catalog.write((tx) => tx.event('checkout.completed', { service: ref.service, version: ref.version, directory: target, files: files.length, downloaded }));
  return {
    service: ref.service, version: ref.version, directory: target, files: files.length, bytes: total,
    linked, copied, downloaded, downloaded_bytes: downloadedBytes, unchanged, downloads_only: downloadsOnly,
  };
}

/**
 * The relpaths of `files` whose place in `target` holds other bytes than the version's, or
 * something that is not a regular file: what a checkout would overwrite. A file that is
 * the cache's own object (a linked checkout) is not hashed. A folder of the version taken
 * by something that is not a folder (a file of the user's named like it, a link to
 * nothing) is named too: no file could be written below it. Apart, the folders of the
 * version that are links leading out of `target` (to the storage root, another version's
 * folder, anywhere on the disk): the checkout would write its files there.
 */
async function takenPaths(
  root: string, target: string, files: readonly { relpath: string; sha256: string; size_bytes: number }[], signal?: AbortSignal,
): Promise<{ taken: string[]; outside: { relpath: string; real: string }[] }> {
  const taken: string[] = [];
  const outside: { relpath: string; real: string }[] = [];
  const realTarget = await realpath(target).catch(() => target);
  // Each folder once; a link to a folder inside the target is one, as mkdir -p takes it, but
  // one whose real path is elsewhere would have the version's files written there.
  const folders = new Map<string, Promise<'folder' | 'blocked' | string>>();
  const folderState = (relpath: string): Promise<'folder' | 'blocked' | string> => {
    let known = folders.get(relpath);
    if (!known) {
      const place = path.join(target, ...relpath.split('/').filter(Boolean));
      known = stat(place).then(async (found) => {
        if (!found.isDirectory()) return 'blocked';
        const real = await realpath(place);
        const rel = path.relative(realTarget, real);
        const inside = rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
        return inside ? 'folder' : real;
      }, async (error: NodeJS.ErrnoException) => {
        // Nothing there is a folder to make; a link to nothing there is not.
        if (error.code === 'ENOENT') return (await lstat(place).catch(() => null)) !== null ? 'blocked' : 'folder';
        return error.code === 'ENOTDIR' ? 'blocked' : 'folder';
      });
      folders.set(relpath, known);
    }
    return known;
  };
  const blocked = new Set<string>();
  await mapBounded(files, 4, async (file) => {
    const parts = file.relpath.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) {
      const folder = parts.slice(0, depth).join('/');
      const state = await folderState(folder);
      if (state === 'folder') continue;
      if (!blocked.has(folder)) {
        if (state === 'blocked') taken.push(folder);
        else outside.push({ relpath: folder, real: state });
      }
      blocked.add(folder);
      return;
    }
    const dest = path.join(target, ...parts);
    const have = await lstat(dest).catch(() => null);
    if (!have) return;
    if (!have.isFile() || have.size !== file.size_bytes) { taken.push(file.relpath); return; }
    const cached = await casLocate(root, file.sha256);
    const want = cached ? await lstat(path.join(root, ...cached.split('/'))).catch(() => null) : null;
    if (want && want.ino === have.ino && want.dev === have.dev) return;
    if (await trySha256File(dest) !== file.sha256) taken.push(file.relpath);
  }, signal);
  outside.sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0));
  return { taken: taken.sort(), outside };
}

const movedOut = (relpath: string, folder: string, real: string): OntocatError => new OntocatError('UNSAFE_PATH',
  `Refused to write ${relpath}: its folder ${folder} became a link to ${real}, outside the checkout's folder, while the checkout ran; nothing was written there. Remove the link and check out again.`,
  { items: [relpath] });

/**
 * The folder of `relpath` in `target`, made where missing and held open (Linux), once each
 * of its folders is found inside `realTarget`; null where folders cannot be held open
 * (there, `assertStillInside` checks after the temp file is made).
 */
async function writableFolder(target: string, realTarget: string, relpath: string): Promise<PinnedFolder | null> {
  const parts = relpath.split('/').slice(0, -1);
  if (!canPinFolders) {
    await mkdir(path.join(target, ...parts), { recursive: true });
    return null;
  }
  const pinned = await pinFolderInside(realTarget, target, parts);
  if ('outside' in pinned) throw movedOut(relpath, pinned.outside, pinned.real);
  return pinned;
}

/**
 * Without held folders: the temp file's folder must still be inside the target once the
 * temp is made. A swap after this check is still possible there; the publish then looks
 * for the temp under the new folder and fails rather than write outside, unless something
 * of that name was put there.
 */
async function assertStillInside(realTarget: string, relpath: string, temp: string): Promise<void> {
  const real = await realpath(path.dirname(temp));
  const rel = path.relative(realTarget, real);
  if (rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))) return;
  throw movedOut(relpath, path.posix.dirname(relpath), real);
}

/**
 * Removes the temp files an earlier checkout of these paths left when it was killed
 * (`.<name>.<12 hex>.ontocat-tmp` beside each path: a `--copy` leaves whole partial copies).
 * They are outside the root, so no doctor ever sees them; nothing else in the folder is touched.
 */
async function removeOwnTemps(target: string, files: readonly { relpath: string }[]): Promise<void> {
  const byFolder = new Map<string, Set<string>>();
  for (const file of files) {
    const parts = file.relpath.split('/');
    const folder = path.join(target, ...parts.slice(0, -1));
    byFolder.set(folder, (byFolder.get(folder) ?? new Set()).add(parts.at(-1)!));
  }
  for (const [folder, names] of byFolder) {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile() || !TEMP_NAME.test(entry.name)) continue;
      // `.<name>.<hex>.ontocat-tmp`, the name as tempPathFor makes it (cut only past 200-odd
      // bytes: counted in UTF-8, as the cut is, so 85 three-byte characters are cut too).
      const stem = entry.name.slice(1, -'.000000000000.ontocat-tmp'.length);
      if ([...names].some((name) => name === stem || (Buffer.byteLength(stem) >= 200 && name.startsWith(stem)))) await unlink(path.join(folder, entry.name)).catch(() => undefined);
    }
  }
}

/** Puts `temp` at `dest` only if nothing is there (a hard link never replaces), then drops the temp name. */
async function publishNew(temp: string, dest: string, relpath: string): Promise<void> {
  try {
    await link(temp, dest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new OntocatError('CONFLICT', `Refused to overwrite '${relpath}': a file appeared there while the checkout ran. Move it away and check out again.`);
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
    // A folder without hard links: the place was empty at the check, so the rename is the publish.
    await rename(temp, dest);
    return;
  }
  await unlink(temp);
}
