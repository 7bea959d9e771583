import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { sha256File } from './file-hash.js';
import { writeFully } from './write-fully.js';

const CHUNK = 1 << 20;

/** The content a catalog row records for a stored file. */
export interface RecordedContent {
  readonly sha256: string;
  readonly size_bytes: number;
}

/** Reads a whole file, hashing it and writing each chunk to `copy`. */
async function hashThrough(source: FileHandle, copy: FileHandle): Promise<RecordedContent> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  for (;;) {
    const { bytesRead } = await source.read(buffer, 0, CHUNK, null);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    hash.update(chunk);
    await writeFully(copy, chunk);
    size += bytesRead;
  }
  return { sha256: hash.digest('hex'), size_bytes: size };
}

/** Opens a regular file without following a symlink (the root is a closed world) or blocking on a FIFO. */
async function openNoFollow(file: string): Promise<FileHandle> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new Error(`'${file}' is not a regular file`);
  }
  return handle;
}

/**
 * Puts a stored file's bytes at `to` (a new path in a work folder), only when they are still
 * the content the catalog recorded for it; answers whether it did.
 *
 * A 304 says the server's resource is unchanged, not that our copy is: a copy edited or
 * deleted on disk since must never be recorded under the hash it once had. A hard link
 * costs no bytes and is hashed where it lands (its bytes are the stored file's own); where
 * no link can be made, the copy is hashed as it is written. Anything else (gone, a symlink,
 * other bytes, unreadable) leaves nothing at `to` and answers false, so the caller can fetch
 * the bytes again.
 */
export async function placeIntactCopy(from: string, to: string, expected: RecordedContent): Promise<boolean> {
  let linked = false;
  try {
    await link(from, to);
    linked = true;
  } catch (error) {
    // Missing: nothing to reuse. Other refusals (another device, no links here): copy below.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
  }
  let got: RecordedContent | null;
  try {
    if (linked) {
      // The link's bytes are the stored file's: hashed as any file is (no link followed, no FIFO waited on).
      got = { sha256: await sha256File(to), size_bytes: (await stat(to)).size };
    } else {
      const source = await openNoFollow(from);
      try {
        const copy = await open(to, 'wx', 0o644);
        try {
          got = await hashThrough(source, copy);
          await copy.sync();
        } finally {
          await copy.close();
        }
      } finally {
        await source.close();
      }
    }
  } catch {
    got = null;
  }
  if (got && got.sha256 === expected.sha256 && got.size_bytes === expected.size_bytes) return true;
  // Only the work-folder name goes: the stored file itself is left as it is.
  await rm(to, { force: true });
  return false;
}
