import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

const CHUNK = 1 << 20;

/** Thrown for a path that holds something other than a regular file (a FIFO, a socket, a device). */
export class NotAFileError extends Error {
  readonly code = 'ENOTFILE';
  constructor(absPath: string) {
    super(`'${absPath}' is not a regular file (a FIFO, socket or device)`);
  }
}

/**
 * SHA-256 of a file's content, hex; read in 1 MiB chunks so memory stays flat.
 *
 * A symlink is not followed (O_NOFOLLOW where the platform has it): it fails with ELOOP.
 * Opened without blocking, so a FIFO put in a file's place fails at once (NotAFileError)
 * instead of waiting for a writer while the caller holds the catalog's writer.
 */
export async function sha256File(absPath: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(absPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  try {
    if (!(await handle.stat()).isFile()) throw new NotAFileError(absPath);
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** Like `sha256File`, but null when the file cannot be read (gone, a folder, no access). */
export async function trySha256File(absPath: string): Promise<string | null> {
  try {
    return await sha256File(absPath);
  } catch {
    return null;
  }
}
